"""Every rule file, loaded and checked once: the :class:`Rules` object the pipeline is given.

The package's files live in ``pipeline/lexicons``; a user may add folders of their own
(``vnpress run --rules DIR``) holding files of the same names and formats, whose entries are
added to the package's. Two shapes, one entry per line, ``#`` starting a comment line:

* ``*.txt``: a word list, one entry per line;
* ``*.jsonl``: one JSON object per line, checked against the file's :data:`SPECS` entry: allowed
  keys, types, allowed values, the keys each entry type requires, regexes (compiled here), and
  duplicates.

Every problem is reported as ``file:line: what is wrong``, all of them at once
(:class:`RulesError`). Entries are normalised with the same function as documents, so a rule
written with "Uỷ" matches a page written with "Ủy". Each entry remembers where it was written
(:attr:`Entry.where`): the provenance of the facts it finds.

Extractors never read a file: they ask ``rules.compiled(build)`` for the structures they build
from the entries (regexes, dictionaries), built once per :class:`Rules` and per process.
"""
from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable, TypeVar

from .normalize import normalize_text

PACKAGE_DIR = Path(__file__).parent / "lexicons"
T = TypeVar("T")


class RulesError(ValueError):
    """Rule files that cannot be used; ``problems`` lists every ``file:line: what``."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("\n".join(problems))


class Entry(dict):
    """One rule: its keys as written, and where it was written (``titles.jsonl:12``)."""

    where: str = ""

    def __reduce__(self):
        return (_entry, (dict(self), self.where))


def _entry(values: dict, where: str) -> Entry:
    e = Entry(values)
    e.where = where
    return e


@dataclass(frozen=True)
class Key:
    """A key of a JSONL entry: its type, whether every entry needs it, its allowed values."""
    name: str
    type: type | tuple[type, ...] = str
    required: bool = False
    choices: tuple[Any, ...] = ()
    regex: bool = False          # a regular expression: compiled at load time
    items: type | None = None    # for lists: the type of every item
    nonempty: bool = False       # for lists: at least one item


@dataclass(frozen=True)
class Spec:
    """What one rule file may hold."""
    keys: tuple[Key, ...] = ()
    tag: str | None = None                                       # the key that says an entry's type
    requires: dict[str, tuple[str, ...]] = field(default_factory=dict)  # tag value -> keys it needs
    allows: dict[str, tuple[str, ...]] = field(default_factory=dict)    # tag value -> only these keys
    unique: tuple[str, ...] = ()                                 # keys whose folded values are unique

    @property
    def word_list(self) -> bool:
        return not self.keys


_SCOPES = ("any", "local", "national", "province", "district")
_WORDS = Spec()
_NAMED = Spec(keys=(Key("name", required=True), Key("abbreviations", list, required=True, items=str), Key("party_board", bool)),
              unique=("name",))
_EVENT_KINDS = ("noun", "qualifier", "signing", "format", "organise", "ceremony", "headline_verb", "about", "directive",
                "series", "not_qualifier", "plan", "setting", "held")

SPECS: dict[str, Spec] = {
    "agencies.jsonl": Spec(
        keys=(Key("type", required=True, choices=("org", "head", "subunit")), Key("canonical"),
              Key("forms", list, items=str, nonempty=True), Key("scope", choices=_SCOPES), Key("head"),
              Key("names", choices=("sector", "titlecase", "both", "number", "topic")), Key("form"), Key("joins", bool),
              Key("keep", bool), Key("embeds_level", bool), Key("enterprise", bool), Key("hosts", bool),
              Key("in_host", bool), Key("board", bool), Key("government", bool),
              Key("needs_place", bool), Key("ends_board", dict), Key("makes", list, items=str, nonempty=True),
              Key("with_level", bool)),
        tag="type",
        requires={"org": ("canonical", "forms", "scope"), "head": ("head", "names", "scope"), "subunit": ("form",)},
        allows={"org": ("canonical", "forms", "scope", "embeds_level", "government", "needs_place", "ends_board"), "head": ("head", "names", "scope", "enterprise", "forms",
                                                                                      "hosts", "makes", "with_level"),
                "subunit": ("form", "joins", "keep", "scope", "in_host", "board")},
        unique=("head", "form", "canonical")),
    "block_rules.jsonl": Spec(
        keys=(Key("kind", required=True, choices=("boilerplate", "byline", "dateline")),
              Key("pattern", required=True, regex=True), Key("why", required=True), Key("rest", bool),
              Key("shape", choices=("no_lowercase", "date_line")), Key("case", bool), Key("image", bool))),
    "counts.jsonl": Spec(
        keys=(Key("kind", required=True, choices=("number_word", "classifier", "model", "award_cue", "recipient",
                                                  "not_unit", "unit", "award_unit", "ordinal_marker", "needs_unit",
                                                  "multiplier", "money", "gift", "handing", "not_cue", "body_unit")),
              Key("word", required=True), Key("value", int)),
        tag="kind", requires={"multiplier": ("value",)},
        allows={k: ("word",) for k in ("number_word", "classifier", "model", "award_cue", "recipient", "not_unit",
                                       "unit", "award_unit", "ordinal_marker", "needs_unit", "money", "gift",
                                       "handing")}
        | {"multiplier": ("word", "value")},
        unique=("kind+word",)),
    "events.jsonl": Spec(keys=(Key("kind", required=True, choices=_EVENT_KINDS), Key("word", required=True), Key("type"),
                               Key("only", list, items=str), Key("then", list, items=str), Key("held", bool)), unique=("kind+word",)),
    "honorifics.jsonl": Spec(keys=(Key("word", required=True), Key("gender", (str, type(None)), required=True,
                                       choices=("male", "female", None)), Key("family_name", bool)), unique=("word",)),
    "legal_kinds.jsonl": Spec(keys=(Key("kind", required=True), Key("codes", list, required=True, items=str),
                                    Key("bare_number", bool)), unique=("kind",)),
    "levels.jsonl": Spec(
        keys=(Key("word", required=True), Key("canonical", required=True),
              Key("rank", required=True, choices=("province", "district", "commune", "national")),
              Key("numbered", bool), Key("party")),
        unique=("word",)),
    "place_aliases.jsonl": Spec(keys=(Key("alias", required=True), Key("name", required=True), Key("needs_level", bool)), unique=("alias",)),
    "province_cues.jsonl": Spec(
        keys=(Key("kind", required=True, choices=("venue", "masthead", "visit", "guests")), Key("word", required=True)),
        unique=("kind+word",)),
    "short_forms.jsonl": Spec(keys=(Key("full", required=True), Key("short", list, required=True, items=str,
                                                                   nonempty=True), Key("code")), unique=("full",)),
    "number_words.jsonl": Spec(
        keys=(Key("word", required=True), Key("role", required=True, choices=("digit", "ten", "tens", "zero",
                                                                             "hundred", "multiplier", "half")),
              Key("value", int), Key("contexts", list, items=str, nonempty=True)),
        tag="role", requires={"digit": ("value", "contexts"), "multiplier": ("value",)}, unique=("word",)),
    "legacy_letters.jsonl": Spec(
        keys=(Key("encoding", required=True, choices=("tcvn3", "vni")), Key("legacy", required=True),
              Key("letter", required=True)), unique=("encoding+legacy",)),
    "tcvn3_capitals.jsonl": Spec(keys=(Key("phrase", required=True), Key("before_capital", bool)), unique=("phrase",)),
    "sectors.jsonl": _NAMED,
    "regions.jsonl": _NAMED,
    "titles.jsonl": Spec(
        keys=(Key("title", required=True), Key("absorbs_unit", bool), Key("self_contained", bool),
              Key("of", list, items=str, nonempty=True), Key("exact", bool), Key("sector_of"), Key("national", bool),
              Key("member", bool), Key("party_post", bool), Key("names_body"), Key("bare_is_body", bool)),
        unique=("title",)),
    "year_cues.jsonl": Spec(
        keys=(Key("cue", required=True), Key("role", (str, type(None)), required=True,
                                             choices=("close", "open", "interim", None)),
              Key("programme", bool), Key("elapsed", bool)),
        unique=("cue",)),
    "credits.jsonl": Spec(
        keys=(Key("kind", required=True, choices=("note", "outlet", "source", "photo", "given_name_head")),
              Key("word", required=True)),
        unique=("kind+word",)),
    "date_words.jsonl": Spec(
        keys=(Key("kind", required=True, choices=("trigger", "lead_in", "relative", "weekday", "clock",
                                                     "not_anchor", "season", "anniversary", "founding", "since",
                                                     "same_day", "review", "held", "ahead")), Key("word", required=True)),
        unique=("kind+word",)),
    "programmes.jsonl": Spec(
        keys=(Key("type", required=True, choices=("instrument", "action", "between", "with", "collective", "link",
                                                  "filler", "organise", "venue", "reported", "enumeration",
                                                  "duration", "passive", "basis", "framework", "one_event",
                                                  "not_yet")),
              Key("word", required=True), Key("kind"), Key("action", choices=("signed", "reviewed", "launched")),
              Key("weak", bool)),
        tag="type", requires={"action": ("action",)},
        allows={"instrument": ("word", "kind", "action"), "action": ("word", "action", "weak")}
        | {t: ("word",) for t in ("between", "with", "collective", "link", "filler", "organise", "venue", "reported",
                                  "enumeration", "duration", "passive", "basis", "framework", "one_event",
                                  "not_yet")},
        unique=("type+word",)),
    **{f"{name}.txt": _WORDS for name in ("connectors", "countries", "digest_cues", "locatives", "openers", "former_places",
                                          "name_breaks", "parts_of_day", "role_verbs", "street_words", "surnames",
                                          "sentence_case_heads", "sentence_case_breaks")},
}


# ------------------------------------------------------------------ reading and checking

def _lines(path: Path, label: str, problems: list[str]) -> Iterable[tuple[int, str, str]]:
    try:
        raw = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        problems.append(f"{label}: cannot read ({exc})")
        return
    for number, line in enumerate(raw.splitlines(), start=1):
        stripped = line.strip()
        if stripped and not stripped.startswith("#"):
            yield number, stripped, normalize_text(stripped)


def _check_value(key: Key, value: Any, where: str, problems: list[str]) -> None:
    if not isinstance(value, key.type) or (key.type is int and isinstance(value, bool)):
        problems.append(f"{where}: {key.name!r} has the wrong type ({type(value).__name__})")
    elif key.choices and value not in key.choices:
        problems.append(f"{where}: {key.name!r} is {value!r}; allowed {list(key.choices)}")
    elif key.items is not None and not all(isinstance(v, key.items) and v for v in value):
        problems.append(f"{where}: every item of {key.name!r} must be a non-empty {key.items.__name__}")
    elif key.nonempty and not value:
        problems.append(f"{where}: {key.name!r} is an empty list")
    elif key.regex:
        try:
            re.compile(value)
        except re.error as exc:
            problems.append(f"{where}: {key.name!r} is not a valid regular expression ({exc})")
    elif isinstance(value, str) and not value.strip():
        problems.append(f"{where}: {key.name!r} is empty")


def _check_record(spec: Spec, record: Any, where: str, problems: list[str]) -> bool:
    if not isinstance(record, dict):
        problems.append(f"{where}: expected an object, got {type(record).__name__}")
        return False
    known = {k.name: k for k in spec.keys}
    ok = True
    if unknown := sorted(set(record) - set(known)):
        problems.append(f"{where}: unknown key(s) {unknown}; allowed {sorted(known)}")
        ok = False
    for key in spec.keys:
        if key.name in record:
            before = len(problems)
            _check_value(key, record[key.name], where, problems)
            ok = ok and len(problems) == before
        elif key.required:
            problems.append(f"{where}: missing key {key.name!r}")
            ok = False
    tag = record.get(spec.tag) if spec.tag else None
    if ok and isinstance(tag, str):
        for name in spec.requires.get(tag, ()):
            if name not in record:
                problems.append(f"{where}: a {tag!r} entry needs {name!r}")
                ok = False
        if tag in spec.allows and (extra := sorted(set(record) - {spec.tag, *spec.allows[tag]})):
            problems.append(f"{where}: a {tag!r} entry takes no {extra}")
            ok = False
    return ok


def _unique_key(record: dict, name: str) -> str | None:
    parts = [record.get(p) for p in name.split("+")]
    return None if any(p is None for p in parts) else "|".join(str(p) for p in parts)


def read_file(path: Path, spec: Spec, label: str, problems: list[str],
              seen: dict[str, dict[str, str]] | None = None) -> list[Any]:
    """The entries of one file (strings for a word list, :class:`Entry` for JSONL); problems are
    appended to ``problems``; ``seen`` carries what earlier files defined, to find duplicates."""
    seen = {} if seen is None else seen
    out: list[Any] = []
    for number, raw, line in _lines(path, label, problems):
        where = f"{label}:{number}"
        if spec.word_list:
            if "\t" in raw:
                problems.append(f"{where}: a word list takes one entry per line, found a tab")
                continue
            keys = [("", line)]
            value: Any = line
        else:
            try:
                record = json.loads(line)
            except json.JSONDecodeError as exc:
                problems.append(f"{where}: not JSON ({exc.msg})")
                continue
            if not _check_record(spec, record, where, problems):
                continue
            value = _entry(record, where)
            keys = [(u, k) for u in spec.unique if (k := _unique_key(record, u)) is not None]
        duplicate = False
        for name, k in keys:
            first = seen.setdefault(name, {}).setdefault(k, where)
            if first != where:
                problems.append(f"{where}: duplicate of {first}" + (f" ({name})" if name else f": {line!r}"))
                duplicate = True
        if not duplicate:
            out.append(value)
    return out


# ------------------------------------------------------------------ the rules object

# Keyed by content and provenance: two folders with the same entries give the same digest (and
# pipeline version) but their facts name different files and lines (``mentions.rule``).
_PROCESS_CACHE: dict[tuple[str, str], "Rules"] = {}


class Rules:
    """Every rule file's entries, and what extractors build from them (built once)."""

    def __init__(self, entries: dict[str, tuple[Any, ...]], wheres: dict[str, tuple[str, ...]],
                 folders: tuple[str, ...]):
        self._entries = entries
        self._wheres = wheres        # for word lists: where each word was written
        self.folders = folders
        self.digest = _digest(entries)
        self._compiled: dict[Callable, Any] = {}

    # -- loading
    @classmethod
    def load(cls, user_dirs: Iterable[Path | str] = ()) -> "Rules":
        """The package's rules plus every user folder's, in order; raises :class:`RulesError`."""
        problems: list[str] = []
        entries: dict[str, list[Any]] = {name: [] for name in SPECS}
        wheres: dict[str, list[str]] = {name: [] for name in SPECS}
        seen: dict[str, dict[str, dict[str, str]]] = {name: {} for name in SPECS}
        folders = [(PACKAGE_DIR, None)] + [(Path(d), str(d)) for d in user_dirs]
        for folder, label in folders:
            problems.extend(_folder_problems(folder, label))
            for name, spec in SPECS.items():
                path = folder / name
                if label is not None and not path.exists():
                    continue
                where = name if label is None else f"{label.rstrip('/')}/{name}"
                got = read_file(path, spec, where, problems, seen[name])
                entries[name].extend(got)
                if spec.word_list:
                    wheres[name].extend(seen[name][""][w] for w in got)
        if problems:
            raise RulesError(problems)
        rules = cls({k: tuple(v) for k, v in entries.items()}, {k: tuple(v) for k, v in wheres.items()},
                    tuple(str(d) for d in user_dirs))
        rules = _PROCESS_CACHE.setdefault(rules._key(), rules)
        rules.check()
        return rules

    @classmethod
    def default(cls) -> "Rules":
        """The package's own rules (loaded once per process)."""
        if _DEFAULT:
            return _DEFAULT[0]
        _DEFAULT.append(cls.load())
        return _DEFAULT[0]

    def check(self) -> None:
        """Build every structure declared with :func:`builder` (the extractors' modules declare
        theirs when imported), so that a rule that loads but cannot work (a place alias naming no
        province, say) fails here, before any document is read."""
        problems = []
        for build in list(BUILDERS):
            try:
                self.compiled(build)
            except RulesError as exc:
                problems.extend(exc.problems)
        if problems:
            raise RulesError(problems)

    # -- reading
    def words(self, name: str) -> tuple[str, ...]:
        """A word list (``surnames`` for ``surnames.txt``)."""
        return self._entries[f"{name}.txt"]

    def word_where(self, name: str, word: str) -> str:
        words = self._entries[f"{name}.txt"]
        return self._wheres[f"{name}.txt"][words.index(word)] if word in words else f"{name}.txt"

    def records(self, name: str) -> tuple[Entry, ...]:
        """The entries of a JSONL file (``titles`` for ``titles.jsonl``)."""
        return self._entries[f"{name}.jsonl"]

    def compiled(self, build: Callable[["Rules"], T]) -> T:
        """What ``build`` makes of these rules, built once (regexes, dictionaries)."""
        try:
            return self._compiled[build]
        except KeyError:
            value = self._compiled[build] = build(self)
            return value

    def _key(self) -> tuple[str, str]:
        where = hashlib.sha256()
        for name in sorted(self._entries):
            spots = self._wheres[name] or [getattr(e, "where", "") for e in self._entries[name]]
            where.update("\n".join((name, *spots)).encode())
        return self.digest, where.hexdigest()[:16]

    def __reduce__(self):
        # Sent to workers as entries only; a worker builds its structures once per digest.
        return (_restore, (self.digest, self._entries, self._wheres, self.folders))


