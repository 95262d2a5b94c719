"""District resolution: tagged account > place named in text > geotag > profile location; ties -> None."""
import json
from collections import Counter
from pathlib import Path

import pytest

from chalicelib.districts import load_registry
from chalicelib.triage import TriageInput, triage
from chalicelib.triage.normalise import analyse
from chalicelib.triage.places import _key, gazetteer

GAZETTEER = Path(__file__).resolve().parent.parent / "chalicelib" / "data" / "gazetteer.json"


def district(text, mentions=("PoliceRajasthan",), **kw):
    return triage(TriageInput(text=text, mentions=tuple(mentions), **kw)).district


UP = ("Uppolice",)


def test_a_tagged_district_account_decides():
    assert district("@SP_Balotra साहब, बस स्टैंड पर लड़के फब्तियां कसते हैं", ("SP_Balotra",)) == "rj-balotra"


def test_a_tagged_district_account_outweighs_a_place_named_in_passing():
    assert district("Barmer road par meri bike chori ho gayi", ("SP_Balotra",)) == "rj-balotra"


def test_the_receiving_district_desk_decides():
    assert triage(TriageInput(text="bike chori ho gayi", desk="up-meerut")).district == "up-meerut"


@pytest.mark.parametrize("text, expected", [
    ("Udaipur me meri bike chori ho gayi", "rj-udaipur"),
    ("उदयपुर में मेरी बाइक चोरी हो गई", "rj-udaipur"),
    ("Jhunjhunun me bike chori", "rj-jhunjhunu"),
    ("झुंझुनू में बाइक चोरी", "rj-jhunjhunu"),
    ("Chittaurgarh me bike chori", "rj-chittorgarh"),
])
def test_a_district_named_in_english_devanagari_or_an_old_spelling_decides(text, expected):
    assert district(text) == expected


def test_old_district_names_route_to_the_current_district():
    assert district("Allahabad me chain snatching ho gayi", UP) == "up-prayagraj"
    assert district("Faizabad me bike chori", UP) == "up-ayodhya"


def test_a_town_of_a_new_district_routes_to_the_new_district_not_the_old_one():
    assert district("Siwana me bike chori ho gayi") == "rj-balotra"
    assert district("Kairana me bike chori ho gayi", UP) == "up-shamli"


def test_a_police_station_name_tells_the_city_from_the_rural_district():
    assert district("Jodhpur ke Paota me bike chori") == "rj-jodhpur"
    assert district("Jodhpur ke Bilara me bike chori") == "rj-jodhpur-rural"
    assert district("Kota ke Talwandi me bike chori") == "rj-kota"
    assert district("Chomu me dukaan me chori, Jaipur") == "rj-jaipur-rural"


def test_a_named_parent_district_yields_to_a_town_of_its_new_child_district():
    assert district("Barmer ke Balotra me bike chori") == "rj-balotra"


def test_a_locality_found_in_two_districts_does_not_decide_alone():
    assert district("Vaishali Nagar me bike chori ho gayi") is None
    assert district("Ajmer ke Vaishali Nagar me bike chori ho gayi") == "rj-ajmer"


def test_kotwali_exists_everywhere_so_it_is_no_cue_on_its_own():
    assert district("Kotwali ke paas bike chori ho gayi", UP) is None
    assert district("Bareilly me Kotwali ke paas bike chori ho gayi", UP) == "up-bareilly"


@pytest.mark.parametrize("text, mentions, expected", [
    ("Reengus ke paas highway pe meri bike chori ho gayi", ("PoliceRajasthan",), "rj-sikar"),      # tehsil town
    ("Ringas me bike chori ho gayi", ("PoliceRajasthan",), "rj-sikar"),                            # its variant
    ("Bijoliya ki khadan ke bahar meri bike chori ho gayi", ("PoliceRajasthan",), "rj-bhilwara"),
    ("Banasthali ke paas meri bike chori ho gayi", ("PoliceRajasthan",), "rj-tonk"),               # a university
    ("Katarniaghat ke paas meri bike chori ho gayi", UP, "up-bahraich"),                           # a sanctuary
    ("Mungra Badshahpur me meri bike chori ho gayi", UP, "up-jaunpur"),
    ("पीपलखूंट में मेरी बाइक चोरी हो गई", ("PoliceRajasthan",), "rj-pratapgarh"),                    # Devanagari
    ("बिजौलिया में मेरी बाइक चोरी हो गई", ("PoliceRajasthan",), "rj-bhilwara"),
    ("कतर्नियाघाट के पास मेरी बाइक चोरी हो गई", UP, "up-bahraich"),
])
def test_a_tehsil_town_or_landmark_of_one_district_decides(text, mentions, expected):
    assert district(text, mentions) == expected


