"""District resolution, strongest cue first (../shared/TRIAGE.md):

1. the receiving district desk, a tagged district account, a district named in the text (English,
   Devanagari, romanised), or a town / police station / landmark of one district;
2. a village or small town known only by its post office (India Post's directory, a weaker cue);
3. the geotag (nearest known town or district centre within a sane radius);
4. the author's profile location;
5. nothing, or a tie: None (HQ decides). Never a guess.

A weaker cue only breaks a tie among the candidates of a stronger one. The state (from the desk,
the tagged state account or the caller) filters every candidate first, which is what decides a
name found in both states (Pratapgarh).
"""
from __future__ import annotations

import csv
import json
import math
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from chalicelib.districts import District, DistrictRegistry, load_registry
from chalicelib.triage.normalise import Text, analyse, fold, tokenize
from chalicelib.triage.romanise import romanised_forms

DATA = Path(__file__).resolve().parent.parent / "data"
GAZETTEER = DATA / "gazetteer.json"
CURATED = DATA / "places_curated.csv"
POST_OFFICES = DATA / "post_offices.json"

FUZZY_MIN = 8  # shorter names are too close to each other (Raipur/Jaipur/Rampur) for typo matching
ROMANISED_MIN = 5  # a Hindi word read in Latin letters matches a place of at least this many letters
TAGGED_WEIGHT = 10  # a tagged district account outweighs any number of place names
GEOTAG_MAX_KM = 45.0
GEOTAG_TIE_KM = 2.0
# City commissionerates whose rural district surrounds them: a geotag further out than this from
# the city's own points cannot tell city from rural.
CITY_RADIUS_KM = {"rj-jaipur": 15.0, "rj-jodhpur": 10.0, "rj-kota": 10.0}
SPLIT_RURAL = {"rj-jaipur-rural", "rj-jodhpur-rural", "rj-kota-rural"}

# A named parent district and a named place of one of its children: the child is more specific
# ("Barmer ke Balotra me", "Jodhpur ke Bilara me").
CHILDREN = {
    "rj-barmer": {"rj-balotra"}, "rj-ajmer": {"rj-beawar"}, "rj-pali": {"rj-beawar"},
    "rj-bhilwara": {"rj-beawar"}, "rj-nagaur": {"rj-didwana-kuchaman"}, "rj-bharatpur": {"rj-deeg"},
    "rj-alwar": {"rj-khairthal-tijara", "rj-kotputli-behror", "rj-bhiwadi"},
    "rj-jaipur": {"rj-jaipur-rural", "rj-kotputli-behror"}, "rj-jaipur-rural": {"rj-kotputli-behror"},
    "rj-jodhpur": {"rj-jodhpur-rural", "rj-phalodi"}, "rj-jodhpur-rural": {"rj-phalodi"},
    "rj-kota": {"rj-kota-rural"}, "rj-udaipur": {"rj-salumbar"}, "rj-khairthal-tijara": {"rj-bhiwadi"},
    "up-ghaziabad": {"up-hapur"}, "up-muzaffarnagar": {"up-shamli"}, "up-moradabad": {"up-sambhal"},
    "up-budaun": {"up-sambhal"}, "up-sultanpur": {"up-amethi"}, "up-raebareli": {"up-amethi"},
}

# Names that are ordinary words too ("ek banda", "basti", "dig"): they count only when written
# with a capital letter (romanised) or next to a word like district/police/जिला.
WEAK_NAMES = {"banda", "basti", "mau", "dig", "dosa", "eta", "orai", "mati", "koil", "kasi", "prayag", "begun",
              "nagar", "bela", "belha", "kiri", "unao", "bhim nagar", "jp nagar", "karvi", "gonda", "pali",
              "jewar",  # zevar, jewellery
              # बाप (father), रानी (a name), बाड़ी (बॉडी, a body), कोंच (कोच, a coach), पहाड़ी (hilly)
              "बस्ती", "काशी", "नगर", "बाप", "रानी", "बाड़ी", "कोंच", "पहाड़ी"}
