"""Whether a clause asserts an event: the grammar of reality, on sentences we wrote."""

from __future__ import annotations

import pytest

import sitrep
from sitrep import nlp
from sitrep.extraction.realis import asserted, days_before_clause, grammar


def cue_asserted(sentence: str, cue: str, headline: bool = False) -> bool:
    doc = nlp.pipeline("en")(sentence)
    start = sentence.index(cue)
    return asserted(doc[:], start, start + len(cue), headline=headline)


@pytest.mark.parametrize(("sentence", "cue"), [
    ("Militants attacked an army post near the river on Monday.", "attacked"),
    ("Two soldiers were killed in a drone strike overnight.", "drone strike"),
    ("The army said insurgents had shelled the market.", "shelled"),
    ("Fighting has continued around the airport since dawn.", "Fighting"),
    ("Rebels are fighting government troops in the hills.", "fighting"),
    ("The rebels began shelling the northern districts.", "shelling"),
    ("The two parties agreed to a truce on Sunday.", "truce"),
    ("A car bomb exploded outside the ministry, killing four guards.", "car bomb"),
    ("The two clans claimed to have reached an agreement on grazing land.", "agreement"),
    ("Insurgents fired rockets at the airport overnight.", "rockets"),
    ("The rebels fired mortars and artillery at the barracks.", "artillery"),
    ("A crowd of traders protested outside the port and demanded lower taxes.", "protested"),
    ("Fighters attacked the outpost and engaged the guards in an armed clash.", "clash"),
    ("Mortar bombs landed on the bus station, killing six.", "Mortar"),  # a weapon named by two nouns
    ("Gunmen tossed a grenade into the crowded bar.", "grenade"),
])
def test_reported_events_are_asserted(sentence: str, cue: str) -> None:
    assert cue_asserted(sentence, cue)


@pytest.mark.parametrize(("sentence", "cue"), [
    # requests, threats, plans and fears
    ("Ministers urged both sides to accept a ceasefire before the summit.", "ceasefire"),
    ("The group threatened to attack the oil terminals again.", "attack"),
    ("Officials warned of more airstrikes in the coming days.", "airstrikes"),
    ("Residents said they feared more shelling of the valley.", "shelling"),
    ("The commander vowed to recapture the town.", "recapture"),
    # modality, conditionals, negation, questions
    ("A ceasefire could take effect within days.", "ceasefire"),
    ("If the police do not leave, the crowd will storm the station.", "storm"),
    ("The rebels will attack the base at night, a defector claimed.", "attack"),
    ("Troops did not fire on the marchers.", "fire"),
    ("No clashes were reported in the district.", "clashes"),
    ("Will the army retake the city?", "retake"),
    # unreal and framed nouns
    ("Diplomats discussed a potential truce for the region.", "truce"),
    ("The proposed ceasefire was rejected by the rebels.", "ceasefire"),
    ("Families marked the anniversary of the massacre in the square.", "massacre"),
    ("A trial opened on Monday over the bombing of the embassy.", "bombing"),
    ("Calls for a ceasefire grew louder in the capital.", "ceasefire"),
    # a cue that names a kind of thing, not an occurrence
    ("The navy bought a new missile system from its ally.", "missile"),
    ("The vessel carried rocket fuel components to the port.", "rocket"),
    ("Police said the cell was making bombs in a rented flat.", "bombs"),
    ("The smugglers sold grenades to both factions.", "grenades"),
    ("The garrison keeps trucks, two helicopters and artillery behind its walls.", "artillery"),
    # a generality in the present tense of a story's body
    ("Women in the camps face sexual violence and hunger.", "sexual violence"),
    # weapons found or seized, not used, in a quantity of them ("a cache of rifles and grenades")
    ("Police seized a haul of rifles and grenades from the warehouse.", "grenades"),
])
def test_spoken_of_events_are_not_asserted(sentence: str, cue: str) -> None:
    assert not cue_asserted(sentence, cue)


def test_headline_present_reports_the_past() -> None:
    sentence = "Gunmen attack a bus station in the north"
    assert cue_asserted(sentence, "attack", headline=True)
    assert not cue_asserted(sentence, "attack", headline=False)


def test_grammar_classes_are_loaded_from_data() -> None:
    words = grammar("en")
    assert {"urge", "threaten", "deny"} <= words.non_factive_verbs
    assert "if" in words.irrealis_marks and "begin" in words.implicative_verbs
    assert not words.non_factive_verbs & words.implicative_verbs


def test_a_story_of_statements_yields_no_event() -> None:
    text = ("Foreign ministers meeting in Geneva on Tuesday urged the warring parties to agree to a "
            "ceasefire and warned of further sanctions if the fighting did not stop.\n"
            "The ministers said a truce could open the way for talks on prisoner exchanges.\n"
            "They called for an end to attacks on hospitals, which aid groups say have become common.\n"
            "Last year, rebels captured the eastern city of Korvana after weeks of clashes.")
    assert sitrep.extract(text, published="2025-05-06") == []


def test_a_story_of_violence_keeps_its_news_and_drops_its_asides() -> None:
    text = ("Gunmen stormed a police station in the town of Rusape on Monday, killing three officers, "
            "police said.\n"
            "The attackers escaped with weapons, a police spokesman said.\n"
            "The governor urged residents to report any suspicious movement and warned that the gunmen "
            "could strike again.\n"
            "Analysts said the region needs more troops if attacks are to stop.")
    events = sitrep.extract(text, published="2025-05-06")
    assert len(events) == 1
    assert events[0].event_date.isoformat() == "2025-05-05"
    assert events[0].fatalities.fatalities == 3