def test_a_place_name_shared_by_two_districts_ties_unless_the_state_or_district_tells():
    # Taragarh: the fort above Ajmer and the fort of Bundi; Aliganj: Lucknow's locality and Etah's tehsil
    assert district("Taragarh ke paas meri bike chori ho gayi") is None
    assert district("Bundi ke Taragarh ke paas meri bike chori ho gayi") == "rj-bundi"
    assert district("Aliganj me meri bike chori ho gayi", UP) is None
    assert district("Etah ke Aliganj me meri bike chori ho gayi", UP) == "up-etah"
    # Sumerpur (Pali, Hamirpur) and Fatehpur (Shekhawati in Sikar, a district of UP): the state decides
    assert district("Sumerpur me meri bike chori ho gayi") == "rj-pali"
    assert district("Sumerpur me meri bike chori ho gayi", UP) == "up-hamirpur"
    assert district("Fatehpur me meri bike chori ho gayi") == "rj-sikar"
    assert district("Fatehpur me meri bike chori ho gayi", UP) == "up-fatehpur"


def test_pratapgarh_goes_to_the_state_of_the_tagged_account():
    text = "Pratapgarh me mere ghar chori ho gayi"
    assert district(text, ("PoliceRajasthan",)) == "rj-pratapgarh"
    assert district(text, ("Uppolice",)) == "up-pratapgarh"
    assert district(text, ()) is None


def test_the_state_given_by_the_caller_decides_pratapgarh_too():
    assert triage(TriageInput(text="Pratapgarh me chori", state="up")).district == "up-pratapgarh"


def test_the_nri_desk_routes_to_the_home_district_named():
    post = TriageInput(text="I am in Dubai. My brother in Jaunpur is getting extortion calls", mentions=("UPPolNRI",))
    assert triage(post).district == "up-jaunpur"
    assert triage(TriageInput(text="My land in Azamgarh was occupied", desk="up-nri")).district == "up-azamgarh"


def test_two_districts_named_is_a_tie_and_hq_decides():
    assert district("Bikaner se Jaipur jaate hue bus me jeb kat gayi") is None


def test_a_route_name_does_not_outvote_the_place_of_the_incident():
    assert district("Accident on Agra Lucknow expressway near Etawah, 3 injured", UP) == "up-etawah"
    assert district("Jaipur Ajmer highway par accident, log ghayal") is None


def test_a_road_named_after_one_town_and_nothing_else_runs_by_that_town():
    assert district("Ratangarh highway pe raat ko 2 accident ho chuke") == "rj-churu"
    assert district("Tirwa road pe bus aur trolley ki takkar, log ghayal", UP) == "up-kannauj"


def test_a_district_named_again_after_a_road_named_after_it_counts_in_full():
    assert district("Tonk road nahi, Tonk shahar ke Kali Paltan me bachhde ko bori me daal ke le gaye") == "rj-tonk"


def test_a_road_named_after_a_district_may_be_a_street_of_another_city():
    # Tonk Road is a main road of Jaipur, Sitapur Road one of Lucknow
    assert district("Tonk road pe accident, 2 log ghayal") is None
    assert district("Sitapur road pe accident, 2 log ghayal", UP) is None


def test_a_word_that_is_also_a_district_name_needs_a_capital_or_context():
    assert district("Ek banda mera phone cheen ke bhaag gaya", UP) is None
    assert district("Banda me ek banda ne mera phone cheen liya", UP) == "up-banda"


