"""ACLED's event taxonomy and the trigger lexicon that classifies a sentence into it.

Each sub-type has cue patterns written from the ACLED codebook definitions (see ``ACLED.md``).
A sentence is classified by the first rule that fires in ``RULES``: the order encodes ACLED's
precedence (a chemical attack is a *Chemical weapon* event even if it killed civilians; an air
strike on civilians stays *Air/drone strike*; protesters killed by police is *Excessive force*).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
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
                      r"traders?", r"shopkeepers?", r"herders?", r"shepherds?", r"vendors?", r"(?:a|the) (?:man|woman|boy|girl)\b",
                      r"civils?\b", r"IDPs?", r"displaced", r"aid workers?", r"elders?\b", r"priests?", r"pastors?", r"imams?",
                      r"(?:health|humanitarian) workers?", r"pedestrians?", r"motorists?", r"drivers?")
GROUP_NAMES = (r"(?:al[- ]shabaab|islamic state|boko haram|taliban|houthis?|hamas|hezbollah|al[- ]qaeda|ansar\w*|"
               r"(?-i:ISIS|ISIL|IS|ISWAP|ISSP|HTS|JNIM|AQIM|RSF|ADF|M23|PKK|SDF|YPG|ELN|FARC|TPLF|CODECO|FDLR)|"
               r"daesh|hayat tahrir|nusra|wagner|janjaweed|fano|mai[- ]mai|anti-balaka|seleka|imbonerakure|"
               r"wazalendo|ambazonian|mujahideen|guerrillas?|paramilitar\w*|junta|commandos?|separatists?|"
               r"gangs?|gang members|cartels?|\w+ (?:liberation|independence|defen[cs]e) (?:front|army|forces))\b")
"""Organised armed groups named outright (acronyms case-sensitive): enough to make violence political."""
ARMED_AGENT = _rx(r"gunm[ae]n", r"militants?", r"militia", r"fighters?", r"insurgents?", r"jihadists?",
                  r"rebels?", r"soldiers?", r"troops", r"forces", r"police", r"army", r"attackers?",
                  r"assailants?", r"armed", r"bandits?", r"terrorists?", r"al[- ]shabaab", r"islamic state",
                  r"boko haram", r"officers?", r"security", r"kidnappers?", r"clan\b", r"members of",
                  r"hommes armés", r"combattants?", r"groupe armé", GROUP_NAMES)
STATE_AGENT = _rx(r"police", r"policemen", r"soldiers?", r"troops", r"army", r"military", r"(?:security|government|"
                  r"federal|state|national|armed|defen[cs]e) forces", r"authorities", r"gendarm", r"officers?",
                  r"security agents", r"intelligence", r"national guard", r"SNA\b", r"regime", r"dervish",
                  r"forces")
"""Agents of a state: who arrests, who retakes territory, who uses force on protesters."""
NON_STATE_AGENT = _rx(r"gunm[ae]n", r"militants?", r"militia", r"fighters", r"insurgents?", r"jihadists?", r"rebels?",
                      r"bandits?", r"terrorists?", GROUP_NAMES)
ORGANISED_AGENT = _rx(r"militants?", r"militia", r"fighters?", r"insurgents?", r"jihadists?", r"rebels?",
                      r"soldiers?", r"troops", r"army", r"military", r"security forces", r"bandits?", r"terrorists?",
                      GROUP_NAMES)
"""Armed actors whose violence ACLED codes even where the text otherwise reads as crime or accident."""
ATTRIBUTION = _rx(r"(?:the )?(?:police|officials?|authorities|army|military|security sources?|officers?)"
                  r"(?: spokesm[ae]n)? (?:said|say|says|told|reported|confirmed|added)",
                  r"according to (?:the )?(?:\w+ ){0,3}(?:police|officials?|authorities|army|military)")
"""Who reported an event is not a party to it ('..., police said')."""
PROTEST = _rx(r"protest", r"demonstrat", r"rall(?:y|ied|ies)\b", r"march(?:ed|es|ing)\b", r"(?:a|the|protest|peaceful) (?-i:march)\b(?!\s+\d)", r"sit-in",
              r"manifest", r"took to the streets")
CROWD = _rx(PROTEST.pattern[2:], r"rioters?", r"youths?", r"crowds?", r"supporters", r"students", r"mobs?\b")
SPORTS = _rx(r"football", r"soccer", r"basketball", r"cricket", r"rugby", r"tennis", r"boxer", r"boxing",
             r"striker\b", r"midfielder", r"goalkeeper", r"matches\b", r"match\b", r"league\b", r"cup final",
             r"final whistle", r"scored", r"goals?\b", r"kick-?off", r"stadium", r"pitch\b", r"referee",
             r"tournament", r"championship", r"champions\b", r"olympic", r"derby\b", r"innings", r"wickets?",
             r"knocked out", r"semi-?final", r"quarter-?final", r"\d{1,3}-\d{1,3} (?:win|victory|defeat|draw)",
             r"(?:two|rival|opposing|visiting|home) teams", r"(?:first|second) leg\b")
"""A match report uses war words ('clash', 'battle', 'attack', 'shot'): no event."""
MISHAP = _rx(r"earthquake", r"quake", r"floods?\b", r"flooding", r"landslide", r"mudslide", r"avalanche", r"cyclone",
             r"hurricane", r"typhoon", r"tornado", r"storms?\b", r"wildfires?", r"bushfires?", r"blaze", r"fire broke out",
             r"caught fire", r"collided", r"collision", r"crash(?:ed|es)?\b", r"derail", r"capsiz", r"drown",
             r"heatwave", r"outbreak", r"cholera", r"epidemic", r"gas (?:leak|explosion|cylinder)",
             r"(?:tanker|boiler|cylinder|factory|fuel depot) (?:explosion|blast|fire)", r"mine collapse",
             r"building collapse", r"stampede", r"bomb threat", r"hoax", r"flames", r"firefighters?")
"""Disasters and accidents: deaths and destruction with no perpetrator."""
CRIME = _rx(r"robb(?:ed|ery|ers?)", r"burglar", r"\bstole\b", r"theft", r"drunk", r"argument", r"quarrel",
            r"domestic", r"(?:his|her) (?:wife|husband|girlfriend|boyfriend|partner|neighbour|neighbor)",
            r"neighbou?rs?\b", r"jealous", r"at gunpoint", r"shoplift", r"fraud", r"drug deal", r"drive-by",
            r"homicide", r"charged with", r"pleaded (?:not )?guilty", r"convicted", r"jury", r"sentenced to",
            r"traffic stop", r"parolee", r"heroin", r"cocaine", r"marijuana", r"methamphetamine", r"bar brawl",
            r"ex-(?:boyfriend|girlfriend|husband|wife)", r"break up a fight", r"(?:a|the) fight (?:with|between)")
"""Ordinary crime, which ACLED does not code unless organised armed actors commit it."""
NOTABLE = _rx(r"activists?", r"opposition", r"protesters?", r"demonstrators?", r"journalists?", r"reporters?",
              r"bloggers?", r"politicians?", r"lawmakers?", r"MPs?\b", r"leaders?", r"militants?", r"insurgents?",
              r"rebels?", r"terror\w*", r"extremists?", r"jihadists?", r"members of", r"suspected (?:members|militants|"
              r"fighters|collaborators|spies)", r"spy\b", r"spies", r"espionage", r"coup", r"dissidents?", r"students?",
              r"clerics?", r"imams?", r"commanders?", r"officials?", r"ministers?", r"candidates?", r"supporters",
              r"fighters?", r"party", r"nationals", r"foreigners", r"smugglers?", r"mercenar\w+", r"defectors?",
              r"al[- ]shabaab", r"islamic state", r"boko haram", r"collaborat\w+", r"informants?", r"separatists?")
"""ACLED codes arrests that matter politically: of activists, journalists, militants, officials, foreigners;
not a city police blotter."""
SPORTS_EXEMPT = frozenset(EVENT_TYPES["Protests"] + EVENT_TYPES["Riots"])
"""Fans who riot after a match are still a riot."""


@dataclass(frozen=True)
class Rule:
    """One cue pattern for a sub-type, with conditions on the rest of the sentence."""

    sub_event_type: str
    pattern: re.Pattern[str]
    needs: tuple[re.Pattern[str], ...] = ()
    """Other patterns that must all occur in the sentence too (attributions like 'police said' removed)."""
    unless: re.Pattern[str] | None = None
    """A pattern that vetoes the rule."""
    weight: float = 0.8
    """How sure the cue alone makes us (feeds the event's confidence)."""
    check: Callable[[str, re.Match[str]], bool] | None = None
    """A further test of the sentence and the cue's match."""


def _state_led(sentence: str, cue: re.Match[str]) -> bool:
    """Whether the actor named nearest before the cue is a state's force ('troops recaptured ...')."""
    before = sentence[:cue.start()]
    state = [m.end() for m in STATE_AGENT.finditer(before)]
    other = [m.end() for m in NON_STATE_AGENT.finditer(before)]
    return bool(state) and (not other or max(state) > max(other))


TAKE_PLACE = r"(?:town|city|village|base|district|area|airport|border|region|province|capital|port|camp|localit\w+|positions?)"
CLASH = _rx(r"clash", r"exchange(?:d)? (?:of )?(?:heavy )?(?:fire|gunfire)", r"firefights?\b", r"gun ?battle", r"gunfight",
            r"engaged (?:\w+ ){0,3}in (?:an? )?(?:armed )?(?:clash|fight|battle)")
"""Fighting between two armed sides: an explosive used within it stays part of the clash."""
NO_FIGHT = _rx(r"without (?:a |any )?(?:fight|fighting|resistance|clash\w*|a shot)", r"no (?:clash\w*|fighting|resistance)"
               r" (?:was |were )?(?:reported|occurred|took place)?", r"there were no clash", r"unopposed",
               r"peacefully took", r"took over peacefully")
VIOLENT_PROTEST = _rx(r"riot(?!\s+(?:police|gear|squad|control|unit|officers))", r"rioters",
                      r"(?:threw|throwing|hurled|hurling|pelt\w*|pelting) (?:\w+ )?(?:stones|rocks|petrol|molotov|bottles)",
                      r"stone-?throwing", r"burn(?:ed|t|ing) tyres", r"burn(?:ed|t|ing) tires", r"set (?:\w+ ){0,3}(?:on fire|ablaze)",
                      r"set fire", r"torched", r"vandali[sz]", r"violent (?:protest|demonstration)s?",
                      r"(?:protesters|demonstrators|supporters|youths|students) (?:\w+ )?(?:clashed|attacked|stormed|blocked|burned|looted)",
                      r"clashed with (?:the )?(?:\w+ )?(?:police|security forces)", r"émeutes?")

HOSTILE = _rx(ARMED_AGENT.pattern[2:], r"attack", r"bomb", r"detonat", r"target", r"claimed", r"suicide", r"explosives?\b",
              r"device")
"""What makes a bare explosion an attack: an armed actor, or words of attack. Explosions without them
are accidents until a source says otherwise (ACLED codes political violence, not industrial blasts)."""

ARREST = _rx(r"arrest", r"detain", r"apprehend", r"rounded up", r"taken into custody", r"took into custody",
             r"interpell", r"custody")
"""Detention: an arrest when a state's forces make it, an abduction when an armed group does."""

RULES: tuple[Rule, ...] = (
    Rule("Chemical weapon", _rx(r"chemical (?:attack|weapon|agent)", r"sarin", r"chlorine(?: gas| attacks?| bombs?| barrels?|-filled)",
                                r"nerve (?:agent|gas)", r"toxic gas", r"poison(?:ous)? gas", r"mustard (?:gas|agent)"),
         unless=_rx(r"destroy (?:its|their) chemical", r"chemical weapons? (?:stockpile|convention|depot)",
                    r"chlorine (?:leak|tank|plant|factory)")),
    Rule("Suicide bomb", _rx(r"suicide (?:bomb|attack|car|vest|truck|blast|explos|belt)", r"blew (?:him|her|them)sel(?:f|ves) up",
                             r"SVBIED", r"kamikaze(?! drone)", r"self-detonat", r"explosive (?:belts?|vests?)",
                             r"killing (?:him|her)self")),
    Rule("Disrupted weapons use", _rx(r"defus(?:ed|ing)", r"foiled", r"thwarted", r"intercept(?:ed|ing)", r"shot down",
                                      r"demin(?:ers?|ing)", r"bomb disposal", r"(?:cleared|clearing|removed) (?:\w+ ){0,3}(?:mines|landmines|explosives|IEDs?|ordnance)",
                                      r"dismantled (?:an? )?(?:IED|bomb|explosive)",
                                      r"(?:seized|recovered|found|discovered|confiscated) (?:\w+ ){0,3}(?:cache|weapons|arms|explosives|ammunition)",
                                      r"(?:arms|weapons) (?:cache|seizure)"),
         unless=_rx(r"kill(?:ed|ing)", r"wound", r"injur", r"damag", r"dead\b", r"hit (?:a|the)\b")),
    Rule("Air/drone strike", _rx(r"air ?strikes?", r"airstrikes?", r"air raids?", r"air attacks?",
                                 r"drone (?:strike|attack)s?", r"(?:aircraft|planes?|jets?|helicopters?) (?:\w+ )?(?:bombed|struck|attacked|hit|targeted|fired)", r"drones? (?:struck|hit|targeted|attacked|bombed)",
                                 r"warplanes?", r"fighter jets?", r"jets? (?:struck|bombed|pounded|targeted)",
                                 r"helicopter (?:gunship|attack|strike)", r"barrel bombs?", r"aerial (?:bombard|attack|strike)",
                                 r"bombed from the air", r"frappes? a[ée]riennes?", r"raids? a[ée]riens?",
                                 r"unmanned aerial", r"UAV strike", r"air-?dropped", r"kamikaze drones?",
                                 r"air force (?:jets|planes|aircraft|warplanes|struck|bombed|targeted|pounded|attacked|hit|raids?|strikes?|carried out)"),
         unless=_rx(r"shot down", r"intercepted")),
    Rule("Grenade", _rx(r"(?<!rocket-propelled )(?<!rocket propelled )grenades?"), unless=CLASH),
    Rule("Remote explosive/landmine/IED", _rx(r"IEDs?\b", r"VBIED", r"improvised explosive", r"roadside (?:bomb|explosive|device)",
                                              r"(?:land)?mines? (?:explo|blast|went off|detonat)", r"landmines?", r"anti-(?:tank|personnel) mines?",
                                              r"car bombs?", r"explosive devices?", r"explosives?-laden",
                                              r"bomb (?:blast|explo|went off|attack|detonat|ripped)", r"bomb (?:\w+ ){1,4}(?:went off|exploded)",
                                              r"booby[- ]trap", r"remote[- ]controlled (?:bomb|explosive|device)",
                                              r"bombing", r"magnetic bomb",
                                              r"stepped on a mine", r"(?:hit|struck|ran over) an? (?:\w+ )?mine"),
         unless=_rx(r"defused", r"dismantled", r"foiled", r"thwarted", r"gas (?:leak|explosion)",
                    r"(?:boiler|cylinder|factory|mine collapse|mining) ", CLASH.pattern[2:])),
    Rule("Remote explosive/landmine/IED", _rx(r"explosions?", r"blasts?\b"), needs=(HOSTILE,),
         unless=_rx(r"gas (?:leak|explosion)", r"(?:boiler|cylinder|factory|mine collapse|mining) ", CLASH.pattern[2:]),
         weight=0.55),
    Rule("Shelling/artillery/missile attack", _rx(r"shell(?:ing|ed|s)\b", r"artillery", r"mortars?",
                                                  r"rockets?", r"missiles?", r"bombard", r"katyusha",
                                                  r"howitzer", r"tank fire", r"heavy guns", r"pounded", r"bombardement",
                                                  r"obus", r"projectiles?"),
         unless=_rx(r"intercepted", r"shot down", r"air defen[cs]e", r"rocket-propelled")),
    Rule("Sexual violence", _rx(r"rap(?:e|ed|es|ing)\b", r"sexual(?:ly)? (?:violence|assault|abus|exploit)",
                                r"sexually (?:assaulted|abused|abusing)", r"gang-raped", r"viol[ée]e?s?\b")),
    Rule("Mob violence", _rx(r"\bmobs?\b", r"lynch", r"vigilantes?", r"mob justice", r"jungle justice",
                             r"angry (?:crowd|residents|villagers|youths) (?:\w+ ){0,2}(?:attacked|beat|killed|burned|set upon|stoned)",
                             r"(?:crowd|villagers|residents) (?:\w+ ){0,2}(?:set upon|lynched|stoned)",
                             r"crowd (?:attacked|beat|killed)", r"burn(?:ed|t) (?:him|her|them) alive",
                             r"took the law into their own hands", r"instant justice"),
         unless=_rx(r"mob of (?:protesters|demonstrators)"), weight=0.75),
    Rule("Abduction/forced disappearance", _rx(r"abduct", r"kidnap(?!per)", r"(?:took|taken|taking|take|held|holding) (?:[\w,]+ ){0,5}hostages?\b", r"forcibly disappeared",
                                               r"forced disappearance", r"held hostage", r"taken away by",
                                               r"whereabouts (?:remain |are |is )?unknown", r"has not been seen since",
                                               r"seized (?:\w+ ){0,2}(?:civilians|people|men|women|priest|pastor|chief|"
                                               r"teachers?|students?|girls?|boys?|passengers|villagers|journalists?|aid workers?)",
                                               r"enlev")),
    Rule("Excessive force against protesters",
         _rx(r"(?:opened|open) fire", r"live (?:ammunition|fire|rounds|bullets)", r"fired (?:live |shots )?(?:on|into|at) (?:the )?(?:crowd|protesters|demonstrators)",
             r"shot dead", r"gunned down", r"killed", r"killing", r"beaten to death", r"died after being (?:beaten|shot)",
             r"shot and (?:killed|wounded|injured)"),
         needs=(PROTEST, STATE_AGENT),
         unless=_rx(VIOLENT_PROTEST.pattern[2:], r"(?:protesters|demonstrators) (?:\w+ )?(?:killed|attacked)", r"rubber bullets",
                    r"protest(?:ed|ing)? (?:over|against) (?:the )?(?:\w+ ){0,2}kill")),
    Rule("Violent demonstration", VIOLENT_PROTEST, needs=(CROWD,)),
    Rule("Protest with intervention", _rx(r"dispers", r"tear ?gas", r"water cannons?", r"rubber bullets",
                                          r"(?:arrested|detained) (?:\w+ ){0,3}(?:protesters|demonstrators|activists)",
                                          r"broke up", r"batons?", r"crack(?:ed)? down", r"scattered"),
         needs=(PROTEST,)),
    Rule("Peaceful protest", PROTEST, unless=_rx(r"protested (?:the|that|against the decision)",
                                                 r"in protest (?:at|of)", r"protests? (?:from|by) (?:the )?(?:government|ministry)",
                                                 r"demonstrated (?:that|how|its|their)", r"demonstration of",
                                                 r"diplomatic protest", r"lodged a protest",
                                                 r"ban(?:ned|s)? (?:\w+ ){0,3}(?:protests|rallies|demonstrations|marches)"), weight=0.7),
    Rule("Agreement", _rx(r"ceasefire", r"cease-fire", r"truce", r"peace (?:deal|agreement|accord|treaty)",
                          r"prisoner (?:exchange|swap)", r"exchange(?:d)? (?:of )?prisoners", r"agreed to (?:a|an|the) (?:ceasefire|truce|exchange)",
                          r"agreed to (?:end|stop|cease) (?:the )?(?:hostilities|fighting)", r"reconciliation (?:agreement|deal)",
                          r"trêve", r"cessez-le-feu", r"accord de paix"), weight=0.75),
    Rule("Agreement", _rx(r"signed an? (?:\w+ )?(?:agreement|accord|deal|declaration|pact)",
                          r"reached an? (?:\w+ )?(?:agreement|accord|deal)", r"mediat(?:ed|ion) (?:between|by)"),
         needs=(ARMED_AGENT,), weight=0.7),
    Rule("Non-violent transfer of territory", _rx(r"handed (?:over )?control", r"handed over (?:\w+ ){0,3}" + TAKE_PLACE,
                                                  r"took over (?:without|peacefully)", r"entered (?:\w+ ){0,3}without (?:a fight|resistance)",
                                                  r"(?:withdr[ae]w|pulled out|retreated) (?:\w+ ){0,6}without (?:a )?(?:fight|fighting|resistance)",
                                                  r"(?:took|taken|seized) (?:over |control )(?:\w+ ){0,8}" + NO_FIGHT.pattern[2:],
                                                  r"vacated", r"abandoned (?:their|its) (?:base|positions)"),
         needs=(ARMED_AGENT,), weight=0.7),
    Rule("Government regains territory", _rx(r"recaptur", r"retook", r"retaken", r"retake", r"regain(?:ed)? control",
                                             r"liberat(?:ed|ion of)", r"reclaimed", r"took back", r"back under (?:government|army) control",
                                             r"restored (?:\w+ )?control", r"repris le contr[ôo]le")),
    Rule("Government regains territory", _rx(r"took control", r"taken control", r"taking control", r"seized control",
                                             r"captured (?:the )?" + TAKE_PLACE, r"seized (?:the )?" + TAKE_PLACE,
                                             r"took over (?:the )?" + TAKE_PLACE, r"drove (?:\w+ ){1,4}out of", r"cleared (?:\w+ ){1,4}of"),
         check=_state_led),
    Rule("Non-state actor overtakes territory", _rx(r"took control", r"taken control", r"taking control", r"seized control",
                                                    r"captured (?:the )?" + TAKE_PLACE, r"overr(?:a|u)n",
                                                    r"fell (?:in)?to (?:the )?(?:\w+ ){0,3}(?:hands|control|rebels|militants|jihadists|insurgents|fighters|militia)",
                                                    r"fallen into the hands",
                                                    r"fall(?:en)? to (?:the )?(?:\w+ ){0,3}(?:rebels|jihadists|militants|fighters)",
                                                    r"seized (?:the )?" + TAKE_PLACE, r"took over (?:the )?" + TAKE_PLACE,
                                                    r"pris le contr[ôo]le", r"tomb[ée]e? aux mains",
                                                    r"in the hands of")),
    Rule("Headquarters or base established", _rx(r"(?:established|establish|set up|setting up|opened|built|constructed|erected) (?:an? |their |its |a new |the )?"
                                                 r"(?:\w+ ){0,3}(?:base|headquarters|camp|outpost|observation post|checkpoint|command (?:centre|center|post))s?\b"),
         needs=(ARMED_AGENT,), unless=_rx(r"(?:camp|camps) for (?:the )?(?:displaced|refugees|IDPs)", r"refugee camp", r"IDP camp",
                                          r"opened fire", r"kill(?:ed|ing)", r"injur", r"wound"),
         weight=0.7),
    Rule("Arrests", ARREST, needs=(STATE_AGENT, NOTABLE), check=_state_led,
         unless=_rx(r"for (?:drunk|driving|theft|stealing|robbery|burglary|fraud|speeding|drug)", r"drunk(?:en)? driv",
                    r"(?:stabbing|killing|murder(?:ing)?) (?:his|her) (?:wife|husband|girlfriend|boyfriend|partner|neighbou?r|mother|father)"),
         weight=0.7),
    Rule("Abduction/forced disappearance", ARREST, needs=(NON_STATE_AGENT,), weight=0.65),
    Rule("Attack", _rx(r"shot dead", r"gunned down", r"executed", r"massacr", r"beheaded", r"stabbed", r"assassinat",
                       r"murdered", r"opened fire on", r"hacked (?:\w+ ){0,3}to death", r"(?:killed|kills|killing|attacked|assaulted|shot|beat|tortured|hacked) (?:\w+ ){0,4}"
                       r"(?:civilians?|residents?|villagers?|farmers?|passengers?|worshippers|women|children|"
                       r"students?|teachers?|journalists?|traders?|herders?|shepherds?|vendors?|people|man|woman|boy|girl|elders?|"
                       r"(?:aid|health) workers?|IDPs|displaced|priests?|pastors?|imams?)", r"tortur", r"beat(?:en|ing)? (?:to death|up)"),
         needs=(ARMED_AGENT,), weight=0.75),
    Rule("Armed clash", _rx(r"clash", r"exchange(?:d)? (?:of )?(?:heavy )?(?:fire|gunfire)",
                            r"firefights?\b", r"gun ?battle", r"gunfight", r"ambush",
                            r"(?:launched|began|started|pressed|continued|mounted|led) (?:\w+ ){0,3}offensive",
                            r"offensive (?:on|against|to (?:take|capture|retake))", r"(?:attacked|raided|stormed|assaulted) (?:an? |the )?"
                            r"(?:\w+ ){0,3}(?:base|position|checkpoint|convoy|camp|post|outpost|barracks|patrol|troops|forces|soldiers)",
                            r"combats\b", r"affrontements?", r"skirmish", r"hostilities", r"counter-?attack",
                            r"(?:army|troops|soldiers|forces|militants|fighters|militia) (?:attacked|raided|stormed)",
                            r"(?:launched|carried out) an? (?:\w+ )?(?:attack|assault|raid|operation)",
                            r"(?:attack|assault|raid) on"),
         unless=_rx(r"legal (?:battle|fight)", r"fight(?:ing)? (?:against )?(?:corruption|poverty|disease|cancer|fire|wildfire|hunger|climate|covid|inflation)",
                    r"election battle", r"political (?:battle|fight)", r"court battle", r"price war",
                    r"battle (?:for|over) (?:votes|market)", r"charm offensive"), weight=0.75),
    Rule("Armed clash", _rx(r"fight(?:ing|s)?\b", r"fought", r"battl"), needs=(ARMED_AGENT,),
         unless=_rx(r"fight(?:ing)? (?:\w+ )?(?:against )?(?:corruption|poverty|disease|cancer|fire|wildfire|hunger|climate|covid|inflation)",
                    r"(?:legal|court|election|political|price) (?:battle|fight)", r"fighter jets?", r"to fight\b"), weight=0.65),
    Rule("Attack", _rx(r"(?:killed|kills|killing|attacked|shot|wounded|injured)\b"), needs=(ARMED_AGENT, CIVILIAN_TARGET),
         unless=_rx(r"soldiers? (?:were|was) (?:killed|shot)", r"militants? (?:were|was) (?:killed|shot)"),
         weight=0.55),
    Rule("Armed clash", _rx(r"(?:killed|killing)\b"), needs=(ARMED_AGENT,), weight=0.45),
    Rule("Looting/property destruction", _rx(r"loot", r"pillag", r"plunder", r"ransack", r"torched", r"burn(?:ed|t) (?:down )?(?:\w+ )?"
                                             r"(?:homes|houses|villages?|shops|property|huts|vehicles|crops)",
                                             r"set fire to", r"destroy(?:ed)? (?:\w+ )?(?:homes|houses|property|shops|wells|telecom\w*|masts?|schools?|bridges?)",
                                             r"(?:forces|troops|militants|militia|soldiers|fighters|army|settlers) (?:\w+ ){0,2}demolish\w*", r"confiscat", r"extort"),
         weight=0.65),
    Rule("Non-violent transfer of territory", _rx(r"withdr[ae]w", r"pulled out", r"handed (?:over|control)",
                                                  r"retreat(?:ed)?", r"moved in(?:to)?\b"),
         needs=(ARMED_AGENT,), unless=_rx(r"handed over (?:\w+ ){0,2}(?:weapons|arms|guns|ammunition)"), weight=0.65),
    Rule("Other", _rx(r"curfew", r"martial law", r"state of emergency", r"blockade", r"besieg", r"siege\b",
                      r"internet (?:shutdown|blackout)", r"shut down (?:the )?(?:internet|mobile|telecommunication)",
                      r"(?:erected|set up|mounted) (?:an? )?(?:illegal )?checkpoints?",
                      r"ban(?:ned|s)? (?:\w+ ){0,3}(?:protests|rallies|demonstrations|marches|gatherings)"), weight=0.55),
    Rule("Change to group/activity", _rx(r"defect", r"merg(?:ed|er)", r"join(?:ed)? forces", r"recruit", r"mobili[sz](?:ed|ation) "
                                         r"(?:of )?(?:[\w,]+ )?(?:fighters|troops|militia|forces|members|reservists|soldiers)", r"deploy",
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
    return next(triggers(sentence), None)


def triggers(sentence: str) -> Iterator[Trigger]:
    """Every cue in a sentence, in ``RULES`` order (ACLED's precedence), each rule's matches in reading order.

    1. a match report, a disaster or accident, or ordinary crime is no event unless an organised armed
       actor takes part (fans rioting after a match still make a riot);
    2. otherwise each rule whose cue, needs and vetoes hold gives a sub-type; the caller decides which
       cue the sentence asserts (``realis.asserted``).
    """
    parties = ATTRIBUTION.sub(" ", sentence)  # '..., police said': the police are the source, not a party
    organised = ORGANISED_AGENT.search(parties) is not None
    sports = not organised and SPORTS.search(sentence) is not None
    ordinary = not organised and (MISHAP.search(sentence) is not None or CRIME.search(sentence) is not None)
    for rule in RULES:
        if ordinary and rule.sub_event_type != "Mob violence":
            continue  # 1.
        if sports and rule.sub_event_type not in SPORTS_EXEMPT:
            continue
        if not all(need.search(parties) for need in rule.needs):
            continue
        if rule.unless is not None and rule.unless.search(sentence):
            continue
        for match in rule.pattern.finditer(sentence):
            if rule.check is None or rule.check(sentence, match):
                yield Trigger(rule.sub_event_type, match.start(), match.end(), match.group(0), rule.weight)


def mentions_killing(sentence: str) -> bool:
    return KILL.search(sentence) is not None


def targets_civilians(sentence: str) -> bool:
    return CIVILIAN_TARGET.search(sentence) is not None
