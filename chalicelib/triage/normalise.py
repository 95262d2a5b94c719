"""Text normalisation for Hindi, English and romanised Hindi (Hinglish).

Every keyword, place name and post goes through the same two steps, so spelling variants meet:
- `fold(token)`: NFC, case fold, accents dropped (chorī -> chori), nukta dropped (ज़मीन -> जमीन),
  chandrabindu/anusvara and nasal half-letters dropped (बाँदा, बांदा, बान्दा -> बादा), long and
  short i/u merged; romanised spellings squeezed (ee->i, oo->u, aa->a, w->v, z->j, q->k, ph->f,
  sh->s, chh->ch, y->i inside a word, doubled consonants single: chory/chorii -> chori).
- `stem(token)`: a light suffix strip (ladki/ladkiyon -> ladki, ladka/ladke -> ladka,
  thana/thane/थाना/थाने -> than), with a short exception list where two common words would meet.
Place names use only `fold` (a town is not inflected); lexicons use `stem`. Stemming merges words:
every keyword added to the lexicons should be checked against everyday words (tests/test_triage.py).
"""
from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

LEXICON = Path(__file__).resolve().parent.parent / "data" / "triage_lexicon.json"
PLACE_MASK = "##"  # what a place name becomes among the words read for a category

URL = re.compile(r"(?:https?://|www\.)\S+", re.I)
HANDLE = re.compile(r"(?<![\w@])@([A-Za-z0-9_]{1,30})")
HASHTAG = re.compile(r"#(\w+)")
CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])|(?<=[A-Za-z])(?=[0-9])|(?<=[0-9])(?=[A-Za-z])")
# Latin letters (after accent folding), Devanagari letters and signs, digits.
TOKEN = re.compile(r"[a-z0-9]+|[\u0900-\u0963\u0971-\u097f]+")
DEVANAGARI = re.compile(r"[\u0900-\u097f]")
LATIN = re.compile(r"[A-Za-z]")
OTHER_SCRIPT = re.compile(r"[\u0600-\u06ff\u0a00-\u0a7f\u0980-\u09ff\u0b80-\u0bff\u0c00-\u0c7f]")

NUKTA_LETTERS = str.maketrans({
    "\u0958": "क", "\u0959": "ख", "\u095a": "ग", "\u095b": "ज", "\u095c": "ड", "\u095d": "ढ",
    "\u095e": "फ", "\u095f": "य", "\u0929": "न", "\u0931": "र", "\u0934": "ळ",
})
DEV_FOLD = str.maketrans({
    "\u093c": None,  # nukta
    "\u0901": None, "\u0902": None,  # chandrabindu, anusvara
    "\u200c": None, "\u200d": None,  # ZWNJ, ZWJ
    "\u0940": "\u093f", "\u0942": "\u0941",  # ी -> ि, ू -> ु
    "\u0908": "\u0907", "\u090a": "\u0909",  # ई -> इ, ऊ -> उ
    "\u0949": "\u093e", "\u0911": "\u0906",  # ॉ -> ा, ऑ -> आ
    "\u0945": "\u0947", "\u090d": "\u090f",  # ॅ -> े, ऍ -> ए
    "\u0966": "0", "\u0967": "1", "\u0968": "2", "\u0969": "3", "\u096a": "4",
    "\u096b": "5", "\u096c": "6", "\u096d": "7", "\u096e": "8", "\u096f": "9",
})
# A nasal consonant + virama before another consonant is the same sound as an anusvara (सम्बन्ध = संबंध).
DEV_NASAL_CLUSTER = re.compile("[\u0919\u091e\u0923\u0928\u092e]\u094d(?=[\u0915-\u0939])")
DEV_SUFFIXES = ("ियो", "िया", "ाओ", "ाए", "ाइ", "ो", "े", "ा", "ि", "ु")

