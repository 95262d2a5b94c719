"""Triage of one post: actionable or not, category and group, priority, sensitivity, text handling."""
import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from chalicelib.triage import TriageInput, TriageResult, triage
from chalicelib.triage.normalise import analyse, fold, stem
from chalicelib.triage.taxonomy import GROUPS, UnknownCategoryError, categories, category


def rj(text, **kw):
    return triage(TriageInput(text=text, mentions=("PoliceRajasthan",), **kw))


def up(text, **kw):
    return triage(TriageInput(text=text, mentions=("Uppolice",), **kw))


# -- taxonomy -----------------------------------------------------------------------------------------
def test_taxonomy_has_about_sixty_actionable_categories_each_in_a_fixed_group():
    actionable = [c for c in categories() if c.actionable]
    assert 55 <= len(actionable) <= 75
    assert all(c.group in GROUPS and c.group != "not_actionable" for c in actionable)
    assert {c.group for c in actionable} == set(GROUPS) - {"not_actionable"}


def test_every_category_has_english_and_hindi_labels():
    for c in categories():
        assert c.label_en and c.label_hi and any("\u0900" <= ch <= "\u097f" for ch in c.label_hi), c.id


def test_category_lookup_gives_labels_group_priority_and_sensitivity():
    rape = category("rape_sexual_assault")
    assert (rape.group, rape.priority, rape.sensitive) == ("women_children", "P1", True)
    assert category("theft").label_hi == "चोरी"


def test_unknown_category_id_raises_a_named_error():
    with pytest.raises(UnknownCategoryError):
        category("no_such_category")


# -- actionable ---------------------------------------------------------------------------------------
@pytest.mark.parametrize("text, kind", [
    ("Thank you Rajasthan Police for the quick help 🙏", "na_thanks"),
    ("धन्यवाद राजस्थान पुलिस, आपकी तत्परता से मेरा पर्स मिल गया", "na_thanks"),
    ("Good morning sir, Jai Hind", "na_greeting"),
    ("Shandar kaam, salute to our police", "na_praise"),
    ("BJP sarkar ne sab barbaad kar diya, vote mat dena", "na_political"),
    ("Subscribe my channel for free recharge offers https://t.co/x", "na_spam"),
    ("Aaj mausam bahut suhana hai", "na_unrelated"),
])
def test_thanks_greetings_praise_politics_spam_and_chatter_are_not_actionable(text, kind):
    result = rj(text)
    assert (result.actionable, result.category, result.group) == (False, kind, "not_actionable")
    assert result.district is None and result.priority == "P3"


def test_thanks_for_a_recovered_bike_is_not_a_theft_complaint():
    assert not rj("Thanks Jodhpur police for recovering my stolen bike in two days!").actionable


def test_a_complaint_that_ends_in_dhanyavad_is_still_actionable():
    result = rj("मेरी बाइक चोरी हो गई है, कृपया कार्रवाई करें। धन्यवाद")
    assert result.actionable and result.group == "property_crime"


def test_a_plea_without_a_named_crime_is_a_general_query():
    # The rules alone: the second reader may name what the plea is about (tests/test_triage_model.py).
    result = triage(TriageInput(text="Sir meri shikayat koi nahi sun raha, kya karun?", mentions=("Uppolice",)),
                    second_reading=False)
    assert result.actionable and result.group == "service_request"


# -- categories in three languages --------------------------------------------------------------------
@pytest.mark.parametrize("text, cat", [
    ("Meri scooty chori ho gayi market se", "vehicle_theft"),
    ("मेरी स्कूटी चोरी हो गई", "vehicle_theft"),
    ("My scooter was stolen from the parking", "vehicle_theft"),
    ("phone chory ho gaya bus me", "mobile_theft_lost"),
    ("mera mobile chorī ho gaya", "mobile_theft_lost"),
    ("Khate se paise kat gaye bina OTP ke", "cyber_financial_fraud"),
    ("I got a fake CBI call saying I am under digital arrest", "digital_arrest_scam"),
    ("Gaon me kachchi sharab bik rahi hai", "illegal_liquor"),
    ("पड़ोस में रात भर तेज डीजे बजता है", "noise_public_nuisance"),
    ("Character certificate kaise milega?", "verification_services"),
])
def test_common_complaints_get_their_category_in_hindi_english_and_hinglish(text, cat):
    assert rj(text).category == cat


