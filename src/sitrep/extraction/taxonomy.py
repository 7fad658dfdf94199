"""ACLED's event taxonomy and the trigger lexicon that classifies a sentence into it.

Each sub-type has cue patterns written from the ACLED codebook definitions (see ``ACLED.md``).
A sentence is classified by the first rule that fires in ``RULES``: the order encodes ACLED's
precedence (a chemical attack is a *Chemical weapon* event even if it killed civilians; an air
strike on civilians stays *Air/drone strike*; protesters killed by police is *Excessive force*).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

EVENT_TYPES: dict[str, tuple[str, ...]] = {
    "Battles": ("Armed clash", "Government regains territory", "Non-state actor overtakes territory"),
    "Explosions/Remote violence": (
        "Chemical weapon", "Air/drone strike", "Suicide bomb", "Shelling/artillery/missile attack",
        "Remote explosive/landmine/IED", "Grenade",
    ),
    "Violence against civilians": ("Sexual violence", "Attack", "Abduction/forced disappearance"),
    "Protests": ("Peaceful protest", "Protest with intervention", "Excessive force against protesters"),
    "Riots": ("Violent demonstration", "Mob violence"),
    "Strategic developments": (
        "Agreement", "Arrests", "Change to group/activity", "Disrupted weapons use",
        "Headquarters or base established", "Looting/property destruction",
        "Non-violent transfer of territory", "Other",
    ),
}
TYPE_OF: dict[str, str] = {sub: kind for kind, subs in EVENT_TYPES.items() for sub in subs}


def _rx(*patterns: str) -> re.Pattern[str]:
    return re.compile(r"\b(?:" + "|".join(patterns) + r")", re.IGNORECASE)


KILL = _rx(r"kill(?:ed|ing|s)?\b", r"shot dead", r"dead\b", r"deaths?\b", r"died\b", r"lives\b",
           r"massacr", r"executed", r"slain", r"murder", r"tu[ée]s?\b", r"morts?\b")
CIVILIAN_TARGET = _rx(r"civilians?", r"people", r"persons", r"(?:wo)?men\b", r"family", r"families", r"child\b", r"residents?", r"villagers?", r"farmers?", r"passengers?",
                      r"worshippers", r"women", r"children", r"students?", r"teachers?", r"journalists?",
                      r"traders?", r"shopkeepers?", r"herders?", r"(?:a|the) (?:man|woman|boy|girl)\b",
                      r"civils?\b", r"IDPs?", r"displaced", r"aid workers?", r"elders?\b",
                      r"(?:health|humanitarian) workers?", r"pedestrians?", r"motorists?", r"drivers?")
ARMED_AGENT = _rx(r"gunm[ae]n", r"militants?", r"militia", r"fighters?", r"insurgents?", r"jihadists?",
                  r"rebels?", r"soldiers?", r"troops", r"forces", r"police", r"army", r"attackers?",
                  r"assailants?", r"armed", r"bandits?", r"terrorists?", r"al[- ]shabaab", r"islamic state",
                  r"boko haram", r"officers?", r"security", r"kidnappers?", r"clan\b", r"members of",
                  r"hommes armés", r"combattants?", r"groupe armé")
PROTEST = _rx(r"protest", r"demonstrat", r"rall(?:y|ied|ies)", r"march(?:ed|es)?\b", r"sit-in",
              r"manifest", r"took to the streets")


@dataclass(frozen=True)
class Rule:
    """One cue pattern for a sub-type, with conditions on the rest of the sentence."""

    sub_event_type: str
    pattern: re.Pattern[str]
    needs: tuple[re.Pattern[str], ...] = ()
    """Other patterns that must all occur in the sentence too."""
    unless: re.Pattern[str] | None = None
    """A pattern that vetoes the rule."""
    weight: float = 0.8
    """How sure the cue alone makes us (feeds the event's confidence)."""


RULES: tuple[Rule, ...] = (
    Rule("Chemical weapon", _rx(r"chemical (?:attack|weapon|agent)", r"sarin", r"chlorine (?:gas|attack|bomb)",
                                r"nerve (?:agent|gas)", r"toxic gas", r"poison(?:ous)? gas", r"mustard gas"),
         unless=_rx(r"destroy (?:its|their) chemical", r"chemical weapons? (?:stockpile|convention|depot)")),
    Rule("Suicide bomb", _rx(r"suicide (?:bomb|attack|car|vest|truck|blast|explos)", r"blew (?:him|her)self up",
                             r"SVBIED", r"kamikaze", r"self-detonat")),
    Rule("Air/drone strike", _rx(r"air ?strikes?", r"airstrikes?", r"air raids?", r"air attacks?",
                                 r"drone (?:strike|attack)s?", r"(?:aircraft|planes?|jets?|helicopters?) (?:\w+ )?(?:bombed|struck|attacked|hit|targeted|fired)", r"drones? (?:struck|hit|targeted|attacked|bombed)",
                                 r"warplanes?", r"fighter jets?", r"jets? (?:struck|bombed|pounded|targeted)",
                                 r"helicopter (?:gunship|attack|strike)", r"barrel bombs?", r"aerial (?:bombard|attack|strike)",
                                 r"bombed from the air", r"frappes? a[ée]riennes?", r"raids? a[ée]riens?",
                                 r"unmanned aerial", r"UAV strike", r"air-?dropped"),
         unless=_rx(r"shot down", r"intercepted")),
    Rule("Grenade", _rx(r"grenades?")),
    Rule("Remote explosive/landmine/IED", _rx(r"IEDs?\b", r"VBIED", r"roadside (?:bomb|explosive|device)",
                                              r"(?:land)?mines? (?:explo|blast|went off|detonat)", r"landmines?",
                                              r"car bombs?", r"explosive devices?", r"explosives?-laden",
                                              r"bomb (?:blast|explo|went off|attack|detonat|ripped)",
                                              r"(?:explosion|blast) (?:hit|struck|killed|ripped|targeted|rocked)",
                                              r"booby[- ]trap", r"remote[- ]controlled (?:bomb|explosive|device)",
                                              r"explosion", r"blast\b", r"bombing", r"magnetic bomb",
                                              r"stepped on a mine", r"(?:hit|struck) a mine"),
         unless=_rx(r"defused", r"dismantled", r"foiled", r"thwarted", r"gas (?:leak|explosion)",
                    r"(?:boiler|cylinder|factory|mine collapse|mining) ")),
    Rule("Shelling/artillery/missile attack", _rx(r"shell(?:ing|ed|s)\b", r"artillery", r"mortars?",
                                                  r"rockets?", r"missiles?", r"bombard", r"katyusha",
                                                  r"howitzer", r"tank fire", r"pounded", r"bombardement",
                                                  r"obus", r"projectiles?"),
         unless=_rx(r"intercepted", r"shot down", r"air defen[cs]e")),
    Rule("Sexual violence", _rx(r"rap(?:e|ed|ing)\b", r"sexual(?:ly)? (?:violence|assault|abuse)",
                                r"sexually assaulted", r"gang-raped", r"viol[ée]e?s?\b")),
    Rule("Abduction/forced disappearance", _rx(r"abduct", r"kidnap", r"taken hostage", r"forcibly disappeared",
                                               r"forced disappearance", r"seized (?:\w+ )?(?:civilians|people|men|women)",
                                               r"enlev", r"held hostage")),
    Rule("Excessive force against protesters",
         _rx(r"(?:opened|open) fire on (?:the )?(?:protesters|demonstrators|crowd)", r"live (?:ammunition|fire|rounds|bullets)",
             r"(?:protesters|demonstrators) (?:were |was )?(?:killed|shot)", r"killing (?:\w+ )?(?:protesters|demonstrators)"),
         needs=(PROTEST,)),
    Rule("Violent demonstration", _rx(r"riot", r"(?:threw|throwing|hurled|hurling) (?:stones|rocks|petrol|molotov)",
                                      r"burn(?:ed|t|ing) tyres", r"burn(?:ed|t|ing) tires", r"set (?:fire|ablaze)",
                                      r"torched", r"vandali[sz]", r"violent (?:protest|demonstration)s?",
                                      r"(?:protesters|demonstrators) (?:clashed|attacked|stormed|blocked)", r"émeutes?"),
         needs=(PROTEST,)),
    Rule("Protest with intervention", _rx(r"dispers", r"tear ?gas", r"water cannons?", r"rubber bullets",
                                          r"(?:arrested|detained) (?:\w+ )?(?:protesters|demonstrators)",
                                          r"broke up", r"baton", r"crack(?:ed)? down"),
         needs=(PROTEST,)),
    Rule("Peaceful protest", PROTEST, unless=_rx(r"protested (?:the|that|against the decision)",
                                                 r"in protest (?:at|of)", r"protests? (?:from|by) (?:the )?(?:government|ministry)",
                                                 r"demonstrated (?:that|how|its|their)", r"demonstration of",
                                                 r"diplomatic protest", r"lodged a protest"), weight=0.7),
    Rule("Mob violence", _rx(r"\bmob\b", r"lynch", r"vigilante", r"angry (?:crowd|residents|villagers) (?:attacked|beat|killed|burned)",
                             r"mob justice"), weight=0.75),
    Rule("Agreement", _rx(r"ceasefire", r"cease-fire", r"truce", r"peace (?:deal|agreement|accord|treaty)",
                          r"prisoner (?:exchange|swap)", r"signed an? (?:\w+ )?(?:agreement|accord|deal)",
                          r"reached an? (?:\w+ )?(?:agreement|accord|deal)", r"agreed to (?:a|an|the) (?:ceasefire|truce|exchange|deal)",
                          r"reconciliation (?:agreement|deal)", r"trêve", r"cessez-le-feu", r"accord de paix",
                          r"mediat(?:ed|ion) (?:between|by)"), weight=0.75),
    Rule("Government regains territory", _rx(r"recaptur", r"retook", r"retaken", r"retake", r"regain(?:ed)? control",
                                             r"liberat(?:ed|ion of)", r"reclaimed", r"took back", r"back under (?:government|army) control",
                                             r"repris le contr[ôo]le")),
    Rule("Non-state actor overtakes territory", _rx(r"took control", r"taken control", r"taking control", r"seized control",
                                                    r"captured (?:the )?(?:town|city|village|base|district|area|airport|border|region|province|capital)",
                                                    r"overr(?:a|u)n", r"fell (?:in)?to (?:the )?(?:hands|control|rebels|militants|jihadists|insurgents|fighters)",
                                                    r"fallen into the hands",
                                                    r"fall(?:en)? to (?:the )?(?:rebels|jihadists|militants)",
                                                    r"seized (?:the )?(?:town|city|village|base|district|area|airport)",
                                                    r"took over (?:the )?(?:town|city|village|base|district|area)",
                                                    r"pris le contr[ôo]le", r"tomb[ée]e? aux mains", r"captured\b",
                                                    r"in the hands of")),
    Rule("Disrupted weapons use", _rx(r"defused", r"intercepted", r"shot down", r"foiled", r"thwarted",
                                      r"(?:cleared|clearing|removed) (?:\w+ )?(?:mines|explosives|IEDs?)",
                                      r"dismantled (?:an? )?(?:IED|bomb|explosive)", r"bomb disposal",
                                      r"seized (?:\w+ )?(?:weapons|arms|explosives|ammunition)",
                                      r"(?:arms|weapons) (?:cache|seizure)", r"confiscated (?:\w+ )?(?:weapons|arms)"), weight=0.7),
    Rule("Arrests", _rx(r"arrest", r"detain", r"apprehend", r"rounded up", r"taken into custody", r"interpell",
                        r"custody"), needs=(ARMED_AGENT,), weight=0.7),
    Rule("Attack", _rx(r"shot dead", r"gunned down", r"executed", r"massacr", r"beheaded", r"stabbed", r"assassinat",
                       r"murdered", r"opened fire on", r"(?:killed|kills|killing|attacked|shot|beat|tortured) (?:\w+ ){0,3}"
                       r"(?:civilians?|residents?|villagers?|farmers?|passengers?|worshippers|women|children|"
                       r"students?|teachers?|journalists?|traders?|herders?|people|man|woman|boy|girl|elders?|"
                       r"(?:aid|health) workers?|IDPs|displaced)", r"tortur", r"beat(?:en|ing)? (?:to death|up)"),
         needs=(ARMED_AGENT,), weight=0.75),
    Rule("Armed clash", _rx(r"clash", r"exchange(?:d)? (?:of )?(?:fire|gunfire)",
                            r"firefight", r"gunfight", r"ambush",
                            r"(?:launched|began|started|pressed|continued|mounted|led) (?:\w+ ){0,3}offensive",
                            r"offensive (?:on|against|to (?:take|capture|retake))", r"(?:attacked|raided|stormed|assaulted) (?:an? |the )?"
                            r"(?:\w+ ){0,3}(?:base|position|checkpoint|convoy|camp|post|outpost|barracks|patrol|troops|forces|soldiers)",
                            r"combats?\b", r"affrontements?", r"skirmish", r"hostilities", r"counter-?attack",
                            r"(?:army|troops|soldiers|forces|militants|fighters|militia) (?:attacked|raided|stormed)",
                            r"(?:launched|carried out) an? (?:\w+ )?(?:attack|assault|raid|operation)",
                            r"(?:attack|assault|raid) on"),
         unless=_rx(r"legal (?:battle|fight)", r"fight(?:ing)? (?:against )?(?:corruption|poverty|disease|cancer|fire|wildfire|hunger|climate|covid)",
                    r"election battle", r"political (?:battle|fight)", r"court battle", r"price war",
                    r"battle (?:for|over) (?:votes|market)", r"charm offensive"), weight=0.75),
    Rule("Armed clash", _rx(r"fight(?:ing|s)?\b", r"fought", r"battl"), needs=(ARMED_AGENT,),
         unless=_rx(r"fight(?:ing)? (?:\w+ )?(?:against )?(?:corruption|poverty|disease|cancer|fire|wildfire|hunger|climate|covid)",
                    r"(?:legal|court|election|political|price) (?:battle|fight)", r"fighter jets?"), weight=0.65),
    Rule("Attack", _rx(r"(?:killed|kills|killing|attacked|shot|wounded|injured)\b"), needs=(ARMED_AGENT, CIVILIAN_TARGET),
         unless=_rx(r"soldiers? (?:were|was) (?:killed|shot)", r"militants? (?:were|was) (?:killed|shot)"),
         weight=0.55),
    Rule("Armed clash", _rx(r"(?:killed|killing)\b"), needs=(ARMED_AGENT,), weight=0.45),
    Rule("Headquarters or base established", _rx(r"(?:established|set up|setting up|opened|built) (?:an? |their |its |a new )?"
                                                 r"(?:\w+ )?(?:base|headquarters|camp|outpost|checkpoint)s?"), weight=0.65),
    Rule("Looting/property destruction", _rx(r"loot", r"pillag", r"ransack", r"torched", r"burn(?:ed|t) (?:down )?(?:\w+ )?"
                                             r"(?:homes|houses|villages?|shops|property|huts|vehicles|crops)",
                                             r"destroy(?:ed)? (?:\w+ )?(?:homes|houses|property|shops|wells|telecom|masts)",
                                             r"demolish", r"confiscat", r"extort"), weight=0.65),
    Rule("Non-violent transfer of territory", _rx(r"withdr[ae]w", r"pulled out", r"handed (?:over|control)",
                                                  r"took over (?:without|peacefully)", r"entered (?:\w+ ){0,3}without (?:a fight|resistance)",
                                                  r"vacated", r"evacuated (?:their|its) (?:base|positions)",
                                                  r"retreat(?:ed)?", r"abandoned (?:their|its) (?:base|positions)"),
         needs=(ARMED_AGENT,), weight=0.65),
    Rule("Change to group/activity", _rx(r"defect", r"merg(?:ed|er)", r"join(?:ed)? forces", r"recruit", r"mobili[sz](?:ed|ation) "
                                         r"(?:of )?(?:\w+ )?(?:fighters|troops|militia|forces|members)", r"deploy",
                                         r"reinforc", r"convoy", r"patroll?(?:ed|ing)", r"arrived in", r"gathering",
                                         r"movement of forces", r"training", r"graduat", r"surrender", r"handed over (?:\w+ )?weapons",
                                         r"weapons? (?:handover|delivery|shipment)", r"alliance", r"disarm",
                                         r"collect(?:ed|ing)? (?:zakat|taxes)", r"imposed", r"(?:new|appointed) (?:commander|leader)"),
         needs=(ARMED_AGENT,), weight=0.55),
)

SUBTYPE_PRIORITY = {rule.sub_event_type: i for i, rule in reversed(list(enumerate(RULES)))}


@dataclass(frozen=True)
class Trigger:
    """The cue that made a sentence an event mention."""

    sub_event_type: str
    start: int
    """Offset of the cue within the sentence."""
    end: int
    text: str
    weight: float

    @property
    def event_type(self) -> str:
        return TYPE_OF[self.sub_event_type]


def classify(sentence: str) -> Trigger | None:
    """The sub-type a sentence reports, by the first rule of ``RULES`` that fires; None if no event."""
    for rule in RULES:
        match = rule.pattern.search(sentence)
        if not match:
            continue
        if not all(need.search(sentence) for need in rule.needs):
            continue
        if rule.unless is not None and rule.unless.search(sentence):
            continue
        return Trigger(rule.sub_event_type, match.start(), match.end(), match.group(0), rule.weight)
    return None


def mentions_killing(sentence: str) -> bool:
    return KILL.search(sentence) is not None


def targets_civilians(sentence: str) -> bool:
    return CIVILIAN_TARGET.search(sentence) is not None
