"""The second reader: what triage does with a post no keyword rule classifies."""
import json
import sys
from pathlib import Path

import pytest

from chalicelib.triage import TriageInput, model, post_content, triage

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "chalicelib" / "data"))
import derive_triage_model as derivation  # noqa: E402

KNIFE = ("A man with a knife has locked himself in with his daughter in ward 12, Kotputli, neighbours "
         "cannot get in")


def up(text):
    return triage(TriageInput(text=text, mentions=("Uppolice",)))


@pytest.fixture
def only_reader(monkeypatch):
    """Installs a model that knows only the given (group, category, text) posts, every word of them."""
    monkeypatch.setattr(derivation, "MIN_POSTS", 1)
    monkeypatch.setattr(derivation, "COMMON_SHARE", 1.0)

    def install(*posts, emergencies=False):
        reader = model.PostModel(derivation.derive_from(
            [(model.model_features(post_content(t)), g, c, emergencies) for g, c, t in posts]))
        monkeypatch.setattr(model, "post_model", lambda: reader)
    return install


def test_a_complaint_no_rule_names_is_read_and_goes_to_the_district_named():
    result = up("My neighbour in Indirapuram locks his 12-year-old domestic help inside the flat all day; "
                "she looks scared and underfed")
    assert (result.group, result.district) == ("women_children", "up-ghaziabad")
    assert "read as women_children" in result.cues[0]


def test_a_keyword_stands_when_the_reading_agrees():
    result = up("Kanpur ke Kidwai Nagar me kal raat meri bike chori ho gayi, ghar ke bahar khadi thi")
    assert result.category == "vehicle_theft"
    assert not any("read as" in cue for cue in result.cues)


def test_a_word_or_two_is_not_read(only_reader):
    only_reader(("animal", "cruelty_to_animals", "ghoda bhookha"))
    assert not up("ghoda bhookha").actionable


def test_a_reading_names_no_danger_so_a_p1_category_read_without_one_is_p2(only_reader):
    only_reader(*[("misinformation", "hate_speech_objectionable_post",
                   "log ek dusre ke khilaf post share karte hain group me roz")] * 3)
    result = up("log ek dusre ke khilaf post share karte hain group me roz, Lucknow")
    assert (result.category, result.priority) == ("hate_speech_objectionable_post", "P2")


def test_a_reading_of_someone_armed_is_p1(only_reader):
    only_reader(("disputes_threats", "criminal_intimidation", KNIFE))
    result = triage(TriageInput(text=KNIFE, mentions=("PoliceRajasthan",)))
    assert (result.category, result.priority, result.district) == \
        ("criminal_intimidation", "P1", "rj-kotputli-behror")


def test_a_split_vote_leaves_the_unclassified_complaint_to_hq(only_reader):
    only_reader(("disputes_threats", "criminal_intimidation", KNIFE), ("animal", "cruelty_to_animals", KNIFE),
                ("violent_crime", "kidnapping_abduction", KNIFE), ("road_traffic", "road_accident", KNIFE),
                ("missing_person", "missing_person", KNIFE), ("emergency_rescue", "fire_disaster_rescue", KNIFE))
    result = triage(TriageInput(text=KNIFE, mentions=("PoliceRajasthan",)))
    assert (result.category, result.district) == ("general_query", None)


def test_chatter_the_rules_see_nothing_in_needs_a_clear_vote_to_become_a_complaint(only_reader):
    chatter = "Kal Kanpur me India ka match hai, ticket kahan milega koi batao yaar sab log"
    only_reader(("service_request", "general_query", chatter), ("not_actionable", None, chatter))
    assert not up(chatter).actionable


def test_the_shipped_model_is_what_its_derivation_script_makes():
    shipped = json.loads(derivation.MODEL.read_text(encoding="utf-8"))
    assert shipped == derivation.derive(derivation.labelled_posts(derivation.training_files()))


def test_the_rounds_kept_for_measuring_never_teach_the_model():
    taught = {p.name for p in derivation.training_files()}
    assert {"triage_dev.jsonl", "triage_heldout30.jsonl", "triage_heldout31.jsonl"} <= derivation.MEASURED_ONLY
    assert not taught & derivation.MEASURED_ONLY


def test_a_post_like_earlier_emergencies_is_p1_though_no_danger_word_fired(only_reader):
    fight = "Gali me do parivaron ke beech jhagda chal raha hai, ek aadmi zameen pe pada hai aur koi nahi rok raha"
    only_reader(("disputes_threats", "family_neighbour_dispute", fight), emergencies=True)
    ruled = triage(TriageInput(text=fight, mentions=("Uppolice",)), second_reading=False)
    read = up(fight)
    assert (ruled.group, ruled.priority) == ("disputes_threats", "P2")
    assert read.priority == "P1" and "were emergencies" in read.cues[1]


def test_a_theft_is_never_p1_by_resemblance_alone(only_reader):
    theft = "Mera phone chori ho gaya market me abhi abhi, kaale rang ka Samsung tha, cover bhi laga tha"
    only_reader(("property_crime", "mobile_theft_lost", theft), emergencies=True)
    assert up(theft).priority == "P2"


