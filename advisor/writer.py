"""The one writer: every file the advisor writes (`-o`, drafts, receipts, the interview's answers,
the rule book, the local copy of the law) goes through `write_file`.

- A symbolic link is written through: its target gets the new content, the link stays a link.
- Only a regular file is replaced; a directory, a device (/dev/null, /dev/full), a FIFO or a socket
  is refused with a Dutch message (exit status 2), never replaced by a regular file.
- A regular file is replaced atomically (a temporary file beside it, then a rename): a reader sees
  the old or the new content, never a partial file.
- A new file gets the usual permissions (0666 less the umask: 0644 under umask 022); a replaced
  file keeps its own permissions.
"""
from __future__ import annotations

import os
import secrets
import stat
from pathlib import Path

from advisor.errors import InputError, os_reason

_KINDS = ((stat.S_ISDIR, "is een map"), (stat.S_ISCHR, "is een apparaatbestand"),
          (stat.S_ISBLK, "is een apparaatbestand"), (stat.S_ISFIFO, "is een pijp (FIFO)"),
          (stat.S_ISSOCK, "is een socket"))


def _refuse(path: Path, why: str) -> InputError:
    return InputError(f"{path}: {why}; kies een gewoon bestand om naar te schrijven")


def write_file(path: Path | str, data: str | bytes) -> None:
    """Write `data` (text as UTF-8) to `path`, as described above; every failure is an InputError
    naming the path."""
    shown = Path(path)
    target = Path(os.path.realpath(shown))  # through every link, also a link to a file not yet there
    try:
        old = os.stat(target)
    except FileNotFoundError:
        old = None
    except OSError as exc:
        raise InputError(f"{shown}: kan niet geschreven worden ({os_reason(exc)})") from None
    if old is not None and not stat.S_ISREG(old.st_mode):
        why = next((text for test, text in _KINDS if test(old.st_mode)), "is geen gewoon bestand")
        if stat.S_ISCHR(old.st_mode) or stat.S_ISFIFO(old.st_mode):
            why += " (laat -o weg om naar de standaarduitvoer te schrijven)"
        raise _refuse(shown, why)
    if not target.parent.is_dir():
        raise InputError(f"{shown}: kan niet geschreven worden (de map {target.parent} bestaat niet)")
    content = data.encode("utf-8", "backslashreplace") if isinstance(data, str) else data  # a lone surrogate: \udc80
    tmp = target.parent / f".{target.name}.{secrets.token_hex(6)}.tmp"
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)  # the kernel applies the umask
    except OSError as exc:
        raise InputError(f"{shown}: kan niet geschreven worden ({os_reason(exc)})") from None
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(content)
            handle.flush()
            os.fsync(handle.fileno())
            if old is not None:
                os.fchmod(handle.fileno(), stat.S_IMODE(old.st_mode))
        os.replace(tmp, target)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise InputError(f"{shown}: kan niet geschreven worden ({os_reason(exc)})") from None
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def make_directory(path: Path | str) -> Path:
    """A directory to write into (`rulebook -o MAP`), made with its parents; an InputError when the
    path is a file or a device, or cannot be made."""
    path = Path(path)
    try:
        path.mkdir(parents=True, exist_ok=True)
    except FileExistsError:
        raise InputError(f"{path}: bestaat al en is geen map; kies een map om in te schrijven") from None
    except OSError as exc:
        raise InputError(f"{path}: de map kan niet gemaakt worden ({os_reason(exc)})") from None
    return path