def test_the_same_word_in_romanised_spelling_variants_gives_the_same_category():
    assert {rj(f"ghar me {w} ho gayi").category for w in ("chori", "chorī", "chory", "chorii", "CHORI")} == {"theft"}


def test_online_cheating_is_cyber_crime_and_offline_cheating_property_crime():
    assert up("Online naukri ke naam par thagi ho gayi").group == "cyber_crime"
    assert up("Naukri ke naam par ek aadmi ne 2 lakh thag liye").group == "property_crime"


def test_the_more_urgent_category_wins_a_tie():
    # "hamla" (assault, P2) and "goli chali" (firing, P1) in one post
    assert up("Gaon me hamla hua aur goli chali").category == "firing_illegal_arms"


# -- priority -----------------------------------------------------------------------------------------
def test_an_accident_with_injured_people_is_p1_and_without_is_not():
    assert rj("Truck ne auto ko takkar maari, do log gambhir ghayal").priority == "P1"
    assert rj("Meri car ko peeche se takkar maar di, bumper toot gaya").priority != "P1"


def test_a_missing_child_is_p1_and_a_missing_adult_is_p2():
    assert up("Meri 7 saal ki beti mele me kho gayi hai").priority == "P1"
    assert up("Mera bhai 3 din se lapata hai").priority == "P2"


def test_a_missing_elderly_person_with_memory_loss_is_p1():
    assert rj("मेरे दादाजी सुबह से घर नहीं लौटे, उनकी याददाश्त कमजोर है").priority == "P1"


def test_harassment_happening_now_is_p1_and_a_routine_report_is_p2():
    assert up("Ek ladki sadak par ro rahi hai, ladke peecha kar rahe hain").priority == "P1"
    assert up("Roz shaam ko bus stand par ladke fabtiyan kaste hain").priority == "P2"


def test_a_rumour_that_can_cause_unrest_is_p1_and_an_ordinary_one_p2():
    assert rj("Viral message: kal se internet band rahega, kya ye sach hai?").priority == "P1"
    assert rj("Viral message ki petrol sasta hoga, kya ye sach hai?").priority == "P2"


def test_a_service_request_is_p3():
    assert up("Passport verification pending hai 20 din se").priority == "P3"


def test_robbery_at_gunpoint_just_now_is_p1():
    assert rj("Abhi abhi do badmash pistol dikha kar loot le gaye").priority == "P1"


# -- privacy ------------------------------------------------------------------------------------------
def test_sexual_offences_are_sensitive():
    assert up("Gaon me ek mahila ke saath dushkarm hua").sensitive


def test_a_child_victim_makes_any_crime_sensitive():
    assert up("Padosi ne 12 saal ke bachche ko peeta").sensitive
    assert not up("Padosi ne mere bhai ko peeta").sensitive


# -- text handling ------------------------------------------------------------------------------------
@pytest.mark.parametrize("a, b", [
    ("thana", "thane"), ("थाना", "थाने"), ("ladki", "ladkiyon"), ("लड़की", "लड़कियों"), ("chori", "chory"),
])
def test_inflections_and_spellings_share_a_stem(a, b):
    assert stem(a) == stem(b)


def test_nukta_anusvara_and_chandrabindu_variants_fold_together():
    assert fold("ज़मीन") == fold("जमीन")
    assert fold("बाँदा") == fold("बांदा") == fold("बान्दा")


def test_handles_urls_and_hashtags_are_separated_from_words():
    t = analyse("@SP_Balotra #BikeChori https://t.co/x चोरी 🙏")
    assert t.handles == ("sp_balotra",) and t.has_url
    assert "bike" in t.tokens and "chori" in t.tokens and not any("http" in w for w in t.tokens)


@pytest.mark.parametrize("text, lang", [
    ("मेरी बाइक चोरी हो गई", "hi"), ("My bike was stolen", "en"), ("Meri bike chori ho gayi hai", "hinglish"),
])
def test_language_is_detected(text, lang):
    assert rj(text).language == lang


