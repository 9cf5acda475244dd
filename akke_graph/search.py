"""Finding entities by name or business ID: the search index a release carries and how a query
matches it — one definition for the index ``publish`` writes (``search/index.json``), the page
script that reads it in the browser (``templates/search.js``, which folds and matches the same
way) and ``serve``'s ``/search`` endpoint.

Names and queries are compared folded: case and diacritics removed (``Åbo`` → ``abo``,
``Jyväskylä`` → ``jyvaskyla``), split into words at anything that is not a letter or digit. A
record matches when every word of the query begins a word of one of its names or business IDs
(a business ID also matches without its hyphen).

Each record is ``[kind, slug, fi, en, other names, ids]`` (``en`` is empty when it is the Finnish
name): only names and IDs, so the index stays small. When the index would pass
:data:`BUCKET_LIMIT` bytes it is split by the first :data:`PREFIX` characters of each word: the
manifest lists the buckets, and a query loads only the bucket of its longest word; ``all.json``
holds every record once for ``serve``, which reads the whole index at its first query.
"""

from __future__ import annotations

import bisect
import json
import re
import threading
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

INDEX = "search/index.json"
BUCKETS = "search/b"
ALL = "search/all.json"      # with buckets: every record once, for serve (the pages never load it)
BUCKET_LIMIT = 2_000_000
PREFIX = 2
MAX_RESULTS = 20
SEARCHED_KINDS = ("organisation", "project", "person", "theme", "agreement", "programme", "city-region")
_WORD = re.compile(r"[^\W_]+")
_KEY = re.compile(r"^[a-z0-9]+$")

Record = list   # [kind index, slug, fi name, en name, [other names], [ids]]


class _Marks(dict):
    """``str.translate`` table that drops combining marks (each code point looked up once)."""

    def __missing__(self, code: int) -> int | None:
        self[code] = None if unicodedata.combining(chr(code)) else code
        return self[code]


_MARKS = _Marks()


def fold(text: str) -> str:
    """Lower case without diacritics (what the page script's ``fold`` does)."""
    if text.isascii():
        return text.lower()
    return unicodedata.normalize("NFKD", text).translate(_MARKS).lower()


def words(text: str) -> list[str]:
    return _WORD.findall(fold(text))


def id_words(identifier: str) -> list[str]:
    """A business ID's words, and the ID without its separators (``02048198``)."""
    parts = words(identifier)
    joined = "".join(parts)
    return parts + ([joined] if len(parts) > 1 else [])


def record_words(record: Record) -> set[str]:
    found: set[str] = set()
    for name in (record[2], record[3], *record[4]):
        found.update(words(name))
    for identifier in record[5]:
        found.update(id_words(identifier))
    return found


def bucket_key(word: str) -> str:
    """The bucket a word belongs to: its first characters when they are plain letters or digits,
    else ``_`` (so that bucket files have safe names)."""
    key = word[:PREFIX]
    return key if _KEY.match(key) else "_"


@dataclass(frozen=True)
class Entry:
    """A record with its words folded once (an index answers many queries)."""

    record: Record
    words: frozenset[str]
    names: tuple[str, ...]     # each name's words, joined by spaces
    ids: tuple[str, ...]       # each business ID without separators

    @classmethod
    def of(cls, record: Record) -> "Entry":
        split = [words(n) for n in (record[2], record[3], *record[4]) if n]
        idents = [id_words(i) for i in record[5]]
        every = frozenset(w for group in (*split, *idents) for w in group)
        return cls(record, every, tuple(" ".join(g) for g in split), tuple("".join(g[-1:]) for g in idents))


def rank(entry: Entry, folded: str) -> tuple[int, int, str]:
    """Exact names first, then names that begin with the query, then the rest; by kind, name."""
    if folded in entry.names or folded.replace(" ", "") in entry.ids:
        closeness = 0
    elif any(n.startswith(folded) for n in entry.names):
        closeness = 1
    else:
        closeness = 2
    return closeness, entry.record[0], fold(entry.record[2])


