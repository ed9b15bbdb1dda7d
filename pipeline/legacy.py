"""Text typed in the legacy TCVN3 (ABC) and VNI font encodings -> Unicode; VIQR recognised.

``decode.py`` decides that a text looks typed in a legacy font (``suspected_legacy``) and hands it
here. The conversion tables are viparse's (MIT, no dependencies; checked against the published
layouts), plus the VNI letters its table lacks (``lexicons/legacy_letters.jsonl``: ẳ/Ẳ, and ỵ/Ỵ,
which VNI writes as one character, "î"/"Î"). A converted text is kept only when it reads as
Vietnamese (nearly every word with a Vietnamese letter is a well-formed syllable); otherwise it
stays a ``legacy_encoding`` error.

TCVN3 has no codes for capitals with a tone mark ("Ủ", "Ộ", "Ấ"): the .VnTimeH font draws the
lower-case codes as capitals, so they come back lower case. Restored here: a word or a line
otherwise in capitals ("ủNG Hộ" in a capitals banner), the first letter of a sentence, and the
phrases listed in ``lexicons/tcvn3_capitals.jsonl`` ("Ủy ban nhân dân", "Ủy ban" before a
capitalised word). Not restorable: any other capital with a tone mark inside a sentence, in
particular in people's and places' names ("Nguyễn Thị ánh", "ấn Độ"), see README "Known limits".

VIQR writes the marks as ASCII after the letter ("Vie^.t Nam", "Ha` No^.i"); no converter
handles its ambiguities (a "." or "?" after a vowel is a tone or punctuation), so a VIQR text
is an error of its own (``viqr``) rather than a document of garbled words.
"""
from __future__ import annotations

import re
import unicodedata
from functools import cache

from .errors import IngestError
from .rules import Rules

# decode.py's names for the suspected encodings -> the value of documents.source_encoding.
ENCODINGS = {"TCVN3 (ABC)": "tcvn3", "VNI": "vni"}
_TONES = frozenset("\u0300\u0301\u0303\u0309\u0323")
# A Vietnamese syllable without its tone: onset, medial o/u, vowel, final (k for Đắk, Lắk).
_SYLLABLE = re.compile(r"(?:ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdđghklmnprstvx])?[ou]?"
                       r"(?:iê|yê|ia|ya|uô|ua|ươ|ưa|oo|[aăâeêioôơuưy])(?:ch|nh|ng|[cmnptiyouk])?")
_WORD = re.compile(r"[^\W\d_]+")
_SENTENCE_END = re.compile(r"[.!?…]['\"”’»)\]]*\s+[“\"'(«]*$")
# VIQR: a vowel with a mark written after it: ^ ( + (â, ă, ơ), or a tone ` ' ? ~ . inside a word.
_VIQR = re.compile(r"[aeiouyAEIOUY](?:[\^(+]['`?~.]?|['`?~.](?=[a-zA-Z]))|[aeiouyAEIOUY][`~]|\b[dD][dD9]")


class LegacyText(str):
    """A text converted from a legacy font encoding; ``source_encoding`` says which."""
    source_encoding: str


def from_legacy(text: str, suspected: str | None) -> str:
    """``text`` converted from the legacy encoding ``decode.suspected_legacy`` named, or unchanged
    when it named none; raises ``IngestError`` (viqr, legacy_encoding) when it cannot be read."""
    if suspected is None:
        if looks_viqr(text):
            raise IngestError("viqr", "text written in VIQR (Vietnamese marks typed as ASCII after the "
                                      "letter: \"Vie^.t Nam\"); no reliable converter exists: retype it in Unicode")
        return text
    # decode.py's detection tells legacy from Unicode well, TCVN3 from VNI less so (TCVN3's "iÖ",
    # "iÕ", "yÕ" for iệ, iế, yế look like VNI's letter + mark): the other table is tried too.
    first = ENCODINGS[suspected]
    for encoding in (first, *(e for e in ENCODINGS.values() if e != first)):
        converted = convert(text, encoding)
        if reads_as_vietnamese(converted):
            out = LegacyText(converted)
            out.source_encoding = encoding
            return out
    raise IngestError("legacy_encoding", f"text typed in the legacy {suspected} font encoding (suspected) "
                                         "does not read as Vietnamese once converted; convert it to Unicode first")


def convert(text: str, encoding: str) -> str:
    """``text`` (the legacy bytes read as Latin-1 or Windows-1252) in Unicode, NFC."""
    from viparse.normalize.tables import convert as convert_with

    converted = convert_with(_windows_punctuation(text), _charmaps()[encoding])
    return restore_capitals(converted) if encoding == "tcvn3" else converted


@cache
def _charmaps():
    from viparse.normalize.tables import build_charmap
    from viparse.normalize.tcvn3 import TCVN3
    from viparse.normalize.vni import VNI

    extra: dict[str, list[tuple[str, str]]] = {"tcvn3": [], "vni": []}
    for r in Rules.default().records("legacy_letters"):
        extra[r["encoding"]].append((r["legacy"], r["letter"]))
    tables = {"tcvn3": TCVN3, "vni": VNI}
    return {name: build_charmap(name, [p for p in table.pairs if p[0] not in dict(extra[name])] + extra[name])
            for name, table in tables.items()}