# English words that fold into a place name: "barely" is Bareli (Bareilly), "Sandy" Sandi (Hardoi);
# shikar (hunting) folds into Sikar, which is written so. Hindi words read in Latin letters too:
# शिकार (hunting) is Sikar, सालों (years) Salon in Raebareli, हराया (defeated) Harraiya, चारा (fodder)
# Chharra in Aligarh.
NOT_PLACES = {"barely", "sandy", "shikar", "shikaar", "शिकार", "सालों", "हराया", "चारा"}
CONTEXT_WORDS = {"district", "distt", "dist", "jila", "jilla", "jile", "police", "city", "sp", "thana", "thane",
                 "kotwali", "chowki", "जिला", "जिले", "पुलिस", "शहर", "थाना", "थाने", "कोतवाली", "चौकी"}
# Locality names found in many towns ("Shastri Nagar", "Civil Lines"): they only confirm a district
# named some other way.
GENERIC_FIRST = ("shastri jawahar pratap malviya vaishali indira kamla vikas rajeev rajiv mahaveer mahavir "
                 "vigyan adarsh subhash gandhi nehru ambedkar govind prem krishna ram shiv azad patel tilak "
                 "rajendra civil sadar station clock ghanta new old model").split()
GENERIC_LAST = ("nagar lines bazar bazaar road tower ghar colony town puram vihar").split()
KOTWALI = {"kotvali", "कोतवालि", "cant", "sadar", "सदर"}  # folded forms
# "Agra Lucknow expressway", "Jaipur-Ajmer highway", "Nohar road": a route, not where it happened.
# A bypass is not one: "Rampur bypass" skirts Rampur itself.
ROUTE_WORDS = {"expressway", "highway", "hwy", "road", "marg", "nh",
               "हाइवे", "हाईवे", "एक्सप्रेसवे", "मार्ग", "रोड"}
LOCATIVE = {"me", "mein", "mai", "ke", "ki", "ka", "se", "main", "में", "के", "की", "का", "से"}
# A village written in Devanagari is read through romanise.py, where everyday words meet village names too
# (परसों is Parson, कोहरा Kohara, गेहूं Gehun) and no capital tells a name: it counts only after the title
# of an address ("ग्राम सिकराय", "थाना शाहगंज").
VILLAGE_TITLES = {"ग्राम", "थाना", "मौजा", "कस्बा"}
LOCATIVE = {fold(w) for w in LOCATIVE}
CONTEXT_WORDS = {fold(w) for w in CONTEXT_WORDS}
VILLAGE_TITLES = {fold(w) for w in VILLAGE_TITLES}
WEAK_NAMES = {" ".join(fold(t) for t in w.split()) for w in WEAK_NAMES}


@dataclass(frozen=True)
class Place:
    label: str                    # as shown to HQ
    districts: frozenset[str]     # every district this name can mean
    kind: str                     # district | town | police_station | locality | landmark | tehsil | post_office
    weak: bool = False
    support_only: bool = False


@dataclass(frozen=True)
class Found:
    place: Place
    route: bool  # part of a route name: half a vote


@dataclass(frozen=True)
class Resolution:
    district: str | None
    cues: tuple[str, ...]
    state: str | None


def _km(a: tuple[float, float], b: tuple[float, float]) -> float:
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * 6371.0 * math.asin(min(1.0, math.sqrt(h)))


def _key(name: str) -> tuple[str, ...]:
    return tuple(fold(t) for t in tokenize(re.sub(r"\([^)]*name[^)]*\)", " ", name)))


def _signed_off(raw: str, originals: tuple[str, ...], i: int, length: int) -> bool:
    """"..., बस्ती": a name standing alone after the post's last comma is where the writer is, even a
    name that is an ordinary word too (Devanagari has no capital letter to tell)."""
    if i + length != len(originals):
        return False
    _, comma, tail = raw.rstrip(" .।!?\n").rpartition(",")
    return bool(comma) and tail.split() == list(originals[i:])