class Entries:
    """Records ready to answer many queries: each word of each record in one sorted list, so the
    records a query word begins a word of are found by binary search, not by a scan."""

    def __init__(self, records: list[Record]) -> None:
        self.entries = [Entry.of(r) for r in records]
        pairs = sorted((w, i) for i, e in enumerate(self.entries) for w in e.words)
        self.words = [w for w, _ in pairs]
        self.owners = [i for _, i in pairs]

    def beginning(self, prefix: str) -> set[int]:
        start = bisect.bisect_left(self.words, prefix)
        end = bisect.bisect_left(self.words, prefix + "\U0010ffff", start)
        return set(self.owners[start:end])

    def search(self, query: str, limit: int = MAX_RESULTS) -> list[Record]:
        query_words = words(query)
        if not query_words or len(longest(query_words)) < PREFIX:
            return []
        found = set.intersection(*(self.beginning(q) for q in sorted(query_words, key=len, reverse=True)))
        folded = " ".join(query_words)
        ranked = sorted((self.entries[i] for i in found), key=lambda e: rank(e, folded))
        return [e.record for e in ranked[:limit]]


def search(records: list[Record], query: str, limit: int = MAX_RESULTS) -> list[Record]:
    """The best matches among ``records`` (see the module docstring)."""
    return Entries(records).search(query, limit)


def longest(query_words: list[str]) -> str:
    return max(query_words, key=len)


# --- writing -----------------------------------------------------------------------------------

def index_documents(records: list[Record], limit: int = BUCKET_LIMIT) -> dict[str, bytes]:
    """The index files (release path -> bytes): one file, or a manifest and its buckets."""
    def dump(doc: object) -> bytes:
        return json.dumps(doc, ensure_ascii=False, separators=(",", ":")).encode("utf-8")

    whole = dump({"version": 1, "kinds": SEARCHED_KINDS, "prefix": PREFIX, "records": records})
    if len(whole) <= limit:
        return {INDEX: whole}
    buckets: dict[str, list[Record]] = {}
    for record in records:
        for key in sorted({bucket_key(w) for w in record_words(record)}):
            buckets.setdefault(key, []).append(record)
    files = {f"{BUCKETS}/{key}.json": dump({"records": rs}) for key, rs in sorted(buckets.items())}
    manifest = {"version": 1, "kinds": SEARCHED_KINDS, "prefix": PREFIX,
                "buckets": {key: len(rs) for key, rs in sorted(buckets.items())}}
    return {INDEX: dump(manifest), ALL: dump({"records": records}), **files}


# --- reading (serve) ---------------------------------------------------------------------------

@dataclass
class SearchIndex:
    """A release's search index, read at the first query."""

    root: Path
    manifest: dict | None = None
    loaded: dict[str, Entries] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    @property
    def available(self) -> bool:
        return (self.root / INDEX).is_file()

    def _manifest(self) -> dict:
        if self.manifest is None:
            self.manifest = json.loads((self.root / INDEX).read_text(encoding="utf-8"))
        return self.manifest

    def records_for(self, query_words: list[str]) -> Entries:
        """Every record, read once: a server answers many queries (with buckets, from
        ``all.json``, which holds each record once)."""
        with self.lock:
            if "" not in self.loaded:
                manifest = self._manifest()
                records = manifest.get("records")
                if records is None:
                    records = json.loads((self.root / ALL).read_text(encoding="utf-8"))["records"]
                self.loaded[""] = Entries(records)
            return self.loaded[""]

    def find(self, query: str, limit: int = MAX_RESULTS) -> list[dict[str, object]]:
        """The best matches as JSON-ready objects (kind, label, Finnish and English names, path)."""
        query_words = words(query)
        if not query_words:
            return []
        kinds = self._manifest()["kinds"]
        return [{"kind": kinds[r[0]], "name": r[2], "name_en": r[3] or r[2], "other_names": r[4], "ids": r[5],
                 "path": f"id/{kinds[r[0]]}/{r[1]}.html", "iri_path": f"id/{kinds[r[0]]}/{r[1]}"}
                for r in self.records_for(query_words).search(query, limit)]
