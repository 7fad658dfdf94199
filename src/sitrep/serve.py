"""Serving: the store over HTTP (``sitrep serve``), JSON in and out, with analysts' review.

``create_app(db, public_read=False)`` builds the ASGI application (FastAPI; needs ``sitrep[serve]``;
``app_from_environment`` builds it from environment variables, for a server's worker processes):

- ``GET /events``: the stored events, with the filters of ``sitrep events`` (``country``, ``since``,
  ``until``, ``type``, ``actor``), ``bbox=west,south,east,north``, ``reviewed``, ``fused``, ``sort``,
  ``limit``, ``offset`` -> ``{"events": [...], "total": N, "limit": N, "offset": N}`` (and, when a
  ``country`` matches no stored event, ``"did_you_mean"``: the stored country names close to it); with
  ``format=geojson`` a FeatureCollection, with ``format=acled-csv`` ACLED's CSV (the total in the
  ``X-Total-Count`` header for both).
- ``GET /events/{id}``: one event with its reports, sources, figures, evidence and fusion links;
  ``GET /events/{id}/audit``: its audit entries; ``GET /articles/{id}``: an article's text and the
  spans its events were read from; ``GET /stats``: counts and fatalities by week, country and type.
- ``POST /events/{id}/review``, ``POST /events/merge``, ``POST /events/{id}/split``: analysts' changes
  (``Store.review``, ``Store.merge``, ``Store.split``), each in the audit log under the token's name.
- ``GET /tokens``, ``POST /tokens`` (``{"role": ..., "name": ...}`` -> the token, shown once),
  ``POST /tokens/{id}/revoke``: an admin manages the tokens, each change attributed to the admin's token.
- ``GET /openapi.json``: the OpenAPI document.
- ``GET /report``: the situation report (``sitrep.report``) on the events that pass the filters of
  ``sitrep events`` (``country``, ``since``, ``until``, ``type``, ``actor``), one self-contained HTML page.

Access: ``Authorization: Bearer TOKEN`` (``sitrep token create``). Reads need a token of any role
unless ``public_read``; writes a reviewer's or an admin's; managing tokens an admin's. Without a
valid token: 401; a token whose role may not: 403. Errors are JSON: ``{"status": N, "message":
"..."}`` (422 adds ``errors``, one per bad input). Article text is only ever sent as JSON strings,
never as HTML.

Other parts of the service (the dashboard, the situation report) add their routes to the application
``create_app`` returns, after the API's (see ``create_app``); a route that reads takes the
``read_access`` dependency (the same access rules) and reads through ``opened(request)``.
"""

from __future__ import annotations

import io
import json
import secrets
import threading
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager, suppress
from datetime import UTC, date, datetime
from functools import cache
from importlib import resources
from typing import Annotated, Any, Literal

from fastapi import Depends, FastAPI, Path, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import BaseModel, ConfigDict, Field
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from sitrep import __version__
from sitrep.errors import MissingDatabase, MissingDependency, NotFound, ReviewError, StoreError
from sitrep.store import Store

__all__ = ["MAX_LIMIT", "SETTINGS", "admin_access", "app_from_environment", "create_app", "opened", "read_access",
           "write_access"]

DEFAULT_LIMIT = 100
MAX_LIMIT = 1000
"""Events per page: by default, and at most."""
WRITERS = ("reviewer", "admin")
"""Roles whose tokens may write (review, merge, split)."""
ADMINS = ("admin",)
"""Roles whose tokens may manage the tokens (create, list, revoke)."""

bearer = HTTPBearer(auto_error=False, description="A token from `sitrep token create --role ROLE`.")
Credentials = Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)]


