"""From an analysed article to coded events: the assembly stage.

It reads what the resolve stage found and resolved (``stages.Resolved``: places, each sentence's
actors for every country and day, dates, statements, parentheses) and asks no knowledge base
anything: an event's actors are its sentence's reading for the event's country and day
(``SentenceActors.on``).

The cascade, per sentence of the article (the numbers match the comments in ``extract_events``):

1. classify the sentence with the trigger lexicon (``taxonomy.triggers``); no trigger, no event,
   though a claim of responsibility or a toll may still add to the event just before;
2. drop background (``background``): a sentence dated only before the news ("in 2016"), a war total,
   an allegation or a habitual statement is history, not a new event;
3. a follow-up sentence with no date and no place of its own ("The fighting left 300 dead"), or one
   that opens by naming the event again ("The attack ...") with no other day, adds its actors, deaths
   and sources to the event just before it, and may settle its outcome;
4. otherwise a new event: the day from the sentence's dates (else the article's), the scene among its
   places (``scene``, ``location``), the actors named around the trigger, the deaths it reads, the
   sources whose statements cover it (``sources``);
5. a new event of the same sub-type, place and day as an earlier one (a headline and its story) is
   merged into it: ACLED's unit is one type, one place, one day.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date

from spacy.tokens import Doc
from spacy.tokens import Span as SpacySpan

from sitrep import nlp
from sitrep.extraction import taxonomy, words
from sitrep.extraction.background import aggregate_toll, background_statement, episode_total
from sitrep.extraction.dates import DateMention, shift_day
from sitrep.extraction.fatalities import combine_tolls, read_fatalities, toll_relation
from sitrep.extraction.realis import (
    asserted,
    cue_phrase,
    days_before_clause,
    modifier_clause,
    present_perfect,
    relative_host,
)
from sitrep.extraction.roles import AGENT, OTHER, PATIENT, SOURCE, read_roles, role_at
from sitrep.extraction.scene import compatible, event_places, named_settlements, near_not_in, nearby_place
from sitrep.extraction.sources import Sources
from sitrep.models import NO_FATALITIES, Actor, ActorMention, Article, Event, Fatalities, Place, Source, Span
from sitrep.stages import Located, Resolved

ESCALATIONS = {
    "Armed clash": {"Government regains territory", "Non-state actor overtakes territory"},
    "Peaceful protest": {"Protest with intervention", "Excessive force against protesters", "Violent demonstration"},
    "Protest with intervention": {"Excessive force against protesters"},
}
"""Sub-types a follow-up sentence may turn an event into: ACLED codes the outcome of a clash or a protest."""
REFINEMENTS = {"Remote explosive/landmine/IED": frozenset(["Suicide bomb"])}
"""Sub-types a later sentence may tell the same incident by more precisely: a car bomb that a suicide
bomber drove is a suicide bombing (ACLED codebook: a suicide bomb takes precedence over the device)."""
STALE_DAYS = 10
"""A sentence dated only this many days or more before publication recalls an earlier event."""
FOLLOW_UP_WINDOW = 2
"""How many sentences after an event a dateless, placeless trigger may still add to it."""
ANAPHOR_TYPES = {
    "Battles": frozenset(["fighting", "clash", "clashes", "assault", "offensive", "battle", "ambush"]),
    "Explosions/Remote violence": frozenset(["strike", "strikes", "airstrike", "airstrikes", "air strike",
                                             "air strikes", "raid", "raids", "blast", "blasts", "explosion",
                                             "explosions", "bombing", "bombings", "shelling", "bombardment"]),
    "Violence against civilians": frozenset(["assault", "massacre"]),
}
"""The events each anaphoric noun can name again (a sentence opening with a match of the word list
``anaphora`` continues the previous event even in a new paragraph); the others ("the attack", "the
incident") name any.
A sentence that names the event before again this way continues it even with a day or a place of
its own ("The attack on Sunday night killed 32 rebels as they were entering Turkey")."""
CLAIM_NEGATION_CHARS = 12
"""How far before a claimant's name a negation is looked for ("not Al Shabaab claimed ...")."""
ROLE_CONTEXT_CHARS = 30
"""How far before an actor's name a negation, an affiliation or a target's verb is looked for."""
WAR_ZONE_TYPES = {"Battles", "Explosions/Remote violence"}
VIOLENT_TYPES = {"Battles", "Explosions/Remote violence", "Violence against civilians"}
LEDE_SENTENCES = 3
"""A news story states its news in its first sentences (calibrated on whole-article suites: 2 to 4
sentences give the same events)."""
MIN_BODY_CONFIDENCE = 0.75
"""Below the lede, an event needs a specific cue, or a bare one with its day, place, actors and toll."""
SELECTIVE = frozenset(taxonomy.EVENT_TYPES["Strategic developments"]) - {"Agreement", "Arrests"}
"""Strategic developments ACLED codes only when they are the news (codebook: "coded selectively")."""
NEWS_TYPES = VIOLENT_TYPES | {"Protests", "Riots"}
PEACEFUL = frozenset(["Peaceful protest", "Protest with intervention"])
DEATHLESS = frozenset(taxonomy.EVENT_TYPES["Strategic developments"]) | PEACEFUL | {"Abduction/forced disappearance"}
"""Sub-types that by ACLED's definitions have no deaths: strategic developments are non-violent, a
peaceful protest and a protest with intervention meet no lethal force (protesters killed make it
excessive force against protesters), and killing civilians is an Attack, not an abduction. Deaths
told beside them belong to another event of the story."""
WEAK_CUE = 0.6
"""Cues weighted below this are bare verbs of violence ("killed", "fighting"): they say that violence
happened, not how, and yield to a specific cue for the same incident."""


@dataclass
class _Draft:
    """An event being assembled from one or more sentences (mutable while the article is read)."""

    trigger: taxonomy.Trigger
    sentences: list[Span]
    day: date | None
    """None when neither the text nor a publication date dates the event: sitrep does not guess."""
    end: date | None
    precision: int
    place: Place | None
    actors: list[ActorMention] = field(default_factory=list)
    fatalities: Fatalities = NO_FATALITIES
    sources: list[Source] = field(default_factory=list)
    paragraph: int = 0
    index: int = 0
    dated: bool = False
    located: Located | None = None
    """The place as an administrative parenthesis pinned it, with the precision it supports."""
    borrowed: bool = False
    """The place is the article's, not named with the event: ACLED precision 2 at best."""
    leading: set[int] = field(default_factory=set)
    """Starts of the actor mentions that acted: the agents of their sentence's trigger in the parse
    (``roles``), else those named before it (the likely initiators)."""
    agents: set[int] = field(default_factory=set)
    """Starts of the actor mentions the parse reads as agents of their sentence's trigger."""
    patients: set[int] = field(default_factory=set)
    """Starts of the actor mentions acted upon: the patients of their sentence's trigger."""
    others: set[int] = field(default_factory=set)
    """Starts of the actor mentions that are parties to another clause of their sentence."""
    aggregate: bool = False
    """Its toll is only a total over a period or several incidents (``fatalities.toll_relation``)."""
    named: frozenset[str] = frozenset()
    """The settlements its sentences name ("the town of X", ``scene.named_settlements``), known to the
    gazetteer or not: drafts naming different ones happened in different places."""

    @property
    def known_day(self) -> date | None:
        """The day, None when unknown (then actors take their latest period)."""
        return self.day


@dataclass(frozen=True)
class Context:
    """What the whole article contributes to each sentence's event."""

    article: Article
    published: date | None
    """The publication day: the article's, else the one its dateline gives (``dateline.read_dateline``)."""
    places: Sequence[Place]
    dates: Sequence[DateMention]
    focus: Place | None
    """The article's main place: the first place of its focus country."""
    sources: Sources
    resolved: Resolved
    """What the article names, resolved: each sentence's actors, places pinned by parentheses, the
    unnamed actors and ISO3 codes of the countries events can have."""
    doc: Doc
    """The article's parse: its word lists' matches (``words``), the roles around each trigger
    (``roles.read_roles``)."""


def extract_events(resolved: Resolved) -> list[Event]:
    """Every event the article reports as news, in reading order, from what it names, resolved
    (``stages.Resolved``: places, actors, dates, statements; nothing is looked up here)."""
    article, doc, places, focus = resolved.article, resolved.doc, resolved.places, resolved.focus
    text = article.text
    published = resolved.published
    main = resolved.main
    ctx = Context(article, published, places, resolved.dates, main,
                  Sources(text, resolved.quotes, resolved.speakers), resolved, doc)
    reference = published or max((d.day for d in ctx.dates if d.day and d.precision == 1), default=None)
    related = min((m.start for m in words.within(doc, "related", 0, len(text))), default=None)
    drafts: list[_Draft] = []
    lede_end = 0
    for index, sent in enumerate(resolved.sentences):
        if index < LEDE_SENTENCES:
            lede_end = sent.end_char
        if related is not None and sent.start_char >= related:
            break  # links to other stories are not this article's news
        span = Span(sent.start_char, sent.end_char, sent.text)
        dates = [d for d in ctx.dates if span.start <= d.span.start < span.end]
        if _is_background(doc, span, dates, reference):
            continue  # 2.
        cues = list(taxonomy.triggers(doc, sent.start_char, sent.end_char))
        headline = index == 0 or bool(ctx.article.title and sent.text.strip() == ctx.article.title.strip())
        reported = _reported_cues(sent, span.start, cues, headline, resolved.entity_dates, reference)
        if episode_total(doc, span.start, span.end) and reported:
            continue  # a total over the episode's days told as its own news: no event, no incident's toll
        if cues and not reported:
            continue  # 1. spoken of, not reported: a call, a plan, a hypothetical, a generality
        trigger = reported[0] if reported else None
        previous = drafts[-1] if drafts else None
        if trigger is None:  # 1.
            raised = _raised_toll_of(drafts, sent.text, dates)
            if raised is not None:
                _add_sentence(raised, span, ctx, index)  # "the death toll from Saturday's blasts rose to 63"
            elif previous and index - previous.index <= FOLLOW_UP_WINDOW:
                if words.within(doc, "claim", span.start, span.end):
                    _add_claim(previous, span, ctx)
                elif _anaphor(doc, span) is not None:
                    _add_sentence(previous, span, ctx, index)
                elif (previous.paragraph == text.count("\n", 0, span.start)
                        and read_fatalities(sent.text) is not None):
                    _add_sentence(_bearer(drafts), span, ctx, index)  # "6 were killed and 7 injured."
            continue
        paragraph = text.count("\n", 0, span.start)
        own_places = event_places(doc, span, places, focus)
        named = named_settlements(doc, span)
        if (previous and index - previous.index <= FOLLOW_UP_WINDOW
                and not words.within(doc, "next_event", span.start, span.end) and (
                (_names_again(_anaphor(doc, span), previous) and _same_days(previous, dates)
                 and not _told_apart(trigger, previous, doc, span))
                or (_continues(previous, own_places, named) and not [d for d in dates if d.day]
                    and previous.paragraph == paragraph))):
            violent = trigger.event_type in VIOLENT_TYPES
            _add_sentence(_bearer(drafts) if violent else previous, span, ctx, index, trigger)  # 3.
            trigger = None
        for cue in _events_of_sentence(trigger, reported):
            now = present_perfect(sent, span.start + cue.start, span.start + cue.end)
            clause = modifier_clause(sent, span.start + cue.start, span.start + cue.end)
            own_dates = dates if clause is None else [d for d in dates if clause[0] <= d.span.start < clause[1]]
            draft = _new_draft(cue, span, own_dates, own_places, previous, ctx, paragraph, index, now)  # 4.
            draft.named = named
            earlier = days_before_clause(sent, span.start + cue.start, span.start + cue.end)
            if earlier is not None and draft.day is not None and (day := shift_day(draft.day, -earlier)):
                draft.day, draft.end, draft.dated = day, None, True  # "five days after gunmen stormed ..."
            drafts[:] = _fold([*drafts, draft])  # 5.
    return [_finish(d, ctx) for d in _civilians_apart(_deaths_to_violence(_reported(_fold(drafts), lede_end)))]


def _reported_cues(sent: SpacySpan, offset: int, cues: list[taxonomy.Trigger], headline: bool,
                   entity_dates: Mapping[tuple[int, int], Sequence[DateMention]],
                   reference: date | None) -> list[taxonomy.Trigger]:
    """The cues of a sentence that report news: asserted by their clause and not recalled; a cue in a
    relative clause of another cue's noun shares that cue's verdict ("a trial over the 2004 bombing
    that killed nine soldiers": the killing is the bombing's, history too)."""
    verdict = {t: asserted(sent, offset + t.start, offset + t.end, headline)
               and not _recalled(sent, offset + t.start, offset + t.end, entity_dates, reference) for t in cues}
    for cue in cues:
        nouns = relative_host(sent, offset + cue.start, offset + cue.end)
        host = next((t for n in nouns for t in cues if t is not cue and offset + t.start <= n < offset + t.end), None)
        if host is not None:
            verdict[cue] = verdict[host]
    return [t for t in cues if verdict[t]]


def _raised_toll_of(drafts: list[_Draft], text: str, dates: list[DateMention]) -> _Draft | None:
    """The event a sentence with no cue of its own raises the toll of, wherever the story tells it
    ("officials said the death toll had risen to 63"): the story's first act of violence that can
    have deaths, if no day of the sentence's says otherwise. None when the sentence raises no toll."""
    if toll_relation(text) != "update":
        return None
    return next((d for d in drafts if d.trigger.event_type in VIOLENT_TYPES and d.trigger.sub_event_type
                 not in DEATHLESS and _same_days(d, dates)), None)


def _bearer(drafts: list[_Draft]) -> _Draft:
    """The event a follow-up toll belongs to: the last one, unless its sub-type has no deaths
    (``DEATHLESS``: "militants attacked the train, taking hostages. 16 militants were killed" tells the
    clash's deaths, not the abduction's); then the last event of the story that can have them."""
    return next((d for d in reversed(drafts) if d.trigger.sub_event_type not in DEATHLESS), drafts[-1])


def _fold(drafts: list[_Draft]) -> list[_Draft]:
    """Drafts merged once more after the whole article is read: a follow-up may have turned a draft
    into its twin's sub-type ("gathered" then "police fired tear gas")."""
    folded: list[_Draft] = []
    for draft in drafts:
        twin = next((d for d in folded if _same_event(d, draft)), None)
        if twin is None:
            folded.append(draft)
        else:
            _merge(twin, draft)
    return folded


def _events_of_sentence(first: taxonomy.Trigger | None, reported: list[taxonomy.Trigger]) -> list[taxonomy.Trigger]:
    """The cues that make events of their own in one sentence: the first reported cue (unless it
    continued the event before), and each reported cue of another type of violence or protest, specific
    enough to stand alone ("militants attacked the train, taking hundreds hostage": a clash and an
    abduction; "clashes continued amid mutual shelling")."""
    cues = [first] if first is not None else []
    taken = reported[:1]
    for cue in reported[1:]:
        kinds = {t.event_type for t in taken}
        if (cue.event_type in kinds or cue.event_type not in NEWS_TYPES or cue.weight < WEAK_CUE
                or any(cue.start < t.end and t.start < cue.end for t in taken)):
            continue  # the same words, or too bare a cue to stand alone
        if cue.sub_event_type == "Attack" and "Explosions/Remote violence" in kinds:
            continue  # civilians killed by a strike or a bomb are that strike's victims (ACLED precedence)
        cues.append(cue)
        taken.append(cue)
    return cues


def _reported(drafts: list[_Draft], lede_end: int) -> list[_Draft]:
    """The drafts the story reports as news, read as news is written (the inverted pyramid): a story
    whose lede (its first ``LEDE_SENTENCES`` sentences) reports no event is about something else, and
    the events it recalls on the way are context; in a story of events, an event first met below the
    lede is kept when it is told with specifics (``MIN_BODY_CONFIDENCE``) and is not one of the
    strategic developments ACLED codes selectively (``SELECTIVE``). A story that opens with statements
    (a call, a condemnation) may still report an act of violence below, told in full (``_told_in_full``)."""
    drafts = _context_folded(drafts)
    lede = [d for d in drafts if d.sentences[0].start < lede_end]
    if not lede:
        return [d for d in drafts if _told_in_full(d)]
    return [d for d in drafts if d in lede or (
        _confidence(d) >= MIN_BODY_CONFIDENCE and d.trigger.sub_event_type not in SELECTIVE)]


def _told_in_full(draft: _Draft) -> bool:
    """Whether an act of violence is told with everything a report of it gives: a specific cue, its own
    day, a town, an identified armed actor and its dead ("At least 13 civilians were killed in airstrikes by regime
    jets on the town of Alghanto on Friday")."""
    return (draft.trigger.event_type in VIOLENT_TYPES and draft.trigger.weight >= WEAK_CUE and draft.dated
            and draft.place is not None and draft.place.geo_precision == 1 and not draft.borrowed
            and any(_known_armed(m.actor) for m in draft.actors) and draft.fatalities.fatalities > 0)


def _known_armed(actor: Actor) -> bool:
    """Whether an actor is an armed organisation the text identifies ("regime jets", "Al Shabaab")."""
    return actor.inter != "Civilians" and not actor.name.startswith("Unidentified")


def _deaths_to_violence(drafts: list[_Draft]) -> list[_Draft]:
    """The drafts with the deaths a sub-type without deaths (``DEATHLESS``) gathered moved to the
    story's act of violence of the same place and day, when one was told after them ("militants
    seized the train, taking hostages. 16 militants were killed. Troops exchanged fire with them":
    the clash's dead)."""
    for draft in drafts:
        if draft.trigger.sub_event_type not in DEATHLESS or not draft.fatalities.evidence:
            continue
        act = next((d for d in drafts if d.trigger.event_type in VIOLENT_TYPES
                    and d.trigger.sub_event_type not in DEATHLESS and _same_scene(d, draft)), None)
        if act is not None:
            act.fatalities = combine_tolls(act.fatalities, draft.fatalities)
            draft.fatalities = NO_FATALITIES
    return drafts


def _civilians_apart(drafts: list[_Draft]) -> list[_Draft]:
    """The drafts with the civilians a battle's toll names moved to the story's violence against
    civilians of the same place and day: ACLED codes an armed group killing civilians as violence
    against civilians, and a battle's fatalities are then the armed sides' ("militants stormed the
    train and took hostages; 21 passengers and four troops died; the army killed 33 attackers": 21 for
    the attack, 37 for the battle). An abduction whose hostages were killed becomes an attack."""
    for battle in drafts:
        civilians = battle.fatalities.civilians
        if battle.trigger.event_type != "Battles" or not civilians:
            continue
        victim = next((d for d in drafts if d.trigger.sub_event_type in {"Attack", "Abduction/forced disappearance"}
                       and _same_scene(battle, d)), None)
        if victim is None:
            continue
        told = battle.fatalities

        def less(n: int | None, told: Fatalities = told, civilians: int = civilians) -> int | None:
            return None if n is None else max(0, n - civilians)

        battle.fatalities = replace(told, fatalities=told.fatalities - civilians, low=less(told.low) or 0,
                                    best=less(told.best), high=less(told.high), civilians=None)
        killed = Fatalities(civilians, civilians, civilians, civilians, civilians=civilians, evidence=told.evidence,
                            floor=told.floor)
        if victim.trigger.sub_event_type != "Attack":
            victim.trigger = replace(victim.trigger, sub_event_type="Attack")
        victim.fatalities = combine_tolls(victim.fatalities, killed)
    return drafts


def _context_folded(drafts: list[_Draft]) -> list[_Draft]:
    """The drafts with each selectively coded strategic development (``SELECTIVE``: a siege, a
    curfew, a deployment) that shares its place and day with an act of violence of the story folded
    into that act: it tells the violence's circumstances, and ACLED codes the violence."""
    kept: list[_Draft] = []
    for draft in drafts:
        act = draft.trigger.sub_event_type in SELECTIVE and next(
            (d for d in drafts if d.trigger.event_type in VIOLENT_TYPES and _same_scene(d, draft)), None)
        if act:
            _absorb(act, draft)
            if draft.fatalities.evidence:  # "six are confirmed dead while the siege continues": the act's dead
                act.fatalities = combine_tolls(act.fatalities, draft.fatalities)
        else:
            kept.append(draft)
    return kept


def _same_scene(a: _Draft, b: _Draft) -> bool:
    """Whether two drafts are told of one place within a day of each other."""
    return a.day is not None and b.day is not None and abs((a.day - b.day).days) <= 1 and _same_place(a, b)


def _same_place(a: _Draft, b: _Draft) -> bool:
    """Whether nothing says two drafts happened in different places: no two different settlements
    named, no place named, or places that can be one (a place only borrowed from the article stands
    for its country)."""
    if a.named and b.named and a.named.isdisjoint(b.named):
        return False
    if a.place is None or b.place is None:
        return True
    if a.borrowed or b.borrowed:
        return a.place.country_code == b.place.country_code
    return compatible(a.place, b.place)


def _is_background(doc: Doc, span: Span, dates: list[DateMention], reference: date | None) -> bool:
    """Whether a sentence is background: dated only before the news, a running total, a war-sized toll,
    or an undated allegation or habitual statement (see ``background``)."""
    if dates and all(_background(d, reference) for d in dates):
        return True
    if background_statement(doc, span.start, span.end, dated=any(d.day for d in dates)):
        return True
    deaths = read_fatalities(span.text)
    return deaths is not None and aggregate_toll(deaths.fatalities)


def _recalled(sent: SpacySpan, start: int, end: int, entity_dates: Mapping[tuple[int, int], Sequence[DateMention]],
              reference: date | None) -> bool:
    """Whether a nominal cue's own dates put it before the news ("the 2004 bombing", "a deadly January
    attack"), whatever the rest of the sentence is dated. ``entity_dates``: the dates of each DATE
    entity (``Resolved.entity_dates``)."""
    phrase = cue_phrase(sent, start, end)
    if phrase is None:
        return False
    own = [m for ent in phrase.ents if ent.label_ == "DATE" for m in entity_dates[ent.start_char, ent.end_char]]
    return bool(own) and all(_background(m, reference) for m in own)


def _background(mention: DateMention, reference: date | None) -> bool:
    """A date that puts a sentence in the past of the news: another period, or weeks before the
    reference day (the publication day, else the latest exact day the article names)."""
    if mention.background:
        return True
    if reference is None or mention.day is None:
        return False
    return (reference - mention.day).days > STALE_DAYS


def _same_event(a: _Draft, b: _Draft) -> bool:
    """ACLED's unit: one type, one place, one day. A headline and its story, or a later sentence that
    speaks of the incident again without a day of its own ("the leader was killed"), are one event; a
    place only borrowed from the article says nothing against it."""
    if not _same_kind(a.trigger, b.trigger) or not (a.day == b.day or not (a.dated and b.dated)):
        return False
    return _same_place(a, b)


def _same_kind(a: taxonomy.Trigger, b: taxonomy.Trigger) -> bool:
    """Whether two cues can name one incident: the same sub-type, or a bare verb of violence
    ("killed", "fighting": ``WEAK_CUE``) beside a more specific cue of violence."""
    if a.sub_event_type == b.sub_event_type or _refines(a, b) or _refines(b, a):
        return True
    return min(a.weight, b.weight) < WEAK_CUE and {a.event_type, b.event_type} <= VIOLENT_TYPES


def _refines(general: taxonomy.Trigger, specific: taxonomy.Trigger) -> bool:
    """Whether a cue names more precisely the incident another names (``REFINEMENTS``)."""
    return specific.sub_event_type in REFINEMENTS.get(general.sub_event_type, ())


def _absorb(into: _Draft, other: _Draft) -> None:
    """Add another draft's sentences and sources to a draft (each once, in reading order)."""
    into.sentences = sorted({*into.sentences, *other.sentences}, key=lambda s: s.start)
    into.sources += [s for s in other.sources if all(s.name != t.name for t in into.sources)]


def _merge(into: _Draft, other: _Draft) -> None:
    _absorb(into, other)
    if into.trigger.weight < WEAK_CUE < other.trigger.weight or _refines(into.trigger, other.trigger):
        into.trigger = other.trigger  # "killed" then "in an airstrike": the specific cue codes the event
    if other.place is not None and (into.place is None or (into.borrowed and not other.borrowed) or (
            into.borrowed == other.borrowed and other.place.geo_precision < into.place.geo_precision)):
        into.place, into.located, into.borrowed = other.place, other.located, other.borrowed
    if other.dated and not into.dated:
        into.day, into.end, into.precision, into.dated = other.day, other.end, other.precision, True
    for mention in other.actors:
        if all(m.actor.name != mention.actor.name for m in into.actors):
            into.actors.append(mention)
    into.leading |= other.leading
    if other.aggregate and not into.aggregate:  # a period's total yields to the incident's own toll
        into.fatalities = combine_tolls(into.fatalities, other.fatalities, "aggregate")
    elif into.aggregate and not other.aggregate:
        into.fatalities = combine_tolls(other.fatalities, into.fatalities, "aggregate")
    else:
        into.fatalities = combine_tolls(into.fatalities, other.fatalities)  # one incident told twice
    into.aggregate = into.aggregate and other.aggregate
    into.named |= other.named
    into.agents |= other.agents
    into.patients |= other.patients
    into.others |= other.others
    if other.index > into.index:
        into.index, into.paragraph = other.index, other.paragraph


def _add_claim(draft: _Draft, span: Span, ctx: Context) -> None:
    """'Al Shabaab claimed responsibility': the claimant is the event's perpetrator."""
    draft.sentences.append(span)
    for mention in ctx.resolved.actors[span.start].on(draft.place.country if draft.place else None,
                                                     draft.known_day):
        if not mention.generic and not words.ending_at(ctx.doc, "negation", mention.span.start,
                                                       CLAIM_NEGATION_CHARS, words=1):
            draft.actors.append(mention)
            draft.leading.add(mention.span.start)


def _anaphor(doc: Doc, span: Span) -> str | None:
    """The noun of a sentence that opens by naming an event again ("The attack ...": the word list
    ``anaphora``), lower case; None when it does not open so."""
    match = next((m for m in words.within(doc, "anaphora", span.start, span.end) if m.start == span.start), None)
    return None if match is None else nlp.text(doc)[match.start:match.end].split(None, 1)[1].lower()


def _names_again(noun: str | None, previous: _Draft) -> bool:
    """Whether a sentence opens by naming the previous event again (``_anaphor``: its noun), with a
    noun that can name an event of its type (``ANAPHOR_TYPES``): "The offensive ..." does not name an
    air strike again."""
    if noun is None:
        return False
    kinds = [kind for kind, nouns in ANAPHOR_TYPES.items() if noun in nouns]
    return not kinds or previous.trigger.event_type in kinds


def _told_apart(trigger: taxonomy.Trigger, previous: _Draft, doc: Doc, span: Span) -> bool:
    """Whether a sentence that names the previous battle again tells, with a specific cue after the noun
    that names it, an explosion or a strike within it ("The offensive began with a suicide car bomb"):
    ACLED codes the remote violence as its own event."""
    match = next((m for m in words.within(doc, "anaphora", span.start, span.end) if m.start == span.start), None)
    return (match is not None and span.start + trigger.start >= match.end and trigger.weight >= WEAK_CUE
            and previous.trigger.event_type == "Battles" and trigger.event_type == "Explosions/Remote violence")


def _same_days(previous: _Draft, dates: list[DateMention]) -> bool:
    """Whether the days a sentence tells its event on (not a statement's) are within a day of the
    previous event's: "The attack on Sunday night killed 32" speaks of the attack just told."""
    own = [d.day for d in dates if d.day and not d.statement and not d.background]
    return previous.day is None or all(abs((day - previous.day).days) <= 1 for day in own)


def _continues(previous: _Draft, own_places: list[Place], named: frozenset[str]) -> bool:
    """Whether a sentence's places leave it about the previous event: none, or only the wider
    region the previous event's place lies in ("... of the city, located in northern Syria"), and no
    settlement the previous event's sentences did not name ("... on the town of Y")."""
    if not named <= previous.named:
        return False
    here = previous.place
    return all(here is not None and p.geo_precision > here.geo_precision and compatible(here, p) for p in own_places)


def _new_draft(trigger: taxonomy.Trigger, span: Span, dates: list[DateMention], own_places: list[Place],
               previous: _Draft | None, ctx: Context, paragraph: int, index: int, now: bool) -> _Draft:
    day, end, precision, dated = _when(span, dates, previous, ctx, now)
    located = ctx.resolved.located[span.start]
    if located is not None:
        place: Place | None = located.place
        borrowed = False
    else:
        place = own_places[0] if own_places else (previous.place if previous else ctx.focus)
        borrowed = not own_places and previous is None
        if place is None or place.feature_code == "PCLI":
            nearby = nearby_place(ctx.doc, span, place, ctx.places, ctx.focus) if ctx.doc is not None else None
            place, borrowed = (nearby, True) if nearby else (place, borrowed)
    draft = _Draft(trigger, [span], day, end, precision, place, paragraph=paragraph, index=index, dated=dated,
                   located=located, borrowed=borrowed)
    _read_sentence(draft, span, ctx, trigger)
    return draft


def _add_sentence(draft: _Draft, span: Span, ctx: Context, index: int,
                  trigger: taxonomy.Trigger | None = None) -> None:
    """Add a follow-up sentence; one that tells how the event turned out may sharpen its sub-type
    ("... clashed with Al Shabaab. The forces took control of the village")."""
    if trigger is not None and (trigger.sub_event_type in ESCALATIONS.get(draft.trigger.sub_event_type, ())
                                or _refines(draft.trigger, trigger)):
        draft.trigger = trigger
    draft.sentences.append(span)
    draft.index = index
    _read_sentence(draft, span, ctx, trigger)


def _read_sentence(draft: _Draft, span: Span, ctx: Context, trigger: taxonomy.Trigger | None = None) -> None:
    """Add what one sentence says about the event: actors, deaths, sources.

    An actor's part comes from the parse around the sentence's trigger (``roles``): its agent acted,
    its patient was acted upon, a reporting source is no party; where the parse names no one, an
    actor named before the trigger is taken to have acted. A state force that reports a trigger
    with no agent ("forces said the commander was killed in an air strike") stays a party of last
    resort: states report their own strikes."""
    country = draft.place.country if draft.place else None
    if trigger is None and ctx.doc is not None:
        trigger = next(taxonomy.triggers(ctx.doc, span.start, span.end), None)
    cue = span.start + (trigger.start if trigger else len(span.text))
    roles = [] if trigger is None or ctx.doc is None else read_roles(
        ctx.doc, span.start, span.end, cue, span.start + trigger.end)
    agentive = any(r.role == AGENT for r in roles)
    for mention in ctx.resolved.actors[span.start].on(country, draft.known_day):
        if words.ending_at(ctx.doc, "affiliation", mention.span.start, ROLE_CONTEXT_CHARS) or words.ending_at(
                ctx.doc, "negation", mention.span.start, ROLE_CONTEXT_CHARS, words=1):
            continue  # "the former Syrian branch of Al-Qaeda", "no civilians": not a party
        role = role_at(roles, mention.span.start, mention.span.end)
        if role == SOURCE and (agentive or not _is_state(mention.actor)):
            continue  # "the army said militants attacked", "according to police": who reports it
        known = next((m for m in draft.actors if m.actor.name == mention.actor.name), None)
        if known is None:
            draft.actors.append(mention)
            if role == AGENT:
                draft.agents.add(mention.span.start)
            if role == AGENT or (role is None and mention.span.start < cue and not words.ending_at(
                    ctx.doc, "target", mention.span.start, ROLE_CONTEXT_CHARS, words=2)):
                draft.leading.add(mention.span.start)
            elif role == PATIENT:
                draft.patients.add(mention.span.start)
            elif role in {OTHER, SOURCE}:  # a force reporting an agentless strike: the last resort
                draft.others.add(mention.span.start)
        elif role == PATIENT and known.span.start not in draft.leading:
            draft.patients.add(known.span.start)  # named before, its part told here
            draft.others.discard(known.span.start)
        elif role == AGENT and known.span.start not in draft.patients:
            draft.leading.add(known.span.start)
            draft.agents.add(known.span.start)
            draft.others.discard(known.span.start)
    significant = draft.trigger.event_type in WAR_ZONE_TYPES and bool(words.within(ctx.doc, "significant", span.start,
                                                                                 span.end))  # ACLED: 10, not 3
    deaths = read_fatalities(span.text, offset=span.start, significant=significant)
    own = trigger if draft.sentences[0] == span else None  # a follow-up's cue is not the event's
    if deaths is not None and not _earlier_toll(deaths, span, ctx, own):
        relation = toll_relation(span.text)
        if not draft.fatalities.evidence:
            draft.aggregate = relation == "aggregate"
        elif relation != "aggregate":
            draft.aggregate = False
        draft.fatalities = combine_tolls(draft.fatalities, deaths, relation)
    for source in ctx.sources.of(span, draft.known_day):
        if all(s.name != source.name for s in draft.sources):
            draft.sources.append(source)


def _earlier_toll(deaths: Fatalities, span: Span, ctx: Context, trigger: taxonomy.Trigger | None) -> bool:
    """Whether a sentence's deaths are all told in a clause that happened days before the one that
    reports the event ("The assault comes two weeks after IS killed 270 guards": the 270 are an
    earlier attack's), while the event's own cue (``trigger``, None for a follow-up sentence) is not
    in such a clause."""
    if ctx.doc is None or not deaths.evidence:
        return False
    sentence = ctx.doc.char_span(span.start, span.end, alignment_mode="expand")
    if sentence is None:
        return False
    if trigger is not None and days_before_clause(sentence, span.start + trigger.start, span.start + trigger.end):
        return False
    return all(days_before_clause(sentence, e.start, e.end) for e in deaths.evidence)


def _when(span: Span, dates: list[DateMention], previous: _Draft | None,
          ctx: Context, now: bool = False) -> tuple[date | None, date | None, int, bool]:
    """The event's day, last day, ACLED time precision, and whether the sentence itself dated it.
    ``now``: the sentence tells the event in the present perfect, as of the publication day."""
    own = [d for d in dates if d.day and not d.background]
    if own:  # the most precise; of equals, the event's rather than a statement's ("said on Thursday")
        best = min(own, key=lambda d: (d.precision, d.statement))
        return best.day, best.end, best.precision, not best.statement  # a report's day: on or before it
    shifted = next((d for d in dates if d.shift is not None), None)
    if shifted is not None and shifted.shift is not None and previous is not None and previous.day:
        # "on the same day", "the next day": counted from the event before; never an implausible day
        day = shift_day(previous.day, shifted.shift)
        if day is not None:
            return day, None, previous.precision, True
    # the story's first day of news, never a statement's: "confirmed on Friday that ... Tuesday's raid"
    lead = next((d for d in ctx.dates if d.day and not _background(d, ctx.published) and not d.statement), None)
    if lead is not None and lead.span.start < span.start and not (now and ctx.published is not None):
        return lead.day, None, max(2, lead.precision), False
    if ctx.published is not None:
        return ctx.published, None, 2, False
    return None, None, 3, False  # no day can be given without guessing


def _finish(draft: _Draft, ctx: Context) -> Event:
    """Freeze a draft into an Event: pick the two sides, the place, the notes and the confidence."""
    country = _country(draft, ctx)
    actor1, assoc1, actor2, assoc2 = _sides(draft, country, ctx.resolved.generics)
    if _one_sided(draft, actor2, ctx.doc):
        draft.trigger = replace(draft.trigger, sub_event_type="Attack")
        actor1, assoc1, actor2, assoc2 = _sides(draft, country, ctx.resolved.generics)
    place = draft.place
    event_type = draft.trigger.event_type
    civilian = event_type == "Violence against civilians" or (
        actor2 is not None and actor2.inter == "Civilians")
    if draft.trigger.sub_event_type in PEACEFUL and draft.fatalities.civilians:
        # protesters killed: ACLED's excessive force against protesters (lethal force by authorities)
        draft.trigger = replace(draft.trigger, sub_event_type="Excessive force against protesters")
    sub_event_type = draft.trigger.sub_event_type
    if _taker_is_loser(sub_event_type, actor1, actor2) and actor2 is not None:
        actor1, assoc1, actor2, assoc2 = actor2, assoc2, actor1, assoc1  # the takeover told after the clash
    sub_event_type = _territory(sub_event_type, actor1, actor2)
    fatalities = NO_FATALITIES if draft.trigger.sub_event_type in DEATHLESS else draft.fatalities
    if event_type == "Violence against civilians" and fatalities.fatalities and fatalities.civilians is None:
        fatalities = replace(fatalities, civilians=fatalities.fatalities)
    sources = tuple(draft.sources) or ((Source(ctx.article.outlet),) if ctx.article.outlet else ())
    evidence = tuple(draft.sentences)
    latitude, longitude, precision = _point(place, country, ctx)
    if draft.located is not None:
        precision = draft.located.precision
    elif draft.borrowed or (place is not None and near_not_in(ctx.doc, place)):
        precision = max(precision, 2)  # a place from elsewhere in the article, or "near" it: not known to be it
    event = Event(
        event_id=_event_id(ctx.article.id, draft),
        article_id=ctx.article.id,
        event_date=draft.day,
        date_end=draft.end,
        time_precision=draft.precision,
        event_type=event_type,
        sub_event_type=sub_event_type,
        actor1=actor1,
        actor2=actor2,
        assoc_actor_1=assoc1,
        assoc_actor_2=assoc2,
        place=place,
        country=country or "",
        iso3=ctx.resolved.iso3[place.country_code] if place and place.country_code else None,
        admin1=draft.located.admin1 if draft.located else (place.admin1 if place else None),
        admin2=draft.located.admin2 if draft.located else (place.admin2 if place else None),
        location=place.name if place else "",
        latitude=latitude,
        longitude=longitude,
        geo_precision=precision,
        fatalities=fatalities,
        civilian_targeting=civilian,
        sources=sources,
        evidence=evidence,
        notes="",
        confidence=_confidence(draft),
    )
    return replace(event, notes=notes(event))


def _one_sided(draft: _Draft, actor2: Actor | None, doc: Doc) -> bool:
    """Whether an armed clash is an armed group's attack on civilians: its cue names no fighting
    between sides (the word list ``reciprocal``), no armed side opposes the group, and the dead it tells are all
    civilians or civilians are the ones acted upon ("12 civilians were killed when fighters attacked
    the village"). ACLED: a battle is between two armed, organised sides; civilians are never one
    (codebook, Battles and Violence against civilians)."""
    cue = draft.trigger
    if cue.sub_event_type != "Armed clash" or actor2 is not None or words.within(
            doc, "reciprocal", cue.origin + cue.start, cue.origin + cue.end):
        return False  # "two army units clashed": a clash however its sides resolve
    deaths = draft.fatalities
    if deaths.fatalities and deaths.civilians == deaths.fatalities:
        return True
    return any(m.actor.inter == "Civilians" and m.span.start in draft.patients for m in draft.actors)


def _country(draft: _Draft, ctx: Context) -> str | None:
    if draft.place and draft.place.country:
        return draft.place.country
    if ctx.focus and ctx.focus.country:
        return ctx.focus.country
    return next((m.actor.country for m in draft.actors if m.actor.country), None)


def _point(place: Place | None, country: str | None, ctx: Context) -> tuple[float | None, float | None, int]:
    if place is not None:
        return place.latitude, place.longitude, place.geo_precision
    if ctx.focus is not None:
        return ctx.focus.latitude, ctx.focus.longitude, 3
    return None, None, 3  # no place named: no point, never a stand-in


def _sides(draft: _Draft, country: str | None, generics: Mapping[tuple[str, str | None], Actor],
           ) -> tuple[Actor, tuple[str, ...], Actor | None, tuple[str, ...]]:
    """actor1 and its allies, actor2 and its allies, ACLED's way.

    actor1 is the first armed actor that acted (the agent of a trigger in the parse, else one named
    before it; in a battle or a strike, an unidentified armed group when only the side hit is named),
    else the first named that was not acted upon nor a party to another clause. Others join it when
    they are of its camp (state and foreign forces on one side, non-state groups that acted on the
    other); those acted upon and the rest make up side 2. ACLED's codebook rules hold: civilians are
    always actor2 in violence against civilians, and actor2 of a strike or a bomb that killed them;
    civilians are never a side of a battle nor a protest's opponent (only a force that intervened
    is); protesters and rioters are actor1 of their events, and the crowd of a riot is not its own
    opponent.
    """
    mentions = sorted(draft.actors, key=lambda m: m.span.start)
    civilians = [m for m in mentions if m.actor.inter == "Civilians"]
    armed = [m for m in mentions if m.actor.inter != "Civilians"]
    if any(not m.generic for m in armed):  # "militants" next to "Al Shabaab" are Al Shabaab's
        armed = [m for m in armed if not (m.generic and m.actor.name.startswith("Unidentified"))]
    acted_upon = draft.patients
    side1: list[Actor] = []
    side2: list[Actor] = []
    if armed:
        first = next((m for m in armed if m.span.start in draft.agents and m.span.start not in acted_upon), None)
        if first is None:
            first = next((m for m in armed if m.span.start in draft.leading and m.span.start not in acted_upon),
                         None)
        if first is None:
            first = next((m for m in armed if m.span.start not in acted_upon | draft.others), None)
        kind = draft.trigger.event_type
        if first is None and kind in WAR_ZONE_TYPES and all(m.span.start in acted_upon for m in armed):
            side1.append(generics["armed", country])  # only the side acted upon is named
        else:
            first = first or armed[0]
            side1.append(first.actor)
        for m in armed:
            if m is first:
                continue
            state_camp = _is_state(m.actor) == _is_state(side1[0])
            ally = (m.span.start not in acted_upon and state_camp
                    and (_is_state(m.actor) or m.span.start in draft.leading))
            (side1 if ally else side2).append(m.actor)
    kind = draft.trigger.event_type
    victims = [m.actor for m in civilians if m.span.start in acted_upon]
    if kind == "Protests":
        side1 = [generics["protesters", country]]
        side2 = [m.actor for m in armed if m.actor.inter == "State forces"][:1]
    elif kind == "Riots":
        side2 = [a for a in side2 if a.inter != "Protesters"]  # the crowd is the rioters, not their target
        if not any(a.inter == "Rioters" for a in side1):
            side1 = [generics["rioters", country], *[a for a in side1 if a.inter != "Protesters"]]
    if kind == "Violence against civilians":
        side2 = [c.actor for c in civilians][:1] or [generics["civilians", country]]
    elif kind == "Explosions/Remote violence" and victims:
        side2 = [victims[0], *side2]  # the strike's victims, the side it aimed at as their associate
    elif civilians and not side2 and kind not in {"Battles", "Protests"}:
        side2 = [civilians[0].actor]  # a protest's only opponent is the force that intervened
    if not side1:
        side1 = [generics["armed", country]]
    side2 = [a for a in side2 if a.name != side1[0].name]
    return (side1[0], tuple(a.name for a in side1[1:]), side2[0] if side2 else None,
            tuple(a.name for a in side2[1:]))


def _taker_is_loser(sub_event_type: str, actor1: Actor, actor2: Actor | None) -> bool:
    """Whether the sides of a change of territory stand the wrong way round: the kind of side that
    takes the place (state forces for the government, a non-state group otherwise) is actor2."""
    if actor2 is None:
        return False
    if sub_event_type == "Non-state actor overtakes territory":
        return actor1.inter == "State forces" and not _is_state(actor2)
    if sub_event_type == "Government regains territory":
        return actor2.inter == "State forces" and not _is_state(actor1)
    return False


def _territory(sub_event_type: str, actor1: Actor, actor2: Actor | None) -> str:
    """A change of territory named after who took it (ACLED codebook), once the sides stand right
    (``_taker_is_loser``): a state force that takes a place regains it for the government; a
    non-state group that takes one from state forces overtakes it."""
    if sub_event_type == "Non-state actor overtakes territory" and actor1.inter == "State forces":
        return "Government regains territory"
    if (sub_event_type == "Government regains territory" and not _is_state(actor1) and actor2 is not None
            and actor2.inter == "State forces"):
        return "Non-state actor overtakes territory"
    return sub_event_type


def _is_state(actor: Actor) -> bool:
    return actor.inter in {"State forces", "External/Other forces"}


def _confidence(draft: _Draft) -> float:
    score = draft.trigger.weight
    score += 0.05 if draft.dated else -0.05
    score += 0.05 if draft.place is not None and draft.place.geo_precision == 1 else 0.0
    score += 0.05 if any(not m.generic for m in draft.actors) else 0.0
    score += 0.05 if draft.fatalities.fatalities else 0.0
    return max(0.05, min(0.99, score))


def _event_id(article_id: str, draft: _Draft) -> str:
    key = f"{article_id}|{draft.sentences[0].start}|{draft.trigger.sub_event_type}"
    return hashlib.sha1(key.encode()).hexdigest()[:16]


def notes(event: Event) -> str:
    """One ACLED-style sentence: who did what, where, with what toll, according to whom. Its opening says
    how well the day is known, as ACLED's time precision does (codebook, Time precision): "On 3 May
    2024" (1), "Between 1 and 3 May 2024" for a multi-day total, "On or around 3 May 2024" (2),
    "In May 2024" (3), "On an unknown date"."""
    parties = event.actor1.name + (f" and {event.actor2.name}" if event.actor2 else "")
    where = (event.location or "an unknown place") + (
        f" ({event.admin1})" if event.admin1 and event.admin1 != event.location else "")
    if event.country and event.country not in where:
        where += f", {event.country}"
    text = f"{_when_noted(event)}, {event.sub_event_type.lower()} involving {parties} in {where}."
    f = event.fatalities
    if f.fatalities:
        text += f" {f.fatalities} fatalities"
        text += f" ({f.civilians} civilians)." if f.civilians else "."
    if event.sources:
        text += " Reported by " + "; ".join(s.name for s in event.sources) + "."
    return text



def _when_noted(event: Event) -> str:
    """The opening of ``notes``: the day and how well it is known."""
    start, end = event.event_date, event.date_end
    if start is None:
        return "On an unknown date"
    day = f"{start.day} {start:%B %Y}"
    if end is not None and end != start:
        first = str(start.day) if (start.year, start.month) == (end.year, end.month) else day
        return f"Between {first} and {end.day} {end:%B %Y}"
    if event.time_precision == 2:
        return f"On or around {day}"
    if event.time_precision == 3:
        return f"In {start:%B %Y}"
    return f"On {day}"