def test_a_geotag_decides_when_the_text_names_no_place():
    assert district("Mera phone chori ho gaya abhi", coordinates=(26.9239, 75.8267)) == "rj-jaipur"
    assert district("Ek ladki ka peecha kar rahe hain", UP, coordinates=(28.6692, 77.4538)) == "up-ghaziabad"


def test_a_geotag_far_from_the_city_centre_cannot_tell_city_from_rural():
    assert district("phone chori", coordinates=(27.05, 75.60)) is None


def test_a_geotag_outside_the_states_is_ignored():
    assert district("phone chori", coordinates=(25.2048, 55.2708)) is None  # Dubai


def test_a_geotag_in_the_other_state_than_the_tagged_account_is_ignored():
    assert district("phone chori", ("PoliceRajasthan",), coordinates=(26.85, 80.95)) is None


def test_the_text_outranks_the_geotag():
    assert district("Ajmer me phone chori", coordinates=(26.9239, 75.8267)) == "rj-ajmer"


def test_the_profile_location_is_the_last_cue():
    assert district("Mere ghar me chori ho gayi", UP, user_location="Lucknow, India") == "up-lucknow"
    assert district("Mere ghar me chori ho gayi", UP, user_location="India") is None


def test_no_cue_means_hq_decides_never_a_desk_id():
    result = triage(TriageInput(text="Mere account se paise kat gaye", mentions=("Uppolice",)))
    assert result.district is None
    assert any("HQ decides" in c for c in result.cues)


def test_every_routed_district_is_a_real_district_id():
    registry = load_registry()
    for text in ("Jaipur me chori", "Lucknow me chori", "Noida me chori", "Bhiwadi me chori", "Sambhal me chori"):
        d = district(text, ())
        assert d is not None and registry.get(d) is not None and not registry.get(d).is_desk


def test_the_derived_gazetteer_covers_every_district_with_a_town_or_its_name():
    towns = json.loads(GAZETTEER.read_text(encoding="utf-8"))["places"]
    registry = load_registry()
    ids = {d.id for d in registry.districts if not d.is_desk}
    assert {t["district"] for t in towns} <= ids
    assert len(towns) > 600
    # the 2023 districts got their towns back from their parents
    assert {"rj-balotra", "rj-beawar", "rj-deeg", "rj-didwana-kuchaman", "rj-phalodi", "rj-salumbar",
            "up-hapur", "up-shamli", "up-sambhal", "up-amethi"} <= {t["district"] for t in towns}


def test_a_one_letter_typo_in_a_long_district_name_still_routes():
    assert district("Hanumangad me bike chori") == "rj-hanumangarh"
    assert district("Sahjahanpur me bike chori", UP) == "up-shahjahanpur"


def test_short_names_are_not_typo_matched():
    assert district("Raipur me bike chori", UP) is None  # not Rampur, not Jaipur


def test_a_town_named_like_a_town_elsewhere_goes_to_the_district_named_beside_it():
    # Phulpur is a town of Prayagraj and a tehsil of Azamgarh: the district written next to it decides.
    assert district("पड़ोसी धमकी दे रहा है, आज़मगढ़ फूलपुर", mentions=("Uppolice",)) == "up-azamgarh"


def test_a_weak_place_name_counts_in_a_profile_location():
    # "Unnao" in a post needs context; a profile location names nothing but a place.
    assert district("ghar ke bahar roj ladke bike pe stunt karte h", mentions=("Uppolice",),
                    user_location="Unnao, Uttar Pradesh") == "up-unnao"


def test_a_weak_place_name_next_to_thane_or_kotwali_is_a_place():
    assert district("हमारे मोहल्ले में जुआ चलता है, कोतवाली बस्ती को बताया", mentions=("Uppolice",)) == "up-basti"
    assert district("jab se naya thanedar aaya h Begun thane me bina paise ke kaam nahi hota") == "rj-chittorgarh"


def test_a_town_known_only_by_its_english_name_is_found_written_in_devanagari():
    # GeoNames spells Nichlaul, Ringas and Atraulia in Latin letters only; posts write them in Hindi.
    assert district("थाना निचलौल क्षेत्र में मेरी बाइक चोरी हो गई", mentions=("Uppolice",)) == "up-maharajganj"
    assert district("रींगस में मेरी बाइक चोरी हो गई") == "rj-sikar"
    assert district("अतरौलिया बाजार से मेरी बाइक चोरी हो गई", mentions=("Uppolice",)) == "up-azamgarh"