class Problem(Exception):
    """An error answered as JSON: ``{"status": status, "message": message}``."""

    def __init__(self, status: int, message: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.headers = headers


# -- request bodies --------------------------------------------------------------------------------


class Corrections(BaseModel):
    """The fields a correction sets (``sitrep.review.CORRECTABLE``); the event type follows the
    sub-event type. A field left out keeps its value; null clears an optional one."""

    model_config = ConfigDict(extra="forbid")

    event_type: str | None = None
    sub_event_type: str | None = None
    actor1: str | None = None
    actor2: str | None = None
    assoc_actor_1: list[str] | None = None
    assoc_actor_2: list[str] | None = None
    inter1: str | None = None
    inter2: str | None = None
    civilian_targeting: bool | None = None
    country: str | None = None
    iso3: str | None = None
    admin1: str | None = None
    admin2: str | None = None
    location: str | None = None
    geonameid: int | None = None
    latitude: float | None = Field(None, ge=-90, le=90)
    longitude: float | None = Field(None, ge=-180, le=180)
    geo_precision: int | None = Field(None, ge=1, le=3)
    event_date: date | None = None
    date_end: date | None = None
    time_precision: int | None = Field(None, ge=1, le=3)
    fatalities: int | None = Field(None, ge=0)
    fatalities_low: int | None = Field(None, ge=0)
    fatalities_best: int | None = Field(None, ge=0)
    fatalities_high: int | None = Field(None, ge=0)
    deaths_civilians: int | None = Field(None, ge=0)
    deaths_side_1: int | None = Field(None, ge=0)
    deaths_side_2: int | None = Field(None, ge=0)
    notes: str | None = Field(None, max_length=10_000)


class ReviewRequest(BaseModel):
    """An analyst's decision on one event."""

    model_config = ConfigDict(extra="forbid")

    status: Literal["confirmed", "corrected", "rejected"]
    fields: Corrections | None = None
    note: str | None = Field(None, max_length=2000, description="Why, in the analyst's words.")


class MergeRequest(BaseModel):
    """Events (or reports) that tell of one incident."""

    model_config = ConfigDict(extra="forbid")

    ids: list[Annotated[str, Field(min_length=1, max_length=200)]] = Field(min_length=2, max_length=100)
    note: str | None = Field(None, max_length=2000)


class TokenRequest(BaseModel):
    """A token to create: its holder's role and name (as the audit log names the changes made with it)."""

    model_config = ConfigDict(extra="forbid")

    role: Literal["reader", "reviewer", "admin"]
    name: str | None = Field(None, min_length=1, max_length=200, pattern=r"\S",
                             description="Who holds it [default: ROLE-ID].")


class SplitRequest(BaseModel):
    """The articles whose reports leave an event, to make an event of their own."""

    model_config = ConfigDict(extra="forbid")

    article_ids: list[Annotated[str, Field(min_length=1, max_length=500)]] = Field(min_length=1, max_length=1000)
    note: str | None = Field(None, max_length=2000)


# -- access ----------------------------------------------------------------------------------------


def _holder(request: Request, credentials: HTTPAuthorizationCredentials | None, write: bool,
            admin: bool = False) -> dict[str, Any] | None:
    """The holder of the request's token (``id``, ``name``, ``role``; None for a public read), or the
    Problem that refuses it: 401 without a valid token, 403 for a reader's token on a write, for any but
    an admin's token where ``admin``."""
    with opened(request) as store:
        holder = store.token(credentials.credentials) if credentials is not None else None
    launch = request.app.state.launch_token
    if holder is None and credentials is not None and launch \
            and secrets.compare_digest(credentials.credentials, launch):
        holder = {"id": None, "name": "launch link", "role": "reader"}
    if credentials is not None and holder is None:
        raise Problem(401, "This token is not valid (unknown or revoked).", {"WWW-Authenticate": "Bearer"})
    if holder is None and (write or not request.app.state.public_read):
        raise Problem(401, "A token is needed: send 'Authorization: Bearer TOKEN' "
                           "(create one with sitrep token create).", {"WWW-Authenticate": "Bearer"})
    if admin and holder is not None and holder["role"] not in ADMINS:
        raise Problem(403, f"A {holder['role']}'s token may not manage tokens; an admin's may.")
    if write and holder is not None and holder["role"] not in WRITERS:
        raise Problem(403, f"A {holder['role']}'s token may not change events; a reviewer's or an admin's may.")
    return holder


def read_access(request: Request, credentials: Credentials) -> dict[str, Any] | None:
    """A dependency for routes that read: the token's holder (None for a public read), checked before
    any other input of the request. It reads the store, so it is a plain function: the framework runs it
    in a worker thread, never in the event loop, which a query would stop for every other request."""
    return _holder(request, credentials, write=False)


def write_access(request: Request, credentials: Credentials) -> dict[str, Any]:
    """A dependency for routes that write: the holder of a reviewer's or an admin's token."""
    holder = _holder(request, credentials, write=True)
    assert holder is not None
    return holder


def admin_access(request: Request, credentials: Credentials) -> dict[str, Any]:
    """A dependency for routes that manage tokens: the holder of an admin's token."""
    holder = _holder(request, credentials, write=True, admin=True)
    assert holder is not None
    return holder


Reader = Annotated[dict[str, Any] | None, Depends(read_access)]
Writer = Annotated[dict[str, Any], Depends(write_access)]
Admin = Annotated[dict[str, Any], Depends(admin_access)]


@contextmanager
def opened(request: Request) -> Iterator[Store]:
    """The application's store for the thread that answers ``request`` (``Stores``)."""
    with request.app.state.stores.using() as store:
        yield store


class Stores:
    """One open store per thread that answers requests, kept open between requests (opening a
    PostgreSQL connection costs more than most reads), closed by ``close``. A store that failed (the
    database went away, a connection broke) is closed and opened again at the next request."""

    def __init__(self, db: str) -> None:
        self.db = db
        self._local = threading.local()
        self._open: list[Store] = []
        self._lock = threading.Lock()

    @contextmanager
    def using(self) -> Iterator[Store]:
        store: Store | None = getattr(self._local, "store", None)
        if store is None:
            try:
                store = Store(self.db, create=False)
            except MissingDatabase as err:
                raise Problem(503, str(err)) from None
            self._local.store = store
            with self._lock:
                self._open.append(store)
        try:
            yield store
        except (NotFound, ReviewError, Problem):
            raise
        except BaseException:
            self._local.store = None
            self._close(store)
            raise

    def close(self) -> None:
        """Close every store (when the application stops)."""
        with self._lock:
            stores, self._open = self._open, []
        for store in stores:
            self._close(store)

    def _close(self, store: Store) -> None:
        with self._lock:
            if store in self._open:
                self._open.remove(store)
        with suppress(Exception):  # an SQLite connection only closes in its own thread; it goes with it
            store.close()


# -- query parameters ------------------------------------------------------------------------------


@cache
def _event_types() -> frozenset[str]:
    """ACLED's event types and sub-event types, folded (from the event record's schema)."""
    schema = json.loads(resources.files("sitrep").joinpath("data/event.schema.json").read_text(encoding="utf-8"))
    props = schema["properties"]
    return frozenset(v.casefold() for v in (*props["event_type"]["enum"], *props["sub_event_type"]["enum"]))


def _bbox(value: str | None) -> tuple[float, float, float, float] | None:
    """``west,south,east,north`` in degrees; 422 when it is not four numbers in range, south above north."""
    if value is None:
        return None
    try:
        west, south, east, north = (float(v) for v in value.split(","))
    except ValueError:
        raise Problem(422, f"bbox {value!r:.80} is not west,south,east,north (four numbers)") from None
    if not all(-180 <= x <= 180 for x in (west, east)) or not all(-90 <= y <= 90 for y in (south, north)):
        raise Problem(422, f"bbox {value!r:.80}: longitudes run from -180 to 180, latitudes from -90 to 90")
    if south > north:
        raise Problem(422, f"bbox {value!r:.80}: south is above north")
    return west, south, east, north


CountryQuery = Annotated[str | None, Query(max_length=200, description="Country name or ISO3 code, any case.")]
SinceQuery = Annotated[date | None, Query(description="Events on or after this day (YYYY-MM-DD).")]
UntilQuery = Annotated[date | None, Query(description="Events on or before this day (YYYY-MM-DD).")]
TypeQuery = Annotated[str | None, Query(max_length=100, description="ACLED event type or sub-event type.")]
ActorQuery = Annotated[str | None, Query(max_length=200, description="Part of an actor's name, any case.")]
"""The filters of ``sitrep events`` as query parameters (``Filters``, ``GET /report``)."""


class Filters:
    """The filters of ``GET /events`` and ``GET /stats`` (those of ``sitrep events``, and more), as
    ``Store.events`` takes them (``query``); made by the dependency ``filters``."""

    def __init__(self, query: dict[str, Any]) -> None:
        self.query = query


async def filters(
    country: CountryQuery = None,
    since: SinceQuery = None,
    until: UntilQuery = None,
    type: TypeQuery = None,
    actor: ActorQuery = None,
    bbox: Annotated[str | None, Query(max_length=200, description="west,south,east,north in degrees.")] = None,
    reviewed: Annotated[Literal["only", "unreviewed", "rejected", "all"] | None, Query(
        description="only: confirmed and corrected events; unreviewed; rejected; all. "
                    "Left out: every event but the rejected ones.")] = None,
    fused: Annotated[bool, Query(description="One record per fused event (false: per report).")] = True,
) -> Filters:
    """The request's ``Filters`` (Problem 422 for a type that is none, since after until, a bad bbox).
    A coroutine, as it reads nothing: the framework calls it in the event loop, not in a thread."""
    if type is not None and type.casefold() not in _event_types():
        raise Problem(422, f"type {type!r:.80} is no ACLED event type or sub-event type")
    if since is not None and until is not None and since > until:
        raise Problem(422, f"since {since} is after until {until}")
    return Filters({"country": country, "since": since, "until": until, "event_type": type, "actor": actor,
                    "fused": fused, "bbox": _bbox(bbox), "reviewed": reviewed})


EventFilters = Annotated[Filters, Depends(filters)]


# -- the application -------------------------------------------------------------------------------


class NoSniffing:
    """ASGI middleware: every answer says ``X-Content-Type-Options: nosniff``, so that browsers take it
    for what its type says (JSON, CSV), never for HTML."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def sending(message: Message) -> None:
            if message["type"] == "http.response.start":
                message = {**message, "headers": [*message.get("headers", ()), (b"x-content-type-options", b"nosniff")]}
            await send(message)

        await self.app(scope, receive, sending)


def _json(data: Any) -> Response:
    """``data`` as a JSON answer, serialised once by the standard library (records are JSON already:
    nothing to convert)."""
    return Response(json.dumps(data, ensure_ascii=False, allow_nan=False), media_type="application/json")



def create_app(db: str, *, public_read: bool = False, launch_token: str | None = None) -> FastAPI:
    """The HTTP API over the store at ``db`` (an SQLite file or a PostgreSQL address; it must exist:
    MissingDatabase otherwise).

    ``public_read``: reads need no token (writes always need a reviewer's). ``launch_token``: a reader's
    token kept only in memory while the application lives (``sitrep serve`` prints the dashboard's
    address with it), beside the stored tokens. Each thread that answers requests keeps its own
    connection to the store (``Stores``), closed when the application stops; several processes may
    serve one store.
    """
    Store(db, create=False).close()  # a missing or unreadable database fails now, not at the first request
    stores = Stores(db)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        yield
        stores.close()

    app = FastAPI(title="sitrep", version=__version__, docs_url=None, redoc_url=None, lifespan=lifespan,
                  description="Conflict events read from news articles: query them, review them.")
    app.state.db = db
    app.state.stores = stores
    app.state.public_read = public_read
    app.state.launch_token = launch_token
    _errors(app)

    app.add_middleware(NoSniffing)

    _reads(app)
    _writes(app)
    _tokens(app)
    # Other parts of the service go here, after the API's routes, so that the API's paths win: the
    # situation report (GET /report), then the dashboard (its page at "/"). Their routes take
    # ``Depends(read_access)`` (or its rules) and read through ``opened(request)``.
    _report(app)
    _dashboard(app, db)
    return app


SETTINGS = {"db": "SITREP_DB", "public_read": "SITREP_PUBLIC_READ", "launch_token": "SITREP_LAUNCH_TOKEN"}
"""The environment variables ``app_from_environment`` reads ``create_app``'s arguments from."""


def app_from_environment() -> FastAPI:
    """``create_app`` with its arguments from the environment (``SETTINGS``), for servers that start
    the application in each of their worker processes (``sitrep serve --workers N``, or ``uvicorn
    --factory sitrep.serve:app_from_environment``): ``SITREP_DB`` the database (required),
    ``SITREP_PUBLIC_READ`` "1" for public reads, ``SITREP_LAUNCH_TOKEN`` the launch token (none when
    unset). KeyError without ``SITREP_DB``; MissingDatabase as ``create_app``."""
    import os

    return create_app(os.environ[SETTINGS["db"]], public_read=os.environ.get(SETTINGS["public_read"]) == "1",
                      launch_token=os.environ.get(SETTINGS["launch_token"]) or None)


def _dashboard(app: FastAPI, db: str) -> None:
    """The dashboard (``sitrep.dashboard``): its page at ``/``, its files under ``/static/`` and its
    summaries under ``/dashboard/``, which read under the same access rules as the API."""
    from sitrep.dashboard import routes

    async def may_read(request: Request) -> None:
        await run_in_threadpool(read_access, request, await bearer(request))

    app.router.routes.extend(routes(db, may_read))


def _errors(app: FastAPI) -> None:
    """Every error as JSON: ``{"status": N, "message": "..."}``."""

    def answer(status: int, message: str, headers: dict[str, str] | None = None, **more: Any) -> JSONResponse:
        return JSONResponse({"status": status, "message": message, **more}, status_code=status, headers=headers)

    @app.exception_handler(Problem)
    async def problem(request: Request, exc: Problem) -> JSONResponse:
        return answer(exc.status, exc.message, exc.headers)

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, exc: HTTPException) -> JSONResponse:
        return answer(exc.status_code, str(exc.detail), getattr(exc, "headers", None))

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        errors = [{"where": ".".join(str(p) for p in e.get("loc", ())), "problem": str(e.get("msg"))}
                  for e in exc.errors()]
        message = "; ".join(f"{e['where']}: {e['problem']}" for e in errors[:5])
        return answer(422, f"Invalid request: {message}", errors=errors)

    @app.exception_handler(NotFound)
    async def not_found(request: Request, exc: NotFound) -> JSONResponse:
        return answer(404, str(exc))

    @app.exception_handler(ReviewError)
    async def refused(request: Request, exc: ReviewError) -> JSONResponse:
        return answer(422, str(exc))

    @app.exception_handler(StoreError)
    async def store_error(request: Request, exc: StoreError) -> JSONResponse:
        return answer(503, str(exc))


def _reads(app: FastAPI) -> None:
    @app.get("/events", summary="Stored events, filtered, sorted, a page of them")
    def events(
        request: Request, holder: Reader, filters: EventFilters,
        limit: Annotated[int, Query(ge=1, le=MAX_LIMIT)] = DEFAULT_LIMIT,
        offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0,
        sort: Annotated[Literal["date", "-date", "fatalities", "-fatalities"], Query()] = "date",
        format: Annotated[Literal["json", "geojson", "acled-csv"], Query()] = "json",
    ) -> Any:
        if format == "json":  # the page's records as stored, joined: nothing parsed or serialised
            with opened(request) as store:
                answers, total = store.page_json(**filters.query, sort=sort, limit=limit, offset=offset)
                country = filters.query["country"]
                close = store.countries_like(country) if not total and country else []
            hint = f', "did_you_mean": {json.dumps(close)}' if close else ""
            return Response(f'{{"events": [{", ".join(answers)}], "total": {total}, "limit": {limit}, '
                            f'"offset": {offset}{hint}}}', media_type="application/json")
        with opened(request) as store:
            records, total = store.page(**filters.query, sort=sort, limit=limit, offset=offset)
        from sitrep.export import write_events

        out = io.StringIO()
        write_events(records, format, out)
        media = "application/geo+json" if format == "geojson" else "text/csv; charset=utf-8"
        return Response(out.getvalue(), media_type=media, headers={"X-Total-Count": str(total)})

    @app.get("/events/{event_id}", summary="One event with its reports, sources, figures and evidence")
    def event(request: Request, holder: Reader, event_id: Annotated[str, Path(max_length=200)]) -> Any:
        with opened(request) as store:
            record = store.event(event_id)
        if record is None:
            raise Problem(404, f"No event or report {event_id!r} is stored.")
        return _json(record)

    @app.get("/events/{event_id}/audit", summary="Every change made to an event, oldest first")
    def audit(request: Request, holder: Reader, event_id: Annotated[str, Path(max_length=200)]) -> Any:
        with opened(request) as store:
            return _json({"event_id": event_id, "entries": store.audit(event_id)})

    @app.get("/articles/{article_id}", summary="An article's text and the spans its events were read from")
    def article(request: Request, holder: Reader,
                article_id: Annotated[str, Path(max_length=500)]) -> Any:
        with opened(request) as store:
            found = store.article(article_id)
        if found is None:
            raise Problem(404, f"No article {article_id!r} is stored.")
        return _json(found)

    @app.get("/stats", summary="Counts and fatalities by week, country and event type")
    def stats(request: Request, holder: Reader, filters: EventFilters) -> Any:
        with opened(request) as store:
            return _json(store.stats(**filters.query))


def _report(app: FastAPI) -> None:
    @app.get("/report", summary="The situation report on the filtered events: one self-contained HTML page",
             response_class=Response, responses={200: {"content": {"text/html": {}}}})
    def situation_report(
        request: Request, holder: Reader,
        country: CountryQuery = None,
        since: SinceQuery = None,
        until: UntilQuery = None,
        type: TypeQuery = None,
        actor: ActorQuery = None,
    ) -> Response:
        from sitrep import report

        if type is not None and type.casefold() not in _event_types():
            raise Problem(422, f"type {type!r:.80} is no ACLED event type or sub-event type")
        if since is not None and until is not None and since > until:
            raise Problem(422, f"since {since} is after until {until}")
        filters = {"country": country, "since": since, "until": until, "event_type": type, "actor": actor}
        try:
            with opened(request) as store:
                html = report.render(store, filters, datetime.now(UTC))
        except MissingDependency as err:
            raise Problem(501, str(err)) from None
        return Response(html, media_type="text/html; charset=utf-8",
                        headers={"Content-Security-Policy": report.POLICY})


def _tokens(app: FastAPI) -> None:
    """The routes an admin's token manages tokens with, each attributed to it (``created_by``,
    ``revoked_by``). A token's secret is answered once, when it is created; only its hash is stored."""

    @app.get("/tokens", summary="Every token: id, name, role, who created and who revoked it (never the token)")
    def tokens(request: Request, holder: Admin) -> Any:
        with opened(request) as store:
            return _json({"tokens": store.tokens()})

    @app.post("/tokens", summary="Create a token: the answer is the only place it is ever shown", status_code=201)
    def create_token(request: Request, holder: Admin, body: TokenRequest) -> Any:
        with opened(request) as store:
            token, info = store.create_token(body.role, body.name, by=holder["name"])
        return JSONResponse({**info, "token": token}, status_code=201, headers={"Cache-Control": "no-store"})

    @app.post("/tokens/{token_id}/revoke", summary="Revoke a token: it opens nothing from then on")
    def revoke_token(request: Request, holder: Admin, token_id: Annotated[str, Path(max_length=200)]) -> Any:
        with opened(request) as store:
            revoked = store.revoke_token(token_id, by=holder["name"])
        if revoked is None:
            raise Problem(404, f"No live token {token_id!r}.")
        return _json(revoked)


def _writes(app: FastAPI) -> None:
    @app.post("/events/merge", summary="Make several events one (fusion obeys it from now on)")
    def merge(request: Request, holder: Writer, body: MergeRequest) -> Any:
        with opened(request) as store:
            return _json(store.merge(body.ids, by=holder["name"], token_id=holder["id"], note=body.note))

    @app.post("/events/{event_id}/review", summary="Confirm, correct or reject an event")
    def review(request: Request, holder: Writer, event_id: Annotated[str, Path(max_length=200)],
               body: ReviewRequest) -> Any:
        fields = body.fields.model_dump(mode="json", exclude_unset=True) if body.fields else {}
        with opened(request) as store:
            return _json(store.review(event_id, body.status, fields, body.note, by=holder["name"],
                                      token_id=holder["id"]))

    @app.post("/events/{event_id}/split", summary="Take some articles' reports out of an event")
    def split(request: Request, holder: Writer, event_id: Annotated[str, Path(max_length=200)],
              body: SplitRequest) -> Any:
        with opened(request) as store:
            return _json({"events": store.split(event_id, body.article_ids, by=holder["name"],
                                                token_id=holder["id"], note=body.note)})