def test_one_sentence_can_report_two_events_of_different_kinds() -> None:
    text = ("Separatist fighters attacked a passenger bus near the town of Kharan on Tuesday, "
            "taking dozens of travellers hostage, officials said.")
    kinds = {e.sub_event_type for e in sitrep.extract(text, published="2025-04-02")}
    assert "Abduction/forced disappearance" in kinds and len(kinds) == 2


def test_a_strike_on_civilians_is_one_event() -> None:
    text = "Warplanes bombed a market in the town of Sarmin on Friday, killing twelve civilians, medics said."
    events = sitrep.extract(text, published="2025-04-05")
    assert [e.sub_event_type for e in events] == ["Air/drone strike"]


def test_a_restatement_joins_the_incident_it_names() -> None:
    text = ("A senior commander of the Islamic State group was killed on Thursday in an airstrike on his "
            "hideout in the Hamrin mountains, the army said.\n"
            "Officials said the commander was killed alongside two aides.\n"
            "\"The commander is dead,\" a military spokesman told reporters.")
    events = sitrep.extract(text, published="2025-04-04")
    assert [e.sub_event_type for e in events] == ["Air/drone strike"]
    assert events[0].event_date.isoformat() == "2025-04-03"


def test_an_event_dated_by_its_own_words_to_the_past_is_recalled_not_reported() -> None:
    text = ("Survivors gathered in the capital on Monday to remember the victims.\n"
            "Relatives laid flowers where the 2009 bombing of the bus station killed 40 people.\n"
            "A March attack on the same station wounded three guards, officials recalled.")
    assert sitrep.extract(text, published="2025-06-10") == []


def test_a_clause_under_days_after_is_dated_back() -> None:
    text = ("Three days after bandits raided the village of Dogon Daji and kidnapped 40 farmers, police "
            "said on Friday that rescue teams were searching the hills.")
    events = sitrep.extract(text, published="2025-06-07")
    kidnapping = [e for e in events if e.sub_event_type == "Abduction/forced disappearance"]
    assert kidnapping and kidnapping[0].event_date.isoformat() == "2025-06-03"


@pytest.mark.parametrize(("sentence", "days"), [
    ("The raid came three days after militants killed 20 soldiers in an ambush.", 3),  # "days" under "after"
    ("The assault comes two weeks after the militants killed 90 workers at a mine.", 14),  # under the clause
    ("Militants killed 20 soldiers in an ambush on Friday.", None),
])
def test_how_many_days_before_its_main_clause_a_clause_happened(sentence: str, days: int | None) -> None:
    doc = nlp.pipeline("en")(sentence)
    start = sentence.index("killed")
    assert days_before_clause(doc[:], start, start + len("killed")) == days


def test_a_later_report_dated_only_by_its_statement_joins_the_dated_incident() -> None:
    text = ("Insurgents overran the Wadi Hamra garrison on Tuesday after a day of fighting, a monitor said.\n"
            "The monitor's director said on Wednesday that soldiers captured when the insurgents overran "
            "the garrison were shot.")
    takeovers = [e for e in sitrep.extract(text, published="2025-06-12")
                 if e.sub_event_type == "Non-state actor overtakes territory"]
    assert [e.event_date.isoformat() for e in takeovers] == ["2025-06-10"]


def test_a_relative_clause_of_a_recalled_event_is_history_too() -> None:
    text = ("A court in Lyon heard on Monday the case over the 1998 bombing of a police station in the "
            "old port that killed six officers.")
    assert sitrep.extract(text, published="2025-06-09") == []


def test_a_relative_clause_of_a_reported_event_stays_with_it() -> None:
    text = "Militants detonated a car bomb at a checkpoint in Baidoa on Monday that killed nine soldiers."
    events = sitrep.extract(text, published="2025-06-10")
    assert [e.sub_event_type for e in events] == ["Remote explosive/landmine/IED"]


def test_a_date_outside_a_participle_clause_is_not_its_event_day() -> None:
    text = ("Families rejoiced after 40 farmers abducted in Kebbi state were freed by their captors on "
            "Wednesday.\n"
            "The farmers were abducted last Saturday from their fields in the state.")
    abductions = [e for e in sitrep.extract(text, published="2025-06-12")
                  if e.sub_event_type == "Abduction/forced disappearance"]
    assert [e.event_date.isoformat() for e in abductions] == ["2025-06-07"]



def test_a_siege_told_with_the_fighting_it_belongs_to_is_one_event() -> None:
    text = ("A hotel in the town of Baidoa was under siege on Sunday after an assault that left six people "
            "dead, residents said.\n"
            "Security forces were fighting the militants inside the hotel on Sunday evening, a police "
            "officer said.")
    events = sitrep.extract(text, published="2025-06-09")
    assert [e.sub_event_type for e in events] == ["Armed clash"]
    assert len(events[0].evidence) == 2


def test_a_statement_day_does_not_date_the_sentences_after_it() -> None:
    text = ("Police confirmed on Friday that nine people died in Tuesday's raid on a market in the town of "
            "Bama.\n"
            "Gunmen killed five traders and four farmers in the initial attack, a police spokesman said.")
    attacks = [e for e in sitrep.extract(text, published="2025-06-13") if e.sub_event_type == "Attack"]
    assert [e.event_date.isoformat() for e in attacks] == ["2025-06-10"]


def test_an_alleged_attack_with_its_dead_is_reported() -> None:
    text = ("An alleged chemical attack that killed at least 30 people in the town of Saraqib on Monday drew "
            "condemnation from several governments.")
    assert sitrep.extract(text, published="2025-06-10") != []