_DEFAULT: list[Rules] = []
BUILDERS: list[Callable[[Rules], Any]] = []


def builder(fn: Callable[[Rules], T]) -> Callable[[Rules], T]:
    """Declare a function that builds a structure from the rules: :meth:`Rules.check` runs it."""
    BUILDERS.append(fn)
    return fn


def _restore(digest: str, entries, wheres, folders) -> Rules:
    rules = Rules(entries, wheres, folders)
    return _PROCESS_CACHE.setdefault(rules._key(), rules)


def _folder_problems(folder: Path, label: str | None) -> list[str]:
    if label is None:
        return [f"{p.name}: a file in lexicons/ that no rule reads" for p in sorted(folder.iterdir())
                if p.is_file() and p.name not in SPECS]
    if not folder.is_dir():
        return [f"{label}: not a folder of rule files"]
    return [f"{label.rstrip('/')}/{p.name}: not a rules file; known files: {', '.join(sorted(SPECS))}"
            for p in sorted(folder.iterdir()) if p.is_file() and p.name not in SPECS and not p.name.startswith(".")]


def _digest(entries: dict[str, tuple[Any, ...]]) -> str:
    """Hash of every entry: part of the pipeline version, so a changed rule reprocesses."""
    h = hashlib.sha256()
    for name in sorted(entries):
        h.update(name.encode())
        h.update(json.dumps(list(entries[name]), ensure_ascii=False, sort_keys=True).encode())
    return h.hexdigest()[:16]
