"""Review: what analysts decide about a fused event, and how it overrides what the machine says.

An analyst *confirms* an event, *corrects* some of its fields, or *rejects* it (``Store.review``). The
decision is kept apart from the machine's records (``reviews``, keyed by one of the event's reports,
so that it follows the event when new reports join it or the store is fused again) and laid over the
fused record each time the event is grouped (``overlay``):

- **A reviewed field is never overwritten by the machine.** A correction keeps its value whatever
  later reports say; confirming an event pins the values of ``PINNED`` it showed when confirmed.
- **A rejected event never comes back**: it keeps its status when re-ingested or fused again, and
  readers leave it out unless asked for it.
- The record carries ``review``: ``status``, ``by`` (the token's name), ``at`` (UTC, ISO 8601),
  ``note``, ``corrected`` (the fields analysts changed) and ``machine`` (what the machine says of the
  reviewed fields where it differs from the review).

``check_fields`` validates a correction (``ReviewError`` names the field and the problem).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from datetime import date
from typing import Any

from sitrep.errors import ReviewError

__all__ = ["CORRECTABLE", "PINNED", "STATUSES", "ReviewError", "check_fields", "overlay"]

STATUSES = ("confirmed", "corrected", "rejected")
"""What an analyst may decide of an event."""

PINNED: tuple[str, ...] = (
    "event_type", "sub_event_type", "actor1", "actor2", "country", "iso3", "admin1", "admin2", "location",
    "latitude", "longitude", "geo_precision", "event_date", "date_end", "time_precision", "fatalities",
)  # fmt: skip
"""The fields a confirmation pins: type, sub-type, actors, place, date and fatalities."""

CORRECTABLE: tuple[str, ...] = (
    *PINNED, "inter1", "inter2", "assoc_actor_1", "assoc_actor_2", "geonameid", "civilian_targeting",
    "fatalities_low", "fatalities_best", "fatalities_high", "deaths_civilians", "deaths_side_1",
    "deaths_side_2", "notes",
)  # fmt: skip
"""The fields a correction may set."""

INTERS = ("State forces", "Rebel group", "Political militia", "Identity militia", "Rioters", "Protesters",
          "Civilians", "External/Other forces")
"""ACLED's inter codes."""

_TEXT = {"actor1", "country", "location", "notes"}
_OPTIONAL_TEXT = {"actor2", "iso3", "admin1", "admin2"}
_COUNTS = {"fatalities", "fatalities_low"}
_OPTIONAL_COUNTS = {"fatalities_best", "fatalities_high", "deaths_civilians", "deaths_side_1", "deaths_side_2",
                    "geonameid"}
_PRECISIONS = {"geo_precision", "time_precision"}
_DAYS = {"event_date", "date_end"}


_RANGE = ("fatalities_low", "fatalities_best", "fatalities_high")
_BREAKDOWN = ("deaths_civilians", "deaths_side_1", "deaths_side_2")


def check_fields(fields: Mapping[str, Any]) -> dict[str, Any]:
    """A correction made whole: each field known and of its kind (``ReviewError`` otherwise), the
    event type taken from a corrected sub-event type (giving both, they must agree; an event type
    alone must come with its sub-event type). A corrected ``fatalities`` sets the parts of the UCDP range
    not given with it to the analyst's figure (the machine's range stays visible in the review's
    ``machine``); the range must be ordered, low <= best <= high."""
    from sitrep.extraction.taxonomy import EVENT_TYPES, TYPE_OF

    unknown = sorted(set(fields) - set(CORRECTABLE))
    if unknown:
        raise ReviewError(f"fields {', '.join(unknown)} cannot be corrected; correctable: {', '.join(CORRECTABLE)}")
    out = {name: _checked(name, value) for name, value in fields.items()}
    sub, kind = out.get("sub_event_type"), out.get("event_type")
    if sub is not None:
        if sub not in TYPE_OF:
            raise ReviewError(f"sub_event_type {sub!r} is no ACLED sub-event type")
        if kind is not None and kind != TYPE_OF[sub]:
            raise ReviewError(f"sub_event_type {sub!r} is of event type {TYPE_OF[sub]!r}, not {kind!r}")
        out["event_type"] = TYPE_OF[sub]
    elif kind is not None:
        if kind not in EVENT_TYPES:
            raise ReviewError(f"event_type {kind!r} is no ACLED event type; one of: {', '.join(EVENT_TYPES)}")
        raise ReviewError("give sub_event_type with event_type (the event type follows from it)")
    if "fatalities" in out:
        out = {**dict.fromkeys(_RANGE, out["fatalities"]), **out}
    given = [out[name] for name in _RANGE if out.get(name) is not None]
    if given != sorted(given):
        raise ReviewError("the fatality range must be ordered: fatalities_low <= fatalities_best <= fatalities_high")
    return out


def _checked(name: str, value: Any) -> Any:
    """One field's value, or ``ReviewError`` naming the field."""
    def wrong(kind: str) -> ReviewError:
        return ReviewError(f"{name} must be {kind}, not {value!r:.80}")

    if value is None:
        if name in _TEXT | _COUNTS | _PRECISIONS | {"event_type", "sub_event_type", "civilian_targeting"}:
            raise wrong("given (it cannot be null)")
        return None
    if name in _TEXT | _OPTIONAL_TEXT | {"event_type", "sub_event_type"}:
        if not isinstance(value, str) or (name in _TEXT - {"notes"} and not value.strip()):
            raise wrong("a non-empty string")
        return value.strip()
    if name in _COUNTS | _OPTIONAL_COUNTS:
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise wrong("a whole number, 0 or more")
        return value
    if name in _PRECISIONS:
        if value not in (1, 2, 3) or isinstance(value, bool):
            raise wrong("1, 2 or 3")
        return value
    if name in _DAYS:
        try:
            return date.fromisoformat(value).isoformat()
        except (TypeError, ValueError):
            raise wrong("a day, YYYY-MM-DD") from None
    if name in ("latitude", "longitude"):
        bound = 90 if name == "latitude" else 180
        if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value) \
                or abs(value) > bound:
            raise wrong(f"a number from -{bound} to {bound}")
        return round(float(value), 4)
    if name in ("inter1", "inter2"):
        if value not in INTERS:
            raise wrong("one of " + ", ".join(INTERS))
        return value
    if name in ("assoc_actor_1", "assoc_actor_2"):
        if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
            raise wrong("a list of names")
        return [v.strip() for v in value]
    if not isinstance(value, bool):  # civilian_targeting
        raise wrong("true or false")
    return value


def overlay(record: dict[str, Any], review: Mapping[str, Any] | None) -> dict[str, Any]:
    """``record`` (a fused event as the machine made it) with a stored ``review`` laid over it: the
    reviewed values in place of the machine's, and ``review`` set (see the module docstring). Without
    a review, the record unchanged."""
    if review is None:
        return record
    values: dict[str, Any] = review["values"]
    if "fatalities_high" in values:  # a machine breakdown the corrected range cannot hold is unknown
        breakdown = [record.get(name) or 0 for name in _BREAKDOWN if name not in values]
        if values["fatalities_high"] is not None and sum(breakdown) > values["fatalities_high"]:
            values = {**dict.fromkeys(name for name in _BREAKDOWN if name not in values), **values}
    machine = {k: record.get(k) for k, v in values.items() if record.get(k) != v}
    return {**record, **values, "review": {
        "status": review["status"], "by": review["by"], "at": review["at"], "note": review.get("note"),
        "corrected": list(review["corrected"]), "machine": machine}}