class Gazetteer:
    """All place names by folded token sequence, plus points for the geotag."""

    def __init__(self, registry: DistrictRegistry, towns: list[dict], curated: list[dict],
                 offices: list[list[str]] = ()):  # [label, folded name, district ids]
        self.registry = registry
        entries: dict[tuple[str, ...], dict] = {}

        def add(name: str, district: str, kind: str) -> None:
            key = _key(name)
            if not key or (len(key) == 1 and len(key[0]) < 3 and key[0].isascii()):
                return
            e = entries.setdefault(key, {"label": name, "districts": set(), "kinds": set()})
            e["districts"].add(district)
            e["kinds"].add(kind)
            if 1 < len(key) <= 3 and not _generic(key):
                # "Ramganjmandi", "Sawaimadhopur": a name of two or three words is often written as one.
                add("".join(tokenize(re.sub(r"\([^)]*name[^)]*\)", " ", name))), district, kind)

        district_keys: set[tuple[str, ...]] = set()
        for d in registry.districts:
            if d.is_desk:
                continue
            for name in (d.name_en, d.name_hi, *d.aliases):
                add(name, d.id, "district")
                district_keys.add(_key(name))
        for row in curated:
            for name in row["names"].split("|"):
                if name.strip():
                    add(name.strip(), row["district"], row["kind"])
        for town in towns:
            key = _key(town["name"])
            # A GeoNames town named like a district elsewhere (Fatehpur in Sikar) must not outvote the district.
            if town.get("text_cue") and key not in district_keys:
                add(town["name"], town["district"], "town")
        self.places: dict[tuple[str, ...], Place] = {}
        for key, e in entries.items():
            kinds = e["kinds"]
            kind = "district" if "district" in kinds else sorted(kinds)[0]
            joined = " ".join(key)
            self.places[key] = Place(
                label=e["label"], districts=frozenset(e["districts"]), kind=kind,
                weak=joined in WEAK_NAMES,
                support_only=(kind != "district" and _generic(key)) or joined in KOTWALI,
            )
        # Post-office names: a separate, weaker index, consulted where no other place name matches
        # (a town or curated place of the same name wins; derive_post_offices.py drops those). Among
        # 20,000 village names many are words too (Mandi, Lehra, Sawar; बाज़ार read as Bajar): they
        # count as weak names, written with a capital letter or next to a word like thana/जिला.
        # Kept as read (folded by derive_post_offices.py as _key() does); a Place is made only for a
        # name a post holds, which keeps the first post's load short.
        self.offices: dict[tuple[str, ...], tuple[str, str]] = {
            key: (label, ids) for label, folded, ids in offices if (key := tuple(folded.split())) not in self.places}
        self.max_len = max(len(k) for k in self.places)
        self.latin = {key: place for key, place in self.places.items()
                      if all(k.isascii() for k in key) and len("".join(key)) >= ROMANISED_MIN}
        # One-letter typos of long romanised district names ("Hanumangad", "Sahjahanpur"): every name
        # with one letter deleted, kept only where it points to a single place.
        self.typos: dict[str, Place | None] = {}
        for key, place in self.places.items():
            if place.kind == "district" and len(key) == 1 and key[0].isascii() and len(key[0]) >= FUZZY_MIN:
                for variant in _deletions(key[0]):
                    seen = self.typos.get(variant, place)
                    self.typos[variant] = place if seen is place else None
        self.first: dict[str, int] = {}
        for key in self.places:
            self.first[key[0]] = max(self.first.get(key[0], 0), len(key))
        self.offices_first = {key[0]: len(key) for key in sorted(self.offices, key=len)}
        # Geotag points: towns and district centres; the rural districts' centres sit inside the city.
        self.points: list[tuple[float, float, str]] = [
            (t["lat"], t["lon"], t["district"]) for t in towns
        ] + [(d.lat, d.lon, d.id) for d in registry.districts
             if d.lat is not None and d.lon is not None and not d.is_desk and d.id not in SPLIT_RURAL]

    # -- text -------------------------------------------------------------------------------------
    def find(self, text: Text, lenient: bool = False) -> list[Found]:
        """Places named in the text, in order, each marked when it is part of a route name. `lenient`
        reads a weak name (Unnao, Basti) as a place anywhere: a profile location names nothing else."""
        return self.found_in(text, self.spans(text, lenient))

    @staticmethod
    def found_in(text: Text, spans: list[tuple[Place, int, int]]) -> list[Found]:
        """The places of `spans` (from spans()), each marked when it is part of a route name."""
        tokens = text.tokens
        found: list[Found] = []
        k = 0
        while k < len(spans):
            # A run of adjacent place names followed by a route word is a road's name.
            j = k
            while j + 1 < len(spans) and spans[j + 1][1] == spans[j][2]:
                j += 1
            stop = spans[j][2]
            route = stop < len(tokens) and tokens[stop] in _route_words()
            found.extend(Found(spans[m][0], route) for m in range(k, j + 1))
            k = j + 1
        return found

    def spans(self, text: Text, lenient: bool = False) -> list[tuple[Place, int, int]]:
        """(place, first token, end token) of each place name, longest match first, no overlaps."""
        tokens, originals = text.tokens, text.originals
        spans: list[tuple[Place, int, int]] = []
        i, n = 0, len(tokens)
        while i < n:
            longest = self.first.get(tokens[i], 0)
            hit = None
            for length in range(min(longest, n - i), 0, -1):
                place = self.places.get(tokens[i:i + length])
                if place is not None:
                    hit = (place, length)
                    break
            if hit is None:
                hit = self._office(tokens, i)
            if hit is None:
                hit = self._typo(tokens[i])
            if hit is None:
                hit = self._romanised(originals, i)
            if hit is None:
                i += 1
                continue
            place, length = hit
            if place.kind == "post_office" and not originals[i].isascii():
                refused = i == 0 or tokens[i - 1] not in VILLAGE_TITLES
            else:
                refused = place.weak and not lenient and not self._weak_ok(originals, tokens, i, length) \
                    and not _signed_off(text.raw, originals, i, length)
            if refused or originals[i].casefold() in NOT_PLACES:
                # A post office refused starts no name: "Madanganj Kishangarh" still holds Kishangarh.
                i += 1 if place.kind == "post_office" else length
                continue
            spans.append((place, i, i + length))
            i += length
        return spans

    def _romanised(self, originals: tuple[str, ...], i: int) -> tuple[Place, int] | None:
        """A town written in Devanagari that the gazetteer knows only by its English name."""
        forms = romanised_forms(originals[i])
        if not forms:
            return None
        for length in range(min(self.max_len, len(originals) - i), 1, -1):
            rest = [romanised_forms(o)[:1] for o in originals[i + 1:i + length]]
            if all(rest) and (place := self.latin.get((forms[0], *(r[0] for r in rest)))):
                return place, length
        for form in forms:
            if place := self.latin.get((form,)):
                return place, 1
        for form in forms:
            if office := self.offices.get((form,)):
                return _office_place(*office), 1
        return None

    def _office(self, tokens: tuple[str, ...], i: int) -> tuple[Place, int] | None:
        for length in range(min(self.offices_first.get(tokens[i], 0), len(tokens) - i), 0, -1):
            office = self.offices.get(tokens[i:i + length])
            if office is not None:
                return _office_place(*office), length
        return None

    def _typo(self, token: str) -> tuple[Place, int] | None:
        if len(token) < FUZZY_MIN - 1 or not token.isascii() or token.isdigit():
            return None
        found = {self.typos.get(v) for v in (token, *_deletions(token)) if v in self.typos}
        found.discard(None)
        return (found.pop(), 1) if len(found) == 1 else None

    @staticmethod
    def _weak_ok(originals: tuple[str, ...], tokens: tuple[str, ...], i: int, length: int) -> bool:
        nxt = tokens[i + length] if i + length < len(tokens) else ""
        prev = tokens[i - 1] if i > 0 else ""
        if nxt in CONTEXT_WORDS or prev in CONTEXT_WORDS:
            return True
        word = originals[i]
        if not word[:1].isupper() or prev in {"ek", "a", "one", "koi", "vo", "yeh"}:
            return False
        return i > 0 or nxt in LOCATIVE

    # -- geotag -----------------------------------------------------------------------------------
    def nearest(self, lat: float, lon: float, state: str | None) -> list[tuple[float, str]]:
        """(distance km, district) for every district with a known point nearby, nearest first."""
        best: dict[str, float] = {}
        for plat, plon, did in self.points:
            if state and not did.startswith(state + "-"):
                continue
            if abs(plat - lat) > 1.0 or abs(plon - lon) > 1.2:
                continue
            dist = _km((lat, lon), (plat, plon))
            if dist < best.get(did, 1e9):
                best[did] = dist
        return sorted((dist, did) for did, dist in best.items())