# -- bad input ----------------------------------------------------------------------------------------
@pytest.mark.parametrize("post", [
    TriageInput(text=""),
    TriageInput(text="🙏🙏🔥🔥"),
    TriageInput(text="chori " * 2000),
    TriageInput(text="میری موٹر سائیکل چوری ہو گئی"),
    TriageInput(text="ਮੇਰਾ ਫੋਨ ਚੋਰੀ ਹੋ ਗਿਆ"),
    TriageInput(text="chori", coordinates=("x", None)),  # type: ignore[arg-type]
    TriageInput(text="chori", coordinates=(999.0, 999.0)),
    TriageInput(text="chori", mentions=("nobody_knows_me", "")),
    TriageInput(text=None),  # type: ignore[arg-type]
])
def test_bad_input_gives_a_valid_result_not_an_exception(post):
    result = triage(post)
    assert isinstance(result, TriageResult)
    assert result.group in GROUPS and result.priority in ("P1", "P2", "P3")
    assert result.district is None


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=300))
def test_any_text_gives_a_valid_result(text):
    result = triage(TriageInput(text=text, mentions=("Uppolice",)))
    assert result.group in GROUPS and (result.actionable or result.district is None)


def test_result_to_dict_is_json_ready():
    d = rj("Jodhpur me bike chori").to_dict()
    assert isinstance(d["cues"], list)
    assert json.loads(json.dumps(d, ensure_ascii=False)) == d


def test_cues_explain_category_priority_and_district():
    cues = rj("जोधपुर के पावटा चौराहे पर मेरी स्कूटी चोरी हो गई").cues
    assert any(c.startswith("category:") and "vehicle_theft" in c for c in cues)
    assert any(c.startswith("priority:") for c in cues)
    assert any(c.startswith("district:") and "rj-jodhpur" in c for c in cues)


def test_cues_of_a_sensitive_complaint_do_not_name_the_place():
    result = up("Meerut ke Sardhana me meri 16 saal ki beti ko ek ladka shaadi ka jhansa dekar le gaya")
    assert result.sensitive and result.district == "up-meerut"
    assert not any("Sardhana" in c for c in result.cues)


def test_complaint_words_without_a_known_category_still_reach_hq_as_a_p2_complaint():
    result = up("Hamare mohalle me kuch badmash roz hungama karte hain")
    assert result.actionable and result.priority == "P2"


def test_habitual_abuse_is_p2_unless_the_post_says_it_is_urgent():
    assert rj("Padosi ki ladki ko uska pati roz peet ta hai, cheekh sunai deti hai").priority == "P2"
    assert rj("Padosi ki ladki ko uska pati roz peetta hai, aaj bhi maar raha hai, jaldi aaiye").priority == "P1"


def test_police_named_as_the_offender_is_police_conduct():
    assert up("I was slapped by a traffic constable at Hazratganj").group == "police_conduct"


def test_drinking_water_is_not_a_beating():
    assert not up("Bahut garmi hai aaj, paani peete raho").actionable
    assert up("Mere bhai ko 4 logon ne peeta").category == "assault_hurt"


@pytest.mark.parametrize("text", [
    "Is there any vacancy in cyber cell for freshers?",   # any ~ anyay
    "Please share this post to spread awareness about road safety",
    "Lucknow me aaj pradarshan ki khabar news me dekhi",
])
def test_near_miss_chatter_is_not_actionable(text):
    assert not up(text).actionable


def test_fir_is_not_fire_and_a_girl_is_not_a_boy():
    assert up("FIR ke liye thane me 10000 maang rahe hain").group == "police_conduct"
    assert stem("ladki") != stem("ladka") and stem("लड़की") != stem("लड़के")


EVERYDAY_WORDS = (
    "paani khana ghar log din raat aaj kal sab bahut accha bura kaam naukri school college bus train sadak "
    "market dukaan time baat dost bhai behen maa papa patni sir hello sorry haan nahi kya kaise kab kahan "
    "mera tera aap tum hum india desh video photo post share like comment mobile number message internet "
    "bijli garmi sardi barish mausam khet kisan gaon shehar station office bank hospital doctor dawai theek "
    "sahi chai doodh roti shaadi mela holi diwali eid exam result form salary pension ration card aadhaar "
    "zameen makaan kiraya car truck auto cycle band chalu pehle baad saath bina upar neeche andar bahar "
    "aage peeche paas door jaldi der subah shaam mahina saal naam pata gali mohalla colony chauraha mandir "
    "masjid park hotel dhaba factory company teacher student aurat aadmi mahila driver officer court case "
    "report application bill order parcel game cricket match team gaana dance awaaz gussa rishta janta "
    "bheed rally yatra puja class hata hate shape part age any hafte sorry net peete "
    "पानी घर लोग आज कल बहुत अच्छा काम स्कूल बस ट्रेन सड़क बाजार दुकान बात भाई बहन मां पापा आगे पीछे गली "
    "मंदिर मस्जिद खेत किसान गांव शहर बिजली गर्मी बारिश चाय दूध शादी मेला होली दिवाली परीक्षा राशन मकान"
).split()


