"""The local copy of the law: one JSON file per law in a store directory, with every article
version (number, plain text, start and end date, hash), where and when it was retrieved, and what
changed at each retrieval.

The store lives in the user's data directory (`igs-advisor/wet`); `--store` or
IGS_ADVISOR_LAW_DIR overrides it. Reading it needs nothing beyond pydantic, so the advice can use
it without loading the fetch or import machinery; without a store the advice pays one directory
look-up per process.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import os
import re
from functools import cache, cached_property
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, ValidationError

from advisor.errors import LawError

FORMAT = 1
ENV_DIR = "IGS_ADVISOR_LAW_DIR"
FETCH_HINT = "officiële tekst niet lokaal beschikbaar: `igs-advisor law fetch`"


class Version(BaseModel):
    model_config = ConfigDict(extra="forbid")
    id: int | None = None  # the Codex ArtikelVersie id
    start: dt.date | None = None  # None: not known (a text imported from a file); taken as in force
    end: dt.date | None = None  # the last day in force; None: still in force
    text: str | None = None  # None: listed in the table of contents, no text in the response
    hash: str | None = None

    def in_force(self, day: dt.date) -> bool:
        return (self.start is None or self.start <= day) and (self.end is None or day <= self.end)


class Article(BaseModel):
    model_config = ConfigDict(extra="forbid")
    number: str  # as cited: "401", "2.1.1", "459/1"
    codex_id: int | None = None  # the Codex WetgevingArtikel id
    versions: list[Version]

    def at(self, day: dt.date) -> Version | None:
        """The version in force on `day` (the one with text when the source gave several)."""
        hits = [v for v in self.versions if v.in_force(day)]
        hits.sort(key=lambda v: (v.text is not None, v.start or dt.date.min))
        return hits[-1] if hits else None

    def later(self, day: dt.date) -> list[Version]:
        """Versions that take effect after `day`."""
        return sorted((v for v in self.versions if v.start and v.start > day), key=lambda v: v.start)

    def earlier(self, day: dt.date) -> list[Version]:
        return sorted((v for v in self.versions if v.end and v.end < day), key=lambda v: v.end)

    @property
    def fingerprint(self) -> tuple:
        return tuple(sorted((str(v.start), str(v.end), v.hash or "") for v in self.versions))


class Change(BaseModel):
    model_config = ConfigDict(extra="forbid")
    retrieved: dt.datetime
    previous: dt.datetime
    added: list[str] = []
    removed: list[str] = []
    changed: list[str] = []


class LawText(BaseModel):
    """The consolidated text of one law as retrieved (Codex API) or imported (a saved file)."""

    model_config = ConfigDict(extra="forbid", ignored_types=(cached_property,))
    format: int = FORMAT
    law: str
    document_id: int | None = None
    title: str | None = None
    origin: Literal["codex", "import"]
    source: str  # the URL retrieved or the file imported
    retrieved: dt.datetime
    articles: list[Article]
    warnings: list[str] = []
    changes: list[Change] = []

    @cached_property
    def by_number(self) -> dict[str, Article]:
        return {a.number: a for a in self.articles}

    def article(self, number: str | None) -> Article | None:
        return self.by_number.get(normalize_number(number)) if number else None

    def text_at(self, number: str | None, day: dt.date) -> Version | None:
        article = self.article(number)
        version = article.at(day) if article else None
        return version if version and version.text is not None else None


_HEADING = re.compile(r"^\s*(?:artikel|art\.?)\s*", re.IGNORECASE)


def normalize_number(number: str) -> str:
    """A heading or ArtikelNummer as cited: the words 'Artikel'/'Art.', spaces and the final full stop off."""
    text = _HEADING.sub("", number.strip())
    return re.sub(r"\s+", "", text).rstrip(".")


def plain(text: str) -> str:
    """Text as compared: whitespace collapsed (also non-breaking spaces), lines kept."""
    lines = (" ".join(line.replace("\u00a0", " ").split()) for line in text.splitlines())
    return "\n".join(lines).strip()


def text_hash(text: str) -> str:
    return hashlib.sha256(" ".join(text.split()).encode("utf-8")).hexdigest()[:16]


def make_version(text: str | None, start: dt.date | None = None, end: dt.date | None = None,
                 version_id: int | None = None) -> Version:
    clean = plain(text) if text is not None else None
    return Version(id=version_id, start=start, end=end, text=clean,
                   hash=text_hash(clean) if clean is not None else None)


def store_dir(override: Path | None = None) -> Path:
    """--store, else IGS_ADVISOR_LAW_DIR, else `wet` in the user's data directory."""
    return override if override is not None else _default_dir(os.environ.get(ENV_DIR) or None)


@cache
def _default_dir(env: str | None) -> Path:
    if env:
        return Path(env)
    from platformdirs import user_data_path
    return user_data_path("igs-advisor", appauthor=False) / "wet"


class Store:
    """A directory of `<law>.json` files. Reads lazily and keeps what it read."""

    def __init__(self, path: Path):
        self.path = path
        self._texts: dict[str, LawText | None] = {}

    def laws(self) -> list[str]:
        return sorted(p.stem for p in self.path.glob("*.json")) if self.path.is_dir() else []

    def file(self, law: str) -> Path:
        return self.path / f"{law}.json"

    def get(self, law: str) -> LawText | None:
        if law not in self._texts:
            path = self.file(law)
            if not path.is_file():
                self._texts[law] = None
            else:
                try:
                    self._texts[law] = LawText.model_validate_json(path.read_bytes())
                except (ValidationError, ValueError, OSError) as exc:
                    raise LawError(f"{path}: geen leesbare kopie van de wet ({type(exc).__name__}); "
                                   "haal ze opnieuw op met `igs-advisor law fetch`") from None
        return self._texts[law]

    def save(self, text: LawText) -> Change | None:
        """Write atomically; record what changed since the previous copy (None: first copy)."""
        from advisor.writer import write_file
        old = self.get(text.law)
        change = None
        if old is not None:
            before = {a.number: a.fingerprint for a in old.articles}
            after = {a.number: a.fingerprint for a in text.articles}
            change = Change(retrieved=text.retrieved, previous=old.retrieved,
                            added=[n for n in after if n not in before],
                            removed=[n for n in before if n not in after],
                            changed=[n for n in after if n in before and after[n] != before[n]])
            text = text.model_copy(update={"changes": [*old.changes, change]})
        self.path.mkdir(parents=True, exist_ok=True)
        write_file(self.file(text.law), text.model_dump_json(indent=1) + "\n")
        self._texts[text.law] = text
        _open.cache_clear()
        return change


@cache
def _open(path: str) -> Store | None:
    store = Store(Path(path))
    return store if store.laws() else None


def current(override: Path | None = None) -> Store | None:
    """The store in use, when it holds at least one law; None otherwise (cached per directory)."""
    return _open(str(store_dir(override)))