@lru_cache(maxsize=4096)
def _office_place(label: str, ids: str) -> Place:
    return Place(label=label, districts=frozenset(ids.split()), kind="post_office", weak=True)


def _generic(key: tuple[str, ...]) -> bool:
    first, last = {fold(w) for w in GENERIC_FIRST}, {fold(w) for w in GENERIC_LAST}
    return len(key) <= 3 and key[0] in first and key[-1] in last


def _deletions(word: str) -> set[str]:
    return {word[:i] + word[i + 1:] for i in range(len(word))}


@lru_cache(maxsize=1)
def _route_words() -> frozenset[str]:
    return frozenset(fold(w) for w in ROUTE_WORDS)


def place_collisions(words) -> list[tuple[str, list[str]]]:
    """(word, place labels) for each everyday word that is read as a place name when written in lower
    case inside a sentence (बॉडी -> बाड़ी in Dholpur, barely -> Bareli), or as a village's post office
    when capitalised as Hinglish writers often do (Mandi, Sawar)."""
    gz = gazetteer()
    found = []
    for word in words:
        spans = gz.spans(analyse(f"ek {word} hai"))
        spans += [s for s in gz.spans(analyse(f"kal {word[:1].upper()}{word[1:]} me")) if s[0].kind == "post_office"]
        if spans:
            found.append((word, [place.label for place, _, _ in spans]))
    return found