def test_a_hindi_word_that_reads_like_a_town_in_latin_letters_is_not_that_town():
    assert district("खेत में हिरण का शिकार हो रहा है") is None   # शिकार (hunting), not Sikar
    assert district("उतरौला में पशुओं का चारा चोरी हो गया", UP) == "up-balrampur"  # चारा (fodder), not Chharra


# -- villages and small towns known by their post offices (chalicelib/data/post_offices.json) ------------
POST_OFFICES = GAZETTEER.parent / "post_offices.json"


def _post_offices():
    return json.loads(POST_OFFICES.read_text(encoding="utf-8"))["places"]


def test_a_village_post_office_names_its_district():
    assert district("Derwala me mere khet se motor chori ho gayi") == "rj-jhunjhunu"
    assert district("Tarabganj me mere khet se motor chori ho gayi", UP) == "up-gonda"


def test_a_post_office_name_in_two_districts_leaves_hq_to_decide():
    result = triage(TriageInput(text="Ratanpur me mere khet se motor chori ho gayi", mentions=("PoliceRajasthan",)))
    assert result.district is None
    assert any("tie between rj-dholpur, rj-dungarpur, rj-jalore" in c for c in result.cues)


def test_the_tagged_state_decides_a_post_office_name_found_in_both_states():
    # Bisalpur: a town of Pilibhit, and villages of Tonk, Pali and Jodhpur
    assert district("Bisalpur se roz dhamki bhari call aati hai", UP) == "up-pilibhit"
    assert district("Bisalpur se roz dhamki bhari call aati hai") is None


def test_a_named_district_outweighs_a_post_office_name():
    assert district("Jaipur me Mandawa wale ladke ne meri bike chori kar li") == "rj-jaipur"


def test_a_tagged_district_account_outweighs_a_post_office_name():
    assert district("Mandawa wale ladke ne meri bike chori kar li", ("SP_Balotra",)) == "rj-balotra"


def test_a_post_office_name_breaks_a_tie_between_towns_of_the_same_name():
    # Akbarpur is the seat of Ambedkar Nagar and of Kanpur Dehat; Derapur is a village of Kanpur Dehat.
    assert district("Akbarpur ke Derapur me motor chori", UP) == "up-kanpur-dehat"


def test_a_post_office_name_outside_the_tied_districts_does_not_pick_one():
    assert district("Akbarpur ke paas Chhatikara me motor chori", UP) is None  # Chhatikara is in Mathura


def test_a_geotag_breaks_a_tie_between_villages_of_the_same_name():
    assert district("Ratanpur me motor chori", coordinates=(23.84, 73.72)) == "rj-dungarpur"
    assert district("Ratanpur me motor chori", coordinates=(26.92, 75.83)) is None  # Jaipur: none of them


def test_a_post_office_name_written_in_lower_case_is_an_ordinary_word():
    # "lehra" (waving) is a village of Aligarh, "sawar" (riding) one of Ajmer
    assert district("Yahan 2 ladke bike pe pistol lehra rahe hain", UP) is None
    assert district("do bike sawar ladke chain cheen ke bhaag gaye") is None


def test_a_town_of_another_state_is_not_its_namesake_village_here():
    # Muzaffarpur (Bihar) is also a village of Azamgarh, Shivpuri (MP) one of Meerut
    assert district("Main Muzaffarpur ka hu, yahan mera mobile chori ho gaya", UP) is None
    assert district("Shivpuri se aaye truck wale ne takkar maar di", UP) is None


def test_a_hindi_word_read_in_latin_letters_is_not_a_village():
    assert district("पूरे बाजार को पता है कि सिपाही हर हफ्ते पैसे लेता है") is None   # बाजार is no Bajar
    assert district("हमें पुलिस पर भरोसा है, पर थाने में सुनवाई नहीं होती") is None   # भरोसा is no Bharosa