def test_no_everyday_word_alone_makes_a_complaint():
    flagged = [w for w in EVERYDAY_WORDS if up(w).actionable]
    assert flagged == []


def test_sms_spellings_are_expanded():
    assert up("sir meri fir nhi likh rhe thane wale, 3 din se chakkar kaat rha hu").group == "police_conduct"


def test_an_unclassified_incident_reaches_hq_but_no_district_queue():
    # The rules alone; what the second reader makes of such a post: tests/test_triage_model.py.
    result = triage(TriageInput(text="Lucknow me raat ko kuch log aaye aur todfod karke chale gaye",
                                mentions=("Uppolice",)), second_reading=False)
    assert result.actionable and result.category == "general_query" and result.district is None


@pytest.mark.parametrize("text", ["Sikar me bike chori", "Jhansi me paise chori", "चूरू में बाइक चोरी"])
def test_a_district_name_is_never_read_as_a_keyword(text):
    # Sikar/shikar (hunting), Jhansi/jhansa (a con), Churu/chura (stole) stem alike
    assert rj(text).category in ("vehicle_theft", "theft")


def test_kids_near_a_marriage_lawn_do_not_make_a_child_marriage():
    assert rj("Loud DJ till 2 am every night at the marriage lawn behind our colony. Kids have exams.").group \
        == "vice_nuisance"
    assert rj("Padosi apni 15 saal ki beti ki shaadi kar rahe hain").category == "child_marriage"


def test_a_drunk_driver_on_the_road_right_now_is_p1():
    assert rj("A drunk truck driver is zigzagging on the highway near Dudu right now").priority == "P1"


def test_a_first_person_promotion_without_any_harm_is_spam():
    assert not up("Follow me for daily stock tips, guaranteed 300% returns! Join our Telegram").actionable
    assert up("I joined a Telegram group for stock tips with guaranteed returns and lost 2 lakh").actionable


def test_the_hindi_verb_kar_is_not_a_plea_but_karen_is():
    # करें (please do) asks for action; कर (doing, having done) is in nearly every Hindi sentence
    assert not up("शुक्रिया पुलिस, आपने चोर को पकड़ कर मेरा फोन लौटा दिया").actionable
    assert up("मेरी शिकायत पर कार्यवाही करे").actionable


# -- round 21: general causes found by unseen posts ---------------------------------------------------
def test_a_habitual_beating_happening_again_today_is_p1():
    assert up("Pati roz peeta hai, aaj phir maar raha hai, Etawah").priority == "P1"
    assert up("पति रोज मारपीट करता है, पिछले साल से परेशान हूं, इटावा").priority == "P2"


def test_a_post_saying_the_music_does_not_stop_is_noise_not_a_rumour():
    assert up("मोहल्ले में रात को डीजे बजता है, 1 बजे के बाद भी बंद नहीं होता, आगरा").group == "vice_nuisance"


def test_a_vehicle_hitting_children_is_a_road_accident_not_child_abuse():
    result = up("स्कूल से लौट रहे बच्चों को ट्रक ने टक्कर मारी, तीन बच्चे घायल, एटा")
    assert (result.group, result.priority) == ("road_traffic", "P1")


def test_a_threat_to_jump_into_a_river_is_a_suicide_attempt():
    result = up("Mera dost bol raha hai nahar me kood ke jaan de dega, Etawah")
    assert (result.category, result.priority) == ("suicide_attempt", "P1")


def test_a_rumour_that_stirs_outrage_is_p1():
    assert up("Fake news being shared that a shrine was damaged in Meerut, it is creating outrage").priority == "P1"


def test_a_place_that_is_also_a_word_routes_when_the_post_signs_off_with_it():
    assert up("मेरे खेत से पंप चोरी हो गया, बस्ती").district == "up-basti"
    assert up("हमारी बस्ती में रोज अवैध शराब बिकती है").district is None


def test_a_bypass_is_where_its_town_is():
    assert up("Truck ne bike ko takkar maar di near Sitapur bypass, 2 log ghayal").district == "up-sitapur"


def test_lost_identity_documents_are_a_service_request_not_a_missing_person():
    assert up("मेरा ड्राइविंग लाइसेंस खो गया है, रिपोर्ट कैसे लिखवाएं").group == "service_request"


def test_children_made_to_work_are_child_labour():
    assert up("Kids as young as 10 are made to work at the brick kiln outside our village").category \
        == "child_labour_begging"