@lru_cache(maxsize=1)
def gazetteer() -> Gazetteer:
    registry = load_registry()
    with open(GAZETTEER, encoding="utf-8") as f:
        towns = json.load(f)["places"]
    with open(CURATED, encoding="utf-8") as f:
        curated = list(csv.DictReader(f))
    with open(POST_OFFICES, encoding="utf-8") as f:
        offices = json.load(f)["places"]
    return Gazetteer(registry, towns, curated, offices)


# -- resolution -------------------------------------------------------------------------------------
def _state_hint(text: Text, state_names: dict[str, list[str]]) -> str | None:
    joined = " " + " ".join(text.tokens) + " "
    found = {st for st, names in state_names.items()
             if any(" " + " ".join(_key(n)) + " " in joined for n in names)}
    return found.pop() if len(found) == 1 else None


def _pick(support: dict[str, float], named: set[str] = frozenset()) -> tuple[str | None, list[str]]:
    """The district with the most support; a tie between a district and its child goes to the child,
    then to the one district named as a district ("Phulpur, Azamgarh": a town named like a town of
    another district is that district's namesake)."""
    if not support:
        return None, []
    top = max(support.values())
    tied = sorted(d for d, s in support.items() if s == top)
    if len(tied) == 1:
        return tied[0], tied
    for d in tied:
        others = [o for o in tied if o != d]
        if all(d in CHILDREN.get(o, ()) for o in others):
            return d, tied
    named_tied = [d for d in tied if d in named]
    if len(named_tied) == 1:
        return named_tied[0], tied
    return None, tied