def test_a_village_written_in_devanagari_counts_after_the_title_of_an_address():
    # Papadda (Dausa) is known only by its post office (Sikrai, the first example here, is now a curated tehsil town)
    assert district("थाना पापड़दा क्षेत्र में मेरी बाइक चोरी हो गई") == "rj-dausa"
    assert district("ग्राम पापड़दा में मेरी बाइक चोरी हो गई") == "rj-dausa"
    assert district("पापड़दा में मेरी बाइक चोरी हो गई") is None  # no capital letter to tell a name in Hindi


def test_an_everyday_hindi_word_next_to_police_is_not_a_village():
    # परसों (the day after tomorrow) is Parson, a village, once read in Latin letters
    assert district("मैं परसों थाने गया था, पुलिस परसों आई थी पर मेरी बाइक नहीं मिली", UP) is None


def test_a_refused_post_office_name_does_not_hide_the_town_after_it():
    # "Madanganj Kishangarh" is a post office of Ajmer; Kishangarh alone is a town of Ajmer
    spans = gazetteer().spans(analyse("madanganj Kishangarh me chori"))
    assert [(place.label, start) for place, start, _ in spans] == [("Kishangarh", 1)]


def test_every_post_office_name_maps_to_existing_districts_and_every_up_district_has_villages():
    ids = {d.id for d in load_registry().districts if not d.is_desk}
    used = {d for _, _, districts in _post_offices() for d in districts.split()}
    assert used <= ids
    assert {d for d in ids if d.startswith("up-")} <= used
    assert len(_post_offices()) > 15000


def test_post_office_names_are_folded_as_the_text_of_a_post_is():
    # The file stores each name folded (a short first-post load); folding rules may change after it.
    assert [label for label, folded, _ in _post_offices() if _key(label) != tuple(folded.split())] == []


def test_no_post_office_name_shadows_a_town_district_or_curated_place():
    gz = gazetteer()
    assert [label for label, folded, _ in _post_offices() if tuple(folded.split()) in gz.places] == []


# -- how derive_post_offices.py reads India Post's directory (runs without the package) -----------------
@pytest.fixture(scope="module")
def derive():
    from chalicelib.data import derive_gazetteer, derive_post_offices
    districts = derive_gazetteer.load_districts()
    derive_post_offices.hq_towns(districts)
    return derive_post_offices, districts


def test_an_office_name_loses_its_suffix_and_what_qualifies_it(derive):
    module, _ = derive
    assert [module.clean(o) for o in ("Shahganj SO Jaunpur", "Mandawa Bazar S.O", "Rajgarh (Alwar) S.O")] \
        == ["Shahganj", "Mandawa", "Rajgarh"]


def test_an_office_filed_far_from_the_district_its_name_gives_goes_to_the_named_one(derive):
    module, districts = derive
    peers = Counter({"JAISALMER": 5, "JHALAWAR": 1})
    assert module.filed_under("Mohangarh SO Jaisalmer", "JHALAWAR", peers, "rj", districts) == ["JAISALMER"]


def test_an_office_named_after_the_district_it_was_cut_from_keeps_both(derive):
    module, districts = derive
    peers = Counter({"KAUSHAMBI": 5})
    assert module.filed_under("Daranagar SO Allahabad", "KAUSHAMBI", peers, "up", districts) \
        == ["KAUSHAMBI", "ALLAHABAD"]


def test_an_office_near_jaipur_is_the_city_further_out_either_and_far_out_rural(derive):
    module, districts = derive
    jaipur = ["rj-jaipur-rural", "rj-kotputli-behror"]
    assert module.place(jaipur, (26.92, 75.80), districts) == ["rj-jaipur"]
    assert set(module.place(jaipur, (27.12, 75.80), districts)) == {"rj-jaipur-rural", "rj-jaipur"}
    assert module.place(jaipur, (27.70, 76.20), districts) == ["rj-kotputli-behror"]


def test_an_office_without_its_own_coordinates_keeps_every_successor(derive):
    module, districts = derive
    assert module.place(["rj-barmer", "rj-balotra"], None, districts) == ["rj-barmer", "rj-balotra"]