def test_an_english_present_continuous_assault_is_happening_now():
    assert up("My neighbour is beating his mother in the courtyard, Mathura").priority == "P1"


def test_an_ambulance_that_cannot_be_found_is_an_emergency_not_a_missing_person():
    result = up("Dadi ko saans lene me dikkat hai, ambulance nahi mil rahi, Bareilly")
    assert (result.group, result.priority) == ("emergency_rescue", "P1")


def test_a_person_carried_off_for_ransom_is_a_kidnapping():
    assert up("मेरे चाचा को कुछ लोग उठा कर ले गए, फिरौती मांग रहे हैं, मऊ जिला").category == "kidnapping_abduction"


def test_men_running_after_someone_with_swords_is_an_armed_assault():
    result = up("Do ladke talwar leke ek aadmi ke peeche daud rahe hain, Aligarh Sasni Gate")
    assert (result.group, result.priority, result.district) == ("violent_crime", "P1", "up-aligarh")


def test_a_place_of_two_words_written_as_one_still_routes():
    assert rj("Ramganjmandi me kisan ki trolley se soyabean chori ho gayi").district == "rj-kota-rural"


def test_hunting_is_not_the_town_of_sikar():
    assert rj("Jaisalmer me Godawan ka shikar karte dekha gaya").group == "animal"


def test_villagers_trapped_by_flood_water_need_rescue():
    result = up("Rapti ka paani gaon me ghus gaya, log chhat pe fanse hain, naav bhejo, Gorakhpur")
    assert (result.group, result.priority) == ("emergency_rescue", "P1")


def test_an_old_riot_video_shared_again_is_misinformation_not_a_riot():
    assert up("Meerut ke naam se ek purana danga video share ho raha hai").group == "misinformation"


def test_a_customs_parcel_call_is_a_digital_arrest_scam():
    assert rj("Call aaya ki aapka parcel customs me pakda gaya hai, 1 lakh bhejo warna arrest").group == "cyber_crime"


def test_a_viral_video_of_a_beating_is_an_assault_not_a_rumour():
    assert rj("Ratanada me do ladko ne dukaandar ko peeta, video viral hai").group == "violent_crime"


def test_stones_flying_between_two_sides_is_a_clash():
    assert rj("Ladnun me do samaj ke log ikatthe, patthar chal rahe hain").priority == "P1"


def test_being_sent_round_the_police_station_for_days_is_police_conduct():
    assert up("Chinhat thane me FIR ke liye 3 din se chakkar kata raha hun").group == "police_conduct"


def test_a_fraud_on_a_classifieds_site_is_cyber_fraud():
    assert up("OLX pe army wala bankar bike bechne ke naam pe 25 hazar le liye").group == "cyber_crime"


def test_driving_on_the_wrong_side_is_a_traffic_violation():
    assert up("Pari Chowk pe log galat side se aa rahe hain, challan kaato").group == "road_traffic"


def test_a_cut_wrist_or_not_wanting_to_live_is_a_suicide_attempt():
    assert up("Dost ne nas kaat li hai, khoon band nahi ho raha").category == "suicide_attempt"
    assert rj("My son messaged that he does not want to live, his phone is off, Kota").category == "suicide_attempt"


def test_a_child_taken_somewhere_by_the_van_driver_is_a_kidnapping():
    assert up("मेरे बेटे को ऑटो वाला कहीं ले गया है, फोन नहीं उठा रहा, आगरा").priority == "P1"


def test_a_euphemism_for_sexual_abuse_of_a_girl_child_is_pocso():
    result = rj("पड़ोसी ने बच्ची के साथ गलत काम किया, जोधपुर")
    assert (result.category, result.priority, result.sensitive) == ("child_sexual_abuse_pocso", "P1", True)


def test_a_shot_fired_at_a_wedding_that_hit_someone_is_p1():
    assert up("Shaadi me chali goli, ek aadmi ko lagi, Tundla").priority == "P1"


def test_a_harasser_still_standing_next_to_the_victim_is_p1():
    assert up("A man groped my sister in the bus and he is still standing next to her, Noida").priority == "P1"


def test_a_hit_and_run_victim_lying_on_the_road_is_p1():
    assert up("Gaadi wale ne budhe aadmi ko takkar maari aur bhaag gaya, wo sadak pe pade hain").priority == "P1"


def test_a_mob_beating_a_suspected_smuggler_is_a_lynching():
    assert rj("Mob ne ek aadmi ko taskar samajh ke maar diya, Alwar").category == "mob_lynching"