def resolve(text: Text, spans: list[tuple[Place, int, int]], mentions: tuple[str, ...],
            user_location: str | None, coordinates: object, state: str | None, desk: str | None,
            state_names: dict[str, list[str]], analyse_location) -> Resolution:
    """`spans`: the places named in `text`, as Gazetteer.spans() found them (triage has them already)."""
    gz = gazetteer()
    reg = gz.registry
    cues: list[str] = []

    # The state first: caller, desk, tagged state or district accounts.
    states: set[str] = set()
    if state in ("rj", "up"):
        states.add(state)
    desk_district = reg.get(desk) if desk else None
    if desk_district is not None:
        states.add(desk_district.state)
    tagged: list[District] = []
    unconfirmed: list[District] = []
    handle_index = _all_handles()
    for handle in dict.fromkeys([*(m.lstrip("@").lower() for m in mentions if isinstance(m, str)), *text.handles]):
        d = reg.by_confirmed_handle(handle)
        if d is not None:
            states.add(d.state)
            if not d.is_desk:
                tagged.append(d)
        elif handle in handle_index:
            unconfirmed.append(handle_index[handle])
    if state in ("rj", "up"):
        chosen_state = state
    elif len(states) == 1:
        chosen_state = next(iter(states))
    else:
        chosen_state = _state_hint(text, state_names) if not states else None
    if chosen_state:
        cues.append(f"state: {chosen_state}")

    def in_state(ids) -> set[str]:
        return {d for d in ids if not chosen_state or d.startswith(chosen_state + "-")}

    if desk_district is not None and not desk_district.is_desk:
        cues.append(f"district: received by the {desk_district.id} desk")
        return Resolution(desk_district.id, tuple(cues), chosen_state)

    # Tier 1: tagged accounts and places named in the text.
    support: dict[str, float] = {}
    supporters: list[Place] = []
    for d in tagged:
        if in_state([d.id]):
            support[d.id] = support.get(d.id, 0) + TAGGED_WEIGHT
            cues.append(f"district: tagged @{d.x_handles[0] if d.x_handles else d.id} -> {d.id}")
    for d in unconfirmed:
        if in_state([d.id]):
            support[d.id] = support.get(d.id, 0) + 1
            cues.append(f"district: tagged unconfirmed handle -> {d.id}")
    # The vote each place has given: a name counts once, but "टोंक रोड नहीं, टोंक शहर में" names the
    # road first and then the town itself, which tops the road's half vote up to a full one.
    voted: dict[str, float] = {}
    named: set[str] = set()
    town_roads: set[str] = set()
    offices: list[Found] = []
    for hit in gz.found_in(text, spans):
        place = hit.place
        if place.kind == "post_office":
            offices.append(hit)
            continue
        ids = in_state(place.districts)
        if not ids and place.label not in voted and not place.support_only:
            cues.append(f"district: {place.kind} '{place.label}' is outside state {chosen_state}, ignored")
        vote = 0.5 if hit.route else 1.0
        before = voted.get(place.label, 0.0)
        if not ids or before >= vote:
            continue
        voted[place.label] = vote
        if place.support_only:
            if not before:
                supporters.append(place)
            continue
        # An ambiguous name spreads its vote, a route name counts half; agreement still adds up.
        if place.kind == "district" and not hit.route:
            named.update(ids)
        if place.kind != "district" and hit.route and len(ids) == 1:
            town_roads.update(ids)
        share = (vote - before) / len(ids)
        for d in ids:
            support[d] = support.get(d, 0) + share
        route = " (route name)" if hit.route else ""
        cues.append(f"district: {place.kind} '{place.label}'{route} -> {'/'.join(sorted(ids))}")
    for place in supporters:
        for d in in_state(place.districts):
            if d in support:
                support[d] += 0.25
                cues.append(f"district: {place.kind} '{place.label}' confirms {d}")
    # Ambiguous names alone (Vaishali Nagar: Jaipur or Ajmer) do not decide: require a full vote. A road
    # named after one town and nothing else named ("Nathdwara highway", "Tirwa road") runs by that town;
    # one named after a district ("Tonk road", "Sitapur road") is as often a street of the next city.
    if support and max(support.values()) < 1.0 and set(support) == town_roads and len(town_roads) == 1:
        winner, tied = next(iter(town_roads)), sorted(town_roads)
        cues.append(f"district: the road runs by a town of {winner}")
    elif support and max(support.values()) < 1.0:
        winner, tied = None, sorted(support)
    else:
        winner, tied = _pick(support, named)
    if winner:
        return Resolution(winner, tuple(cues), chosen_state)
    office, tied = _office_vote(offices, in_state, tied, cues)
    if office:
        return Resolution(office, tuple(cues), chosen_state)

    # Tier 3: geotag; Tier 4: profile location. Each may break a tie among the stronger tiers' candidates.
    candidates = set(tied)
    geo = _geotag(coordinates, chosen_state, gz, cues)
    if geo and (not candidates or geo in candidates):
        return Resolution(geo, tuple(cues), chosen_state)
    if user_location and isinstance(user_location, str):
        loc = analyse_location(user_location)
        loc_support: dict[str, float] = {}
        for hit in gz.find(loc, lenient=True):
            place = hit.place
            ids = in_state(place.districts)
            if len(ids) == 1 and not place.support_only:
                d = next(iter(ids))
                loc_support[d] = loc_support.get(d, 0) + 1
        pick, _ = _pick(loc_support)
        if pick and (not candidates or pick in candidates):
            cues.append(f"district: profile location '{user_location[:40]}' -> {pick}")
            return Resolution(pick, tuple(cues), chosen_state)
    if candidates:
        cues.append(f"district: tie between {', '.join(sorted(candidates))} -> HQ decides")
    else:
        cues.append("district: no place cue -> HQ decides")
    return Resolution(None, tuple(cues), chosen_state)