# SMS spellings of Hinglish, expanded before folding ("fir nhi likh rhe" = "fir nahi likh rahe").
ABBREVIATIONS = {
    "nhi": "nahi", "nai": "nahi", "ni": "nahi", "nahin": "nahi", "rha": "raha", "rhi": "rahi", "rhe": "rahe",
    "kr": "kar", "krke": "karke", "krta": "karta", "krti": "karti", "krte": "karte", "krna": "karna",
    "h": "hai", "hn": "hain", "gya": "gaya", "gyi": "gayi", "gye": "gaye", "ghr": "ghar", "ldka": "ladka",
    "ldki": "ladki", "ldke": "ladke", "ldkiyon": "ladkiyon", "phn": "phone",
    "bhot": "bahut", "bht": "bahut", "hmare": "hamare", "hmari": "hamari", "hmara": "hamara",
    "mje": "mujhe", "mjhe": "mujhe", "pics": "photos", "pic": "photo", "msg": "message", "msgs": "messages",
    "insta": "instagram", "fb": "facebook", "wp": "whatsapp", "acc": "account", "bta": "bata",
    "bate": "baatein", "baate": "baatein", "kuch": "kuch", "kch": "kuch", "sb": "sab", "pta": "pata",
    "lekr": "lekar", "jldi": "jaldi", "jldii": "jaldi", "plti": "palti", "plt": "palat", "dbe": "dabe", "lgi": "lagi",
    "lga": "laga", "jbrdsti": "jabardasti", "jbrdasti": "jabardasti", "bnd": "band", "dhmki": "dhamki",
    "pdosi": "padosi", "mrpit": "marpeet", "mrpeet": "marpeet", "bchcha": "bachcha", "bchche": "bachche",
    "bchi": "bachi", "ptni": "patni", "pti": "pati", "mdd": "madad", "rpt": "report", "thn": "thana",
}
LATIN_RULES = (
    (re.compile(r"chh|cch|chch"), "ch"),
    (re.compile(r"ph"), "f"),
    (re.compile(r"sh"), "s"),
    (re.compile(r"w"), "v"),
    (re.compile(r"z"), "j"),
    (re.compile(r"q"), "k"),
    (re.compile(r"(?<=.)y"), "i"),
    (re.compile(r"ee|ii"), "i"),
    (re.compile(r"oo|uu"), "u"),
    (re.compile(r"aa+"), "a"),
    (re.compile(r"([b-df-hj-np-tv-z])\1+"), r"\1"),
    (re.compile(r"i{2,}"), "i"),
)
# Stems that must not meet a neighbour: FIR is not fire, pati (husband) is not pata (known).
STEM_EXCEPTIONS = {"fir": "fir.", "firs": "fir.", "pati": "pati", "पति": "पति", "pitai": "pitai",
                   "parking": "parking", "आगे": "आगे",
                   "hatia": "hatya",  # hatya (murder) is not hata (removed) nor hate
                   "sabas": "sabas"}  # shabash is not sab (all)
# Gender survives stemming where it decides a category (ladki/ladkiyon vs ladka/ladke, beti vs beta).
GENDERED = (
    (re.compile(r"^(ladk|bet)i(on|an|a|o)?$"), r"\1i"),
    (re.compile(r"^(ladk|bet)(a|e|on|o)$"), r"\1a"),
    (re.compile("^(लडक|बेट)ि(यो|या|ओ)?$"), "\\1ि"),
    (re.compile("^(लडक|बेट)(ा|े|ो)$"), "\\1ा"),
)
LATIN_SUFFIXES = ("iyon", "iyan", "ing", "ion", "on", "en", "ed", "es", "s")


@lru_cache(maxsize=65536)
def fold(token: str) -> str:
    """One token to its spelling-variant-free form (see module docstring)."""
    if DEVANAGARI.search(token):
        t = unicodedata.normalize("NFC", token).translate(NUKTA_LETTERS)
        t = DEV_NASAL_CLUSTER.sub("", t)
        return t.translate(DEV_FOLD)
    t = _ascii_fold(token).casefold()
    t = ABBREVIATIONS.get(t, t)
    if not t.isdigit():
        for pattern, repl in LATIN_RULES:
            t = pattern.sub(repl, t)
    return t


@lru_cache(maxsize=1)
def lexicon() -> dict:
    with open(LEXICON, encoding="utf-8") as f:
        return json.load(f)


@lru_cache(maxsize=1)
def own_forms() -> frozenset[str]:
    """Words matched only as written (triage_lexicon.json "own_form"): folding and stemming would make
    them meet a keyword (Dubai/doob, Dubey/doob, rap/rape, policy/police, हिंदी/हिंदू)."""
    groups = lexicon()["own_form"]
    return frozenset(unicodedata.normalize("NFC", w).casefold() for name, words in groups.items()
                     if not name.startswith("_") for w in words)