def test_a_follow_up_saying_nothing_happened_yet_is_not_an_emergency():
    assert up("Pichle mahine meri chain chheen li thi, abhi tak kuch nahi hua, Meerut").priority != "P1"


def test_a_quarrel_going_on_for_years_is_not_an_emergency_now():
    assert up("Padosi se naali ko lekar jhagda chal raha hai 2 saal se, Hardoi").priority != "P1"
    assert up("Padosi se naali ko lekar jhagda chal raha hai, lathi nikal li hai, jaldi aao").priority == "P1"


def test_a_112_van_that_never_came_is_police_conduct_in_hindi_too():
    assert up("आजमगढ़ में 112 पर बार-बार फोन किया, गाड़ी नहीं आई").group == "police_conduct"


def test_a_threat_to_take_a_son_unless_paid_is_extortion():
    assert up("Ek aadmi phone karke 2 lakh maang raha hai, nahi to bete ko utha lega, Fatehpur").group \
        == "disputes_threats"


def test_a_fake_audio_about_poisoned_water_is_misinformation():
    assert rj("Ek farzi audio viral hai ki paani me zeher mila diya gaya, log dar gaye, Jodhpur").group \
        == "misinformation"


def test_an_adult_who_did_not_come_back_is_missing():
    assert up("Meri 19 saal ki behen college gayi thi, wapas nahi aayi, Basti district").group == "missing_person"


def test_an_arms_licence_renewal_is_a_service_request():
    assert rj("Arms license renewal ke liye kahan apply karna hai, Jhunjhunu").group == "service_request"


def test_a_minor_taken_away_on_the_pretext_of_a_job_is_trafficking():
    result = rj("Ek nabalig ladki ko naukri ke bahane Punjab le ja rahe hain, Sri Ganganagar bus stand")
    assert (result.category, result.priority) == ("human_trafficking", "P1")


def test_smugglers_firing_at_the_police_is_a_firing_not_a_drugs_complaint():
    assert rj("Nimbahera me afeem tashkaron ne police party pe firing ki").category == "firing_illegal_arms"


def test_a_rumour_spreading_fear_is_p1():
    assert up("Bhediya ke naam pe purane video share karke dar faila rahe hain, Bahraich").priority == "P1"


def test_a_traffic_signal_out_of_order_is_a_traffic_complaint():
    assert rj("The traffic signal at Tonk Phatak has not been working for 3 days, Jaipur").group == "road_traffic"


def test_an_elderly_person_with_dementia_who_walked_out_is_a_p1_missing_person():
    result = up("My mother has dementia and walked out of the house this morning, Saharanpur")
    assert (result.group, result.priority) == ("missing_person", "P1")


def test_a_fake_letter_about_riots_is_p1_misinformation():
    result = rj("A fake letter in the name of SP Bikaner claims schools will close due to riots")
    assert (result.group, result.priority) == ("misinformation", "P1")


def test_a_police_noc_for_an_event_is_a_service_request():
    assert up("How to get a no objection certificate from police for an event in Lucknow").group == "service_request"


def test_an_attempt_to_burn_a_wife_alive_is_p1():
    assert rj("हिंडौन में विवाहिता को ससुराल वालों ने जिंदा जलाने का प्रयास किया").priority == "P1"


def test_a_girl_missing_in_suspicious_circumstances_is_missing_not_dead():
    result = up("करनैलगंज से 12 वर्षीय छात्रा संदिग्ध परिस्थितियों में लापता, गोंडा")
    assert (result.category, result.priority) == ("missing_child", "P1")


def test_a_dumper_running_over_a_couple_is_an_accident_with_injured():
    result = up("शाहजहांपुर में तेज रफ्तार डंपर ने स्कूटी सवार दंपती को रौंदा")
    assert (result.group, result.priority) == ("road_traffic", "P1")


def test_a_car_stuck_on_a_flooded_culvert_needs_rescue():
    assert rj("बारां में पार्वती नदी उफान पर, पुलिया पर फंसी कार").group == "emergency_rescue"


def test_an_unknown_man_striking_with_a_sharp_weapon_is_an_attack_not_a_found_person():
    assert rj("अज्ञात व्यक्ति ने महिला के गले पर धारदार हथियार से वार किया, डूंगरपुर").group == "violent_crime"


def test_rn_and_asap_say_it_is_happening_now():
    result = rj("Sardarpura - guys with hockey sticks smashing cars rn, Jodhpur")
    assert (result.group, result.priority) == ("violent_crime", "P1")