@cache
def _c1_table() -> dict[int, str]:
    """Bytes 0x80-0x9F read as Latin-1 are C1 controls; the legacy fonts keep Windows-1252's
    punctuation there (“ ” – …)."""
    table = {}
    for b in range(0x80, 0xA0):
        try:
            table[b] = bytes([b]).decode("cp1252")
        except UnicodeDecodeError:
            continue
    return table


def _windows_punctuation(text: str) -> str:
    return text.translate(_c1_table())


def _lost_capital(ch: str) -> bool:
    """A lower-case letter with a tone mark: what TCVN3 writes for its capital too."""
    return ch.islower() and not _TONES.isdisjoint(unicodedata.normalize("NFD", ch))


def _caps_elsewhere(text: str, minimum: int) -> bool:
    """Every cased letter but the lost capitals is upper case, and there are ``minimum`` of them."""
    others = [ch for ch in text if ch.isalpha() and (ch.isupper() or ch.islower()) and not _lost_capital(ch)]
    return len(others) >= minimum and all(ch.isupper() for ch in others)


def _upper_lost(text: str) -> str:
    return "".join(ch.upper() if _lost_capital(ch) else ch for ch in text)


def restore_capitals(text: str) -> str:
    """Put back the capitals with a tone mark that TCVN3 could not write, where they can be known."""
    lines = text.split("\n")
    for i, line in enumerate(lines):
        if _caps_elsewhere(line, 4):  # a line in capitals: "CHUNG TAY ủNG Hộ PHòNG, CHốNG DịCH"
            lines[i] = _upper_lost(line)
            continue
        line = _WORD.sub(lambda m: _upper_lost(m.group()) if _caps_elsewhere(m.group(), 2) else m.group(), line)
        previous = lines[i - 1].rstrip() if i else ""
        lines[i] = _sentence_starts(line, at_start=not previous or bool(_SENTENCE_END.search(previous + " ")))
    return _lexicon_capitals("\n".join(lines))


def _sentence_starts(line: str, at_start: bool) -> str:
    """The first letter of a sentence: of a line after a blank or a finished line, and after . ! ? …"""
    chars = list(line)
    for m in _WORD.finditer(line):
        if (m.start() == len(line) - len(line.lstrip(" \t-–+•*“\"'(«"))) and at_start \
                or _SENTENCE_END.search(line[:m.start()]):
            if _lost_capital(chars[m.start()]):
                chars[m.start()] = chars[m.start()].upper()
    return "".join(chars)


@cache
def _capital_phrases() -> tuple[tuple[re.Pattern[str], bool], ...]:
    out = []
    for r in Rules.default().records("tcvn3_capitals"):
        phrase = r["phrase"]
        pattern = re.compile(rf"(?<!\w){re.escape(phrase[0].lower())}{re.escape(phrase[1:])}(?!\w)")
        out.append((pattern, bool(r.get("before_capital"))))
    return tuple(out)


def _lexicon_capitals(text: str) -> str:
    """The listed phrases, written with their lost capital ("ủy ban nhân dân" -> "Ủy ban nhân dân");
    those marked ``before_capital`` only before a capitalised word ("ủy ban Mặt trận", not "các ủy ban")."""
    def restore(m: re.Match[str], before_capital: bool) -> str:
        after = m.string[m.end():].lstrip(" ")
        if before_capital and not after[:1].isupper():
            return m.group()
        return m.group()[0].upper() + m.group()[1:]

    for pattern, before_capital in _capital_phrases():
        text = pattern.sub(lambda m: restore(m, before_capital), text)
    return text


def is_syllable(word: str) -> bool:
    """A well-formed Vietnamese syllable (one tone mark at most)."""
    decomposed = unicodedata.normalize("NFD", word.lower())
    if sum(1 for ch in decomposed if ch in _TONES) > 1:
        return False
    bare = unicodedata.normalize("NFC", "".join(ch for ch in decomposed if ch not in _TONES))
    return _SYLLABLE.fullmatch(bare) is not None


def reads_as_vietnamese(text: str) -> bool:
    """Nearly every word that has a letter outside ASCII is a Vietnamese syllable."""
    words = [w for w in _WORD.findall(text) if not w.isascii()]
    return len(words) >= 3 and sum(map(is_syllable, words)) / len(words) >= 0.9


def looks_viqr(text: str) -> bool:
    """ASCII text whose words carry VIQR marks ("Vie^.t", "Ha`", "ca'c") more often than English
    carries apostrophes."""
    sample = text[:20_000]
    # Unicode Vietnamese has a letter outside ASCII in most words; VIQR only stray punctuation (“ –).
    if len(sample) - len(sample.encode("ascii", "ignore")) > len(sample) * 0.03:
        return False
    words = len(re.findall(r"[A-Za-z]+", sample))
    return words >= 10 and len(_VIQR.findall(sample)) / words > 0.25
