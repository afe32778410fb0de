"""A compiled cache for data that is slow to load and fast to unpickle (the validated rule base,
the municipalities). Keyed by the bytes of the source files, the advisor's own code, its version
and the Python version, so a change to rules/ or to the code is always seen. Disabled with IGS_ADVISOR_CACHE=0; a cache that
cannot be read or written is simply not used."""
from __future__ import annotations

import hashlib
import os
import pickle
import sys
import tempfile
from pathlib import Path
from typing import Callable, Iterable, TypeVar

T = TypeVar("T")


def cache_dir() -> Path | None:
    if os.environ.get("IGS_ADVISOR_CACHE", "1") == "0":
        return None
    base = os.environ.get("IGS_ADVISOR_CACHE_DIR") or os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "igs-advisor"


def cached(name: str, sources: Iterable[Path], build: Callable[[], T], kind: type) -> T:
    directory = cache_dir()
    if directory is None:
        return build()
    from advisor import __version__
    digest = hashlib.sha256(f"{__version__}|{sys.version}".encode())
    # the classes that are pickled are part of the key too: a code change must not meet a stale object
    for path in sorted(Path(__file__).resolve().parent.glob("*.py")):
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    for path in sorted(sources):
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    path = directory / f"{name}-{digest.hexdigest()[:24]}.pickle"
    try:
        with path.open("rb") as handle:
            value = pickle.load(handle)  # noqa: S301 - our own cache, keyed by content
        if isinstance(value, kind):
            return value
    except Exception:  # noqa: BLE001 - a missing or stale cache is rebuilt
        pass
    value = build()
    try:
        directory.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=directory, suffix=".tmp")
        with os.fdopen(fd, "wb") as handle:
            pickle.dump(value, handle, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)
    except Exception:  # noqa: BLE001 - read-only home, full disk: run without the cache
        pass
    return value