def test_people_stuck_in_a_lift_need_rescue():
    assert rj("pls send help, ppl stuck in lift at a mall in Alwar for 1 hr, one lady fainted").priority == "P1"


def test_a_man_exposing_himself_to_girls_is_sexual_harassment():
    # The keyword rule; the second reader overrules it (violent_crime, 62%): one of its known misreadings
    # of short posts, kept because it is right far more often than wrong on unseen writers (docs/triage.md).
    post = TriageInput(text="a guy is flashing at girls near the university gate right now, Lucknow",
                       mentions=("Uppolice",))
    assert triage(post, second_reading=False).group == "women_children"


def test_a_fake_customer_care_number_is_cyber_fraud():
    assert rj("got scammed 15k thru fake customer care no. of an airline, Kota").group == "cyber_crime"


def test_sms_spellings_of_urgent_words_are_read():
    result = up("sir mere ghr pe 5-6 log aaye h hathiyar lekr, darwaja tod rhe h, jldi aao, Meerut")
    assert (result.group, result.priority) == ("violent_crime", "P1")


def test_drunk_youths_abusing_in_the_street_are_a_nuisance():
    assert rj("Bundi me gali me roj daru peeke gali galoch krte h ladke").group == "vice_nuisance"


def test_permission_for_a_loudspeaker_is_a_service_request_not_a_noise_complaint():
    assert rj("What is the procedure for getting an NOC for a loudspeaker at a wedding in Jaipur?").group \
        == "service_request"


def test_a_shooting_over_an_election_feud_is_a_crime_not_politics():
    assert up("बलिया में चुनावी रंजिश में प्रधान पर फायरिंग, हालत गंभीर").group == "violent_crime"


def test_a_bus_fallen_into_a_gorge_is_a_road_accident():
    assert rj("Abu Road ke paas bus khai me giri, kai yatri ghayal").group == "road_traffic"


def test_river_erosion_sweeping_houses_away_needs_rescue():
    assert up("Ghaghra ka kataan, gaon ke ghar nadi me beh rahe hain, Bahraich").group == "emergency_rescue"


def test_tension_between_communities_is_a_communal_riot():
    assert rj("Mandal me do samaj ke beech tanav, dukaanon me aag lagayi ja rahi hai, Bhilwara").category \
        == "communal_riot"


def test_a_tractor_that_has_run_over_a_child_is_a_p1_accident():
    # The rules alone: the second reader reads it as a child victim (women_children), still P1.
    result = triage(TriageInput(text="Urgent: a tractor has run over a child in our village near Phulera",
                                mentions=("PoliceRajasthan",)), second_reading=False)
    assert (result.group, result.priority) == ("road_traffic", "P1")


def test_sleeping_pills_taken_after_a_fight_are_a_suicide_attempt():
    assert up("My friend took sleeping pills after a fight with family, she is not waking up").category \
        == "suicide_attempt"


def test_a_leopard_that_mauled_people_is_p1():
    assert up("A leopard has entered a house in Bijnor and mauled two people").priority == "P1"


def test_dacoits_with_guns_looting_a_bus_is_p1():
    assert rj("Our bus was stopped by dacoits, they have guns and are looting passengers").priority == "P1"


def test_an_attempt_to_pull_a_woman_into_a_car_is_a_kidnapping():
    # The rules alone: the second reader reads it as molestation, P2 (a known misreading: docs/triage.md).
    text = "एक युवती को कार सवार युवकों ने जबरन गाड़ी में खींचने की कोशिश की, लोगों ने बचाया, हापुड़"
    result = triage(TriageInput(text=text, mentions=("Uppolice",)), second_reading=False)
    assert (result.category, result.priority) == ("kidnapping_abduction", "P1")


def test_a_noose_behind_a_door_locked_from_inside_is_a_suicide_attempt_not_a_rumour():
    assert rj("सीकर में छात्रावास में छात्र ने फंदा लगा लिया, दरवाजा अंदर से बंद है").category == "suicide_attempt"


def test_cows_starving_in_a_gaushala_are_animal_cruelty():
    assert rj("Churu me gaushala me gaayein bhookh se mar rahi hain, koi dekhbhal nahi").group == "animal"


def test_a_police_station_keeping_a_phone_it_will_not_return_is_police_conduct():
    assert rj("Lalsot thane me mera mobile jama karwa liya aur wapas nahi de rahe, Dausa").group == "police_conduct"