def _office_vote(offices: list[Found], in_state, tied: list[str], cues: list[str]) -> tuple[str | None, list[str]]:
    """Tier 2, post-office names, after no stronger cue decided: they decide where nothing stronger named
    a place and break a tie among the stronger candidates. Returns (district, the candidates still tied)."""
    support: dict[str, float] = {}
    for hit in offices:
        ids = in_state(hit.place.districts)
        if tied:
            ids &= set(tied)
        for d in ids:
            support[d] = support.get(d, 0) + (0.5 if hit.route else 1.0) / len(ids)
        if ids:
            route = " (route name)" if hit.route else ""
            cues.append(f"district: post office '{hit.place.label}'{route} -> {'/'.join(sorted(ids))}")
    if not support:
        return None, tied
    if not tied and max(support.values()) < 1.0:
        return None, sorted(support)  # a village name found in several districts does not decide alone
    return _pick(support)


def _geotag(coordinates: object, state: str | None, gz: Gazetteer, cues: list[str]) -> str | None:
    try:
        lat, lon = (float(v) for v in coordinates)  # type: ignore[union-attr]
    except (TypeError, ValueError):
        return None
    if not (math.isfinite(lat) and math.isfinite(lon) and -90 <= lat <= 90 and -180 <= lon <= 180):
        return None
    ranked = gz.nearest(lat, lon, state)
    if not ranked or ranked[0][0] > GEOTAG_MAX_KM:
        cues.append("district: geotag outside known districts")
        return None
    d1, best = ranked[0]
    if len(ranked) > 1 and ranked[1][0] - d1 < GEOTAG_TIE_KM:
        cues.append(f"district: geotag between {best} and {ranked[1][1]}")
        return None
    if best in CITY_RADIUS_KM and d1 > CITY_RADIUS_KM[best]:
        cues.append(f"district: geotag near {best} but maybe its rural district")
        return None
    # No coordinates in the cue: for a protected victim they are an address.
    cues.append(f"district: geotag {d1:.0f} km from a known place of {best}")
    return best


@lru_cache(maxsize=1)
def _all_handles() -> dict[str, District]:
    return {h.lower(): d for d in load_registry().districts if not d.is_desk for h in d.x_handles}