def test_a_rescue_read_by_the_model_stays_a_rescue(only_reader):
    # The refinement "trapped in a crash is an accident" compares keyword scores a reading has none of.
    stranded = "Hum chaar log nadi ke beech tapu pe fase hain, paani badhta ja raha hai, koi nikalo humein yahan se"
    only_reader(("emergency_rescue", "fire_disaster_rescue", stranded))
    result = up(stranded)
    assert result.category == "fire_disaster_rescue"
    assert not any("triage failed" in cue for cue in result.cues)


LOCKED_SHOP = "Sir mere chacha ne hamari dukaan pe taala laga diya aur bol rahe hain dobara aaye to tange tod denge"


def test_a_clear_reading_overrules_a_keyword_that_fired_in_a_sentence_about_something_else(only_reader):
    ruled, read = ruled_and_read(only_reader, LOCKED_SHOP, "disputes_threats", "criminal_intimidation")
    assert ruled.group != "disputes_threats"
    assert read.category == "criminal_intimidation" and "overruled: read as disputes_threats" in read.cues[0]


def test_a_post_asking_for_help_is_never_read_as_not_actionable(only_reader):
    plea = "Kal raat mere ghar ke bahar se meri bike chori ho gayi, please help, FIR karwani hai"
    only_reader(("not_actionable", None, plea))
    assert up(plea).actionable


def test_a_post_is_read_as_a_rumour_only_when_it_says_something_is_false(only_reader):
    beating = "Ratanada me do ladko ne dukaandar ko peeta, video viral hai, sab log dekh rahe hain"
    only_reader(("misinformation", "rumour_fake_news", beating))
    assert rj_result(beating).group == "violent_crime"


def test_a_named_crime_is_never_read_as_a_rescue(only_reader):
    riot = "Mandal me do samaj ke beech tanav, dukaanon me aag lagayi ja rahi hai, Bhilwara"
    only_reader(("emergency_rescue", "fire_disaster_rescue", riot))
    assert rj_result(riot).category == "communal_riot"


def ruled_and_read(only_reader, text, group, category_id):
    """The rules alone, and the rules with a reader that knows only this post as (group, category)."""
    only_reader((group, category_id, text))
    return triage(TriageInput(text=text, mentions=("Uppolice",)), second_reading=False), up(text)


def test_a_reading_keeps_the_danger_now_the_rules_saw(only_reader):
    snatching = "Abhi abhi do bike wale mere mummy ki chain kheench ke bhaage, unke paas chaku tha, Rajajipuram"
    ruled, read = ruled_and_read(only_reader, snatching, "cyber_crime", "cyber_financial_fraud")
    assert (ruled.category, ruled.priority) == ("chain_snatching", "P1")
    assert (read.group, read.priority) == ("cyber_crime", "P1")


def test_a_p1_that_was_only_the_overruled_categorys_default_goes_with_it(only_reader):
    boundary = "Chilbila ke paas hamari zameen pe padosi ne raaton raat boundary uthwa di, tehsil me case chal raha hai"
    ruled, read = ruled_and_read(only_reader, boundary, "disputes_threats", "land_dispute")
    assert (ruled.group, ruled.priority) == ("violent_crime", "P1")
    assert (read.category, read.priority) == ("land_dispute", "P2")


def rj_result(text):
    return triage(TriageInput(text=text, mentions=("PoliceRajasthan",)))


def test_a_post_the_rules_see_nothing_in_but_that_reads_like_earlier_emergencies_is_an_sos(only_reader):
    locked = "Mera bhai kamre ka darwaza andar se band karke baitha hai, khidki se pankhe pe dupatta dikha"
    only_reader(("not_actionable", None, locked), emergencies=True)
    result = up(locked)
    assert (result.category, result.priority) == ("general_emergency_sos", "P1")


PRAISE = "Aaj hamari society ki ladkiyon ne Diwali pe itna sundar program kiya, Noida police bhi aayi thi, maza aa gaya"


def test_chatter_the_rules_took_for_a_complaint_is_not_actionable_when_it_reads_as_chatter(only_reader):
    only_reader(*[("not_actionable", None, PRAISE)] * 3,
                ("property_crime", "vehicle_theft", "meri motorcycle ghar ke bahar se chori ho gayi raat me"))
    assert triage(TriageInput(text=PRAISE, mentions=("Uppolice",)), second_reading=False).category == "general_query"

    result = up(PRAISE)
    assert (result.actionable, result.district) == (False, None)
    assert "read as not actionable" in result.cues[0]


DRUNK_DRIVER = "Kunhadi me ek truck wala nashe me lehra ke chala raha hai, do thele thok chuka, ruk hi nahi raha, Kota"


def test_an_accident_that_reads_like_emergencies_is_p1(only_reader):
    only_reader(("road_traffic", "road_accident", DRUNK_DRIVER), emergencies=True)
    assert triage(TriageInput(text=DRUNK_DRIVER, mentions=("PoliceRajasthan",)), second_reading=False).priority == "P2"

    result = triage(TriageInput(text=DRUNK_DRIVER, mentions=("PoliceRajasthan",)))
    assert (result.category, result.priority) == ("road_accident", "P1")
    assert "most posts like it were emergencies" in " ".join(result.cues)


def test_an_accident_that_reads_like_calm_ones_stays_p2(only_reader):
    only_reader(("road_traffic", "road_accident", DRUNK_DRIVER), emergencies=False)
    assert triage(TriageInput(text=DRUNK_DRIVER, mentions=("PoliceRajasthan",))).priority == "P2"