@lru_cache(maxsize=65536)
def stem(token: str) -> str:
    """fold() plus a light suffix strip, for lexicon matching."""
    written = unicodedata.normalize("NFC", token).casefold()
    if written in own_forms():
        # Unfolded, so "phir" (again) stays apart from "fir" (FIR); the marker from every other stem.
        return written + "."
    t = fold(token)
    if not t or t.isdigit():
        return t
    if t in STEM_EXCEPTIONS:
        return STEM_EXCEPTIONS[t]
    for pattern, repl in GENDERED:
        if pattern.match(t):
            return pattern.sub(repl, t)
    if DEVANAGARI.match(t):
        for suffix in DEV_SUFFIXES:
            if t.endswith(suffix) and len(t) - len(suffix) >= 2:
                return t[: -len(suffix)]
        return t
    if len(t) > 4:
        for suffix in LATIN_SUFFIXES:
            # "firing" must not become "fir"
            floor = 4 if suffix in ("ing", "ed") else 3
            if t.endswith(suffix) and not t.endswith("ss") and len(t) - len(suffix) >= floor:
                t = t[: -len(suffix)]
                break
    if t.endswith(("ao", "u")):  # bachao must not meet bachcha, nor daaru dare, nor chaku chak
        return t
    while len(t) > 3 and t[-1] in "aeio":
        t = t[:-1]
    return t


PLAIN = re.compile(r"[\x00-\x7f\u0900-\u097f\u200c\u200d]*")


def _ascii_fold(text: str) -> str:
    # NFKD then drop combining marks, but only outside Devanagari (whose matras are combining too).
    if PLAIN.fullmatch(text):
        return text
    out = []
    for ch in unicodedata.normalize("NFKD", text):
        if unicodedata.combining(ch) and not ("\u0900" <= ch <= "\u097f"):
            continue
        out.append(ch)
    return unicodedata.normalize("NFC", "".join(out))


@dataclass(frozen=True)
class Text:
    raw: str
    handles: tuple[str, ...]      # '@' handles found in the text, lower case, without '@'
    tokens: tuple[str, ...]       # folded tokens, in order (place matching)
    stems: tuple[str, ...]        # stemmed tokens, in order (lexicon matching)
    originals: tuple[str, ...]    # the token as written (capitalisation decides weak place names)
    has_url: bool
    language: str                 # 'hi' | 'en' | 'hinglish'


def _split_hashtag(match: re.Match) -> str:
    return " " + CAMEL.sub(" ", match.group(1)).replace("_", " ") + " "


def tokenize(text: str) -> list[str]:
    return TOKEN.findall(_ascii_fold(text).casefold())


def analyse(raw: str, hinglish_markers: frozenset[str] = frozenset()) -> Text:
    text = unicodedata.normalize("NFC", raw or "")
    has_url = bool(URL.search(text))
    text = URL.sub(" ", text)
    handles = tuple(h.lower() for h in HANDLE.findall(text))
    text = HANDLE.sub(" ", text)
    text = HASHTAG.sub(_split_hashtag, text)
    folded = _ascii_fold(text)
    originals = tuple(m.group(0) for m in re.finditer(r"[A-Za-z0-9]+|[\u0900-\u0963\u0971-\u097f]+", folded))
    tokens = tuple(fold(t.casefold()) for t in originals)
    stems = tuple(stem(t.casefold()) for t in originals)
    return Text(raw=raw or "", handles=handles, tokens=tokens, stems=stems, originals=originals,
                has_url=has_url, language=detect_language(text, originals, hinglish_markers))


def detect_language(text: str, originals: tuple[str, ...], hinglish_markers: frozenset[str]) -> str:
    dev = len(DEVANAGARI.findall(text))
    lat = len(LATIN.findall(text))
    if dev and dev >= lat:
        return "hi"
    if not lat:
        # Urdu, Gurmukhi and other scripts: the Hindi desk is the closest reader.
        return "hi" if OTHER_SCRIPT.search(text) else "en"
    words = [o.casefold() for o in originals if not o.isdigit()]
    hits = sum(1 for w in words if w in hinglish_markers)
    return "hinglish" if hits >= 2 or (words and hits / len(words) >= 0.2) else "en"