def test_a_girl_sold_by_a_relative_is_trafficking():
    result = up("Ek 16 saal ki ladki ko uske rishtedar ne bech diya, Nepal le ja rahe hain, Gorakhpur")
    assert (result.group, result.priority) == ("women_children", "P1")


def test_a_capsized_boat_is_a_rescue_not_a_road_accident():
    assert up("Sharda nadi me naav palat gayi, 10 log the, Lakhimpur").group == "emergency_rescue"


def test_a_false_video_about_people_at_prayer_is_p1():
    assert up("Ek nakli video me dikhaya ja raha hai ki police ne namaz padhne walon ko peeta, ye jhooth hai").priority \
        == "P1"


def test_a_puppy_killed_is_animal_cruelty_not_child_abuse():
    assert up("Guard ne kutte ke bacche ko patak ke maar diya, video hai, Ghaziabad").group == "animal"


def test_a_worker_fallen_from_a_roof_is_an_emergency():
    assert rj("Sanganer me chhat se girkar majdoor ghayal, thekedar bhag gaya, Jaipur").priority == "P1"


def test_an_opinion_on_news_of_a_crime_is_not_a_complaint():
    assert not up("Read about the Etah double murder case in the paper today. Hope the culprits get life.").actionable
    assert up("Read about the chain snatchers in the paper - my chain was snatched too in Etah, please help").group \
        == "property_crime"


def test_a_sentence_about_someone_in_danger_reaches_hq_even_when_no_rule_names_the_crime():
    post = TriageInput(text="A man with a knife has locked himself in with his daughter in ward 12, Kotputli, "
                            "neighbours cannot get in", mentions=("PoliceRajasthan",))
    result = triage(post, second_reading=False)
    assert (result.actionable, result.district, result.priority) == (True, None, "P1")


def test_a_quarrel_fought_with_sticks_and_people_bleeding_is_an_assault_now():
    result = rj("बाड़मेर के चौहटन में दो परिवारों में जमीन को लेकर झगड़ा, अभी भी लाठी-भाटा चल रहे हैं, तीन लोग लहूलुहान पड़े हैं")
    assert (result.group, result.priority) == ("violent_crime", "P1")


def test_a_sexual_offence_against_a_child_is_a_pocso_emergency():
    result = up("गाँव में 10 साल की बच्ची के साथ पड़ोस के अधेड़ ने गलत हरकत की, बच्ची बहुत डरी हुई है")
    assert (result.category, result.priority, result.sensitive) == ("child_sexual_abuse_pocso", "P1", True)


def test_a_seventeen_year_old_who_has_not_come_back_is_a_missing_child():
    result = rj("My son studying in Kota has not answered calls since last night. He is 17. Please help us.")
    assert (result.category, result.priority) == ("missing_child", "P1")


def test_a_refusal_to_register_the_fir_is_the_complaint_whatever_the_crime():
    assert up("SHO Bhinga ne meri bike chori ki FIR likhne se mana kiya, bole compromise kar lo").category \
        == "police_misconduct_corruption"


def test_a_threat_to_kill_is_intimidation_not_murder():
    result = rj("padosi ne meri zameen pe deewar bana li aur bolta h jaan se maar dunga")
    assert result.group == "disputes_threats"


def test_a_leopard_that_carries_off_a_goat_is_wildlife_not_a_kidnapping():
    assert rj("kheto me tendua aa gya h gaon me bakri utha le gya, abhi bhi jhadi me h").group == "animal"


def test_acid_thrown_on_cows_is_cruelty_to_animals():
    assert rj("बूंदी में कोई गायों पर तेजाब डालकर घायल कर रहा है, तीन गायें घायल मिलीं").category == "cruelty_to_animals"


def test_a_katta_in_a_robbery_makes_it_an_armed_robbery_not_illegal_arms():
    result = up("Budaun me kal raat lootpat - 4 badmash tamanche ke saath ghar me ghuse, zewar loot le gaye")
    assert result.group == "property_crime"


def test_someone_saying_they_will_end_their_life_makes_any_complaint_p1():
    result = up("My brother is being blackmailed with a recorded video call, they want 50k. He just messaged that he will end his life")
    assert result.priority == "P1"


def test_last_nights_celebratory_firing_with_nobody_hurt_can_wait_two_hours():
    assert up("Video from last night's baraat in Bharthana - a man fired 3 rounds in the air while dancing").priority == "P2"
    assert up("Gunshots heard near the Dhampur sugar mill 5 min ago, people running in all directions").priority == "P1"
