"""Folding and stemming must not turn everyday words into keywords (bench/triage_collision_audit.py)."""
from pathlib import Path

from chalicelib.triage import TriageInput, triage
from chalicelib.triage.lexicon import collisions
from chalicelib.triage.normalise import stem
from chalicelib.triage.places import place_collisions

DATA = Path(__file__).resolve().parent / "data"
WORDS = DATA / "triage_common_words.txt"
PLACES = DATA / "triage_common_places.txt"


def _lines(path: Path) -> list[str]:
    return [w for w in path.read_text(encoding="utf-8").splitlines() if w.strip() and not w.startswith("#")]


def _common_words() -> list[str]:
    return _lines(WORDS)


def test_no_common_word_or_name_stems_like_a_one_word_keyword():
    # ~11,900 frequent English and Hindi words, Hinglish words and Indian names
    assert collisions(_common_words()) == []


def test_the_audit_reports_a_word_that_folds_into_a_keyword():
    # "Dubayy" is written like no listed place: it folds to doob (drowning) and the audit says so.
    assert [(w, s) for w, s, _ in collisions(["Dubayy"])] == [("Dubayy", stem("doob"))]


def test_an_nri_naming_the_city_abroad_is_not_reporting_a_drowning():
    result = triage(TriageInput(
        text="@UPPolNRI I live in Dubai, my parents in Gorakhpur are being threatened by neighbours over land",
        mentions=("UPPolNRI",)))
    assert (result.group, result.priority, result.district) == ("disputes_threats", "P2", "up-gorakhpur")


def test_a_word_matched_only_as_written_still_matches_itself_in_any_case():
    assert stem("DUBAI") == stem("dubai") != stem("doob")
    assert stem("हिंदी") != stem("हिंदू")


def test_an_inflection_of_a_keyword_still_meets_it():
    assert stem("fights") == stem("fight") and stem("मारा") == stem("मार")


def test_keywords_of_different_meaning_do_not_share_a_stem():
    # married/maar (beat), behen (sister)/behosh (unconscious), jaali (fake)/jala (burnt)
    assert stem("married") != stem("maar")
    assert stem("behen") != stem("behosh")
    assert stem("jaali") != stem("jala")


def test_a_phrase_is_not_shrunk_to_a_syllable_that_every_post_has():
    # "ladka & le gaya & beti" must not fire on "le ke" (having taken) in a harassment complaint
    result = triage(TriageInput(text="Padosi ke ladke ne meri beti ka number le ke usko gande message bheje",
                                mentions=("Uppolice",)))
    assert result.category != "girl_enticed_away"


def test_a_one_syllable_hindi_stem_still_matches_when_it_carries_meaning():
    assert triage(TriageInput(text="सोनभद्र में पहाड़ धंसा, 3 मजदूर दबे", mentions=("Uppolice",))).priority == "P1"


def test_no_everyday_word_or_name_is_read_as_a_place():
    # बॉडी (body) once folded was बाड़ी in Dholpur, बाप (father) Bap in Phalodi, "barely" Bareli
    assert place_collisions(_common_words()) == []


def test_world_places_stem_like_no_keyword():
    # Dubai, Bombay, China, Patna, Abu Dhabi: NRIs name where they live
    assert collisions(_lines(PLACES)) == []
