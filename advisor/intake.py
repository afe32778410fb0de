"""The one input boundary: everything a user hands the advisor (an intent or answers file, a
receipt, a training sheet or case, an upload, a JSON body, the hidden answers of a web form)
comes in here, as bytes or text, and leaves as checked data or a CooperationIntent, or as an
InputError in Dutch that names the field and quotes at most a short excerpt (exit status 2,
HTTP 422).

Limits, and why (each is far above what a real intent needs, far below what hurts):
- MAX_BYTES 1 MiB: the largest real intent (500 partners with 300-character names and a 5,000
  character description) is about 200 kB; its receipt a little more. Statutes to check may be
  10 MiB (MAX_DOCUMENT_BYTES): a scanned PDF is larger than any intent; a saved law text to
  import 100 MiB (the consolidated DLB is a few MB). Devices and directories are never read.
- MAX_DEPTH 20 levels: the deepest real structure is 6 (a receipt's intent's partners' fields).
- MAX_ITEMS 1,000 per list or mapping: an intent has at most 500 partners.
- MAX_STRING 10,000 characters: the longest field (the description) allows 5,000.
- MAX_KEY 100 characters: the longest field name has 20.
- MAX_DIGITS 20 digits in a number: every number in an intent has at most 4; Python refuses to
  read more than 4,300 digits anyway, with an English error.
- YAML aliases and merge keys (`*a`, `<<`) are refused, not capped: the intent format never needs
  them (the advisor writes answers files without them), and a refusal closes the whole "billion
  laughs" family (a 384-byte file that expands to gigabytes) without counting expansions. Explicit
  tags other than the standard ones (`!!python/object`, `!!binary`, `!!set`) and complex keys
  (`? [a, b]`) are refused too. A YAML date that does not exist stays text, so the model names the
  field (`reference_date: 2026-02-30`) instead of the loader failing.
- A UTF-8 byte-order mark is accepted (and dropped) in every entrance alike; UTF-16 and UTF-32 are
  refused with a hint. JSON: duplicate keys, NaN and Infinity are refused, as in YAML.
"""
from __future__ import annotations

import codecs
import io
import json
import math
import os
import re
import stat
from pathlib import Path, PurePath
from typing import Any

import yaml
from pydantic import ValidationError

from advisor.errors import InputError, excerpt, os_reason
from advisor.models import CooperationIntent
from advisor.vocabulary import ENUM_NOUNS
from advisor.yamlio import StrictLoader, yaml_problem

MAX_BYTES = 1024 * 1024
MAX_DOCUMENT_BYTES = 10 * 1024 * 1024  # statutes to check (PDF, Word): larger than any intent
MAX_LAW_BYTES = 100 * 1024 * 1024  # a saved law text to import (`law import`): the DLB is a few MB
MAX_DEPTH = 20
MAX_ITEMS = 1000
MAX_STRING = 10_000
MAX_KEY = 100
MAX_DIGITS = 20
MAX_PROBLEMS = 20  # an error report lists at most this many problems, then how many more there are

_TAG = "tag:yaml.org,2002:"
_DECIMAL = re.compile(r"[-+]?(0|[1-9][0-9]*)")
_SURROGATE = re.compile("[\ud800-\udfff]")
_YAML_TAGS = {_TAG + t for t in ("str", "int", "float", "bool", "null", "timestamp", "seq", "map")}


# ---------------------------------------------------------------- bytes -> text

def read_file(path: Path, limit: int = MAX_BYTES) -> bytes:
    """The bytes of a user's file: a regular file or a pipe, never more than `limit` (a larger
    file is an InputError)."""
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        raise InputError(f"{path}: bestand niet gevonden") from None
    except OSError as exc:
        raise InputError(f"{path}: kan niet gelezen worden ({os_reason(exc)})") from None
    if stat.S_ISDIR(mode):
        raise InputError(f"{path}: is een map, geen bestand")
    if not (stat.S_ISREG(mode) or stat.S_ISFIFO(mode)):
        raise InputError(f"{path}: is geen gewoon bestand (een apparaat of socket)")
    try:
        with open(path, "rb") as handle:
            raw = handle.read(limit + 1)
    except OSError as exc:
        raise InputError(f"{path}: kan niet gelezen worden ({os_reason(exc)})") from None
    if len(raw) > limit:
        raise _too_big(str(path), limit)
    return raw


def check_archive(raw: bytes, origin: str, limit: int = 10 * MAX_DOCUMENT_BYTES) -> None:
    """A zip archive (a Word file) that unpacks to at most `limit` bytes in at most MAX_ITEMS parts:
    a 'zip bomb' of a few MB that unpacks to gigabytes is refused before it is read."""
    import zipfile
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as archive:
            parts = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return  # not an archive: the reader of the format says what is wrong
    if len(parts) > MAX_ITEMS or sum(p.file_size for p in parts) > limit:
        raise InputError(f"{origin}: pakt uit tot meer dan {limit // (1024 * 1024)} MB of {MAX_ITEMS} delen; "
                         "is dit een gewoon Word-bestand?")


def decode(raw: bytes | str, origin: str) -> str:
    """UTF-8 text (a leading byte-order mark dropped), not empty, within MAX_BYTES."""
    if isinstance(raw, str):
        if len(raw) > MAX_BYTES:  # characters: a cheap bound before encoding
            raise _too_big(origin)
        raw = raw.encode("utf-8", "surrogatepass")
    if len(raw) > MAX_BYTES:
        raise _too_big(origin)
    if raw.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)) or raw.startswith(
            (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise InputError(f"{origin}: het bestand is UTF-16- of UTF-32-tekst; bewaar het als UTF-8")
    if raw.startswith(codecs.BOM_UTF8):
        raw = raw[len(codecs.BOM_UTF8):]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(f"{origin}: is geen UTF-8-tekst (byte 0x{raw[exc.start]:02x} op positie "
                         f"{exc.start})") from None
    if "\0" in text:
        raise InputError(f"{origin}: bevat nulbytes; is het een binair bestand of UTF-16-tekst?")
    if not text.strip():
        raise InputError(f"{origin}: het bestand is leeg")
    return text


def _too_big(origin: str, limit: int = MAX_BYTES) -> InputError:
    if limit == MAX_BYTES:
        return InputError(f"{origin}: groter dan {MAX_BYTES // 1024} kB; een samenwerkingsintentie is "
                          "veel kleiner")
    return InputError(f"{origin}: groter dan {limit // (1024 * 1024)} MB")


# ---------------------------------------------------------------- text -> data

class _UserLoader(StrictLoader):  # type: ignore[misc, valid-type]
    """The strict loader; a YAML date that is no date (2026-02-30) stays text for the model to name."""


def _timestamp(loader: _UserLoader, node: yaml.ScalarNode) -> Any:
    try:
        return yaml.constructor.SafeConstructor.construct_yaml_timestamp(loader, node)
    except ValueError:  # day is out of range for month, and the like
        return node.value


_UserLoader.add_constructor(_TAG + "timestamp", _timestamp)


def _where(path: str, origin: str) -> str:
    return path or origin


def _key_text(value: Any) -> str:
    """A key or a file name as part of a field path: short, and quoted when it holds a line break
    or another character that is not printed as itself."""
    text = str(value)
    if not text.isprintable():
        return excerpt(text)
    return text if len(text) <= MAX_KEY else text[:MAX_KEY] + "…"


def _join(path: str, key: str) -> str:
    return f"{path}.{_key_text(key)}" if path else _key_text(key)


def _check_nodes(root: yaml.Node, origin: str) -> None:
    """Before anything is built: no aliases, merge keys, foreign tags, complex keys or huge
    numbers or texts."""
    seen: set[int] = set()
    stack: list[tuple[yaml.Node, str]] = [(root, "")]
    while stack:
        node, path = stack.pop()
        where = _where(path, origin)
        if id(node) in seen:
            raise InputError(f"{where}: YAML-verwijzingen (*naam, naar een anker &naam) zijn niet "
                             "toegelaten; schrijf de waarde voluit")
        seen.add(id(node))
        if node.tag not in _YAML_TAGS:
            raise InputError(f"{where}: het YAML-label {excerpt(node.tag.replace(_TAG, '!!'))} is niet "
                             "toegelaten; gebruik gewone tekst, getallen, lijsten en velden")
        if isinstance(node, yaml.MappingNode):
            if len(node.value) > MAX_ITEMS:
                raise InputError(f"{where}: meer dan {MAX_ITEMS} velden")
            for key, value in node.value:
                if not isinstance(key, yaml.ScalarNode) or id(key) in seen:
                    raise InputError(f"{where}: een sleutel moet een gewone tekst zijn, geen lijst, "
                                     "structuur of verwijzing")
                if key.tag == _TAG + "merge" or key.value == "<<":
                    raise InputError(f"{where}: samenvoegsleutels (<<) zijn niet toegelaten; schrijf de "
                                     "velden voluit")
                if len(key.value) > MAX_KEY:
                    raise InputError(f"{where}: de sleutel {excerpt(key.value)} is langer dan {MAX_KEY} tekens")
                seen.add(id(key))
            stack.extend((value, _join(path, key.value)) for key, value in reversed(node.value))
        elif isinstance(node, yaml.SequenceNode):
            if len(node.value) > MAX_ITEMS:
                raise InputError(f"{where}: een lijst van meer dan {MAX_ITEMS} elementen")
            stack.extend((item, f"{path}[{i}]") for i, item in reversed(list(enumerate(node.value))))
        else:
            _check_scalar_text(node.value, node.tag == _TAG + "int", where)


def _check_scalar_text(text: str, is_int: bool, where: str) -> None:
    if len(text) > MAX_STRING:
        raise InputError(f"{where}: een tekst van {len(text)} tekens; hoogstens {MAX_STRING}")
    if not is_int:
        return
    digits = sum(c.isdigit() for c in text)
    if digits > MAX_DIGITS:
        raise InputError(f"{where}: een getal van {digits} cijfers; hoogstens {MAX_DIGITS}")
    if not _DECIMAL.fullmatch(text):  # YAML 1.1 reads 1:30 as 90, 012 as 10, 0x1f as 31
        raise InputError(f"{where}: {excerpt(text)} is geen geheel getal in gewone cijfers (bv. 12)")


def _yaml(text: str, origin: str) -> Any:
    loader = _UserLoader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None
        _check_nodes(node, origin)
        return loader.construct_document(node)
    except yaml.YAMLError as exc:
        raise InputError(f"{origin}: ongeldige YAML{yaml_problem(exc)}") from None
    finally:
        loader.dispose()


class _Refused:
    """A JSON value refused while parsing; reported with its field by `check_data`."""

    def __init__(self, why: str):
        self.why = why


def _json_pairs(pairs: list[tuple[str, Any]]) -> dict:
    out: dict = {}
    for key, value in pairs:
        if key in out:
            raise ValueError(f"dubbele sleutel {excerpt(key)}")
        out[key] = value
    return out


def _json_int(text: str) -> Any:
    digits = len(text.lstrip("-"))
    return int(text) if digits <= MAX_DIGITS else _Refused(f"een getal van {digits} cijfers; hoogstens {MAX_DIGITS}")


def _json_constant(name: str) -> Any:
    return _Refused(f"{name} is geen getal; JSON kent enkel eindige getallen")


def _json(text: str, origin: str) -> Any:
    try:
        return json.loads(text, object_pairs_hook=_json_pairs, parse_int=_json_int, parse_constant=_json_constant)
    except json.JSONDecodeError as exc:
        raise InputError(f"{origin}: ongeldige JSON (regel {exc.lineno}, kolom {exc.colno})") from None
    except RecursionError:
        raise InputError(f"{origin}: de gegevens zijn te diep genest (hoogstens {MAX_DEPTH} niveaus)") from None
    except ValueError as exc:
        raise InputError(f"{origin}: ongeldige JSON: {exc}") from None


def check_data(data: Any, origin: str) -> Any:
    """The limits, on data already read: depth, sizes, numbers, keys; the data unchanged."""
    stack: list[tuple[Any, str, int]] = [(data, "", 1)]
    while stack:
        value, path, depth = stack.pop()
        where = _where(path, origin)
        if depth > MAX_DEPTH:
            raise InputError(f"{where}: de gegevens zijn te diep genest (hoogstens {MAX_DEPTH} niveaus)")
        if isinstance(value, dict):
            if len(value) > MAX_ITEMS:
                raise InputError(f"{where}: meer dan {MAX_ITEMS} velden")
            for key, item in value.items():
                if not isinstance(key, str):
                    raise InputError(f"{where}: de sleutel {excerpt(key)} moet tekst zijn (zet hem tussen "
                                     "aanhalingstekens)")
                if len(key) > MAX_KEY:
                    raise InputError(f"{where}: de sleutel {excerpt(key)} is langer dan {MAX_KEY} tekens")
                stack.append((item, _join(path, key), depth + 1))
        elif isinstance(value, list):
            if len(value) > MAX_ITEMS:
                raise InputError(f"{where}: een lijst van meer dan {MAX_ITEMS} elementen")
            stack.extend((item, f"{path}[{i}]", depth + 1) for i, item in enumerate(value))
        elif isinstance(value, str):
            if len(value) > MAX_STRING:
                raise InputError(f"{where}: een tekst van {len(value)} tekens; hoogstens {MAX_STRING}")
            bad = _SURROGATE.search(value)
            if bad is not None:
                raise InputError(f"{where}: bevat een ongeldig teken (U+{ord(bad.group()):04X}, een los surrogaat)")
        elif isinstance(value, bool):
            continue
        elif isinstance(value, int):
            if abs(value) >= 10 ** MAX_DIGITS:
                raise InputError(f"{where}: {excerpt(value)}; hoogstens {MAX_DIGITS} cijfers")
        elif isinstance(value, float):
            if not math.isfinite(value):
                raise InputError(f"{where}: {excerpt(value)} is geen eindig getal")
        elif isinstance(value, _Refused):
            raise InputError(f"{where}: {value.why}")
    return data


def load_data(raw: bytes | str, origin: str, suffix: str = ".yaml") -> Any:
    """Bytes or text as a user gave them -> checked data. `suffix` '.json' reads JSON, else YAML."""
    text = decode(raw, origin)
    data = _json(text, origin) if suffix.lower() == ".json" else _yaml(text, origin)
    return check_data(data, origin)


def load_data_file(path: Path) -> Any:
    """A user's YAML or JSON file -> checked data."""
    path = Path(path)
    return load_data(read_file(path), str(path), path.suffix)


def load_upload(raw: bytes, filename: str | None) -> Any:
    """An uploaded file -> checked data (JSON when its name says so)."""
    name = _key_text(PurePath(filename or "bestand").name or "bestand")  # quoted in every message
    return load_data(raw, name, PurePath(name).suffix)


# ---------------------------------------------------------------- data -> intent

def field_path(loc: tuple[Any, ...], root: str = "(intentie)") -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{_key_text(part)}" if out else _key_text(part)
    return out or root


def _enum_noun(value_list: str) -> tuple[str, str]:
    for enum_cls, noun in ENUM_NOUNS.items():
        if all(f"'{m.value}'" in value_list for m in enum_cls):
            return noun, ", ".join(m.value for m in enum_cls)
    return "waarde", value_list


def dutch_message(err: dict[str, Any]) -> str:
    kind, ctx = err["type"], err.get("ctx") or {}
    given = excerpt(err.get("input"))
    if kind.startswith("igs_"):  # our own validators word their message in Dutch
        return err["msg"]
    if kind == "missing":
        return "verplicht veld ontbreekt"
    if kind == "extra_forbidden":
        return "onbekend veld; het intentieformaat kent dit veld niet"
    if kind == "enum":
        noun, choices = _enum_noun(str(ctx.get("expected", "")))
        return f"{given} is geen gekende {noun}; kies uit: {choices}"
    if kind == "bool_type":
        return f"moet true of false zijn (ja of nee), niet {given}"
    if kind in ("int_type", "int_from_float", "int_parsing"):
        return f"moet een geheel getal zijn, niet {given}"
    if kind == "string_type":
        return f"moet tekst zijn, niet {given}"
    if kind == "list_type":
        return "moet een lijst zijn"
    if kind in ("model_type", "dict_type", "model_attributes_type"):
        return "moet een structuur met velden zijn"
    if kind == "greater_than_equal":
        return f"moet minstens {ctx.get('ge')} zijn, niet {given}"
    if kind == "less_than_equal":
        return f"mag hoogstens {ctx.get('le')} zijn, niet {given}"
    if kind == "too_short":
        return f"moet minstens {ctx.get('min_length')} element(en) bevatten"
    if kind == "too_long":
        return f"mag hoogstens {ctx.get('max_length')} elementen bevatten"
    if kind == "string_too_short":
        return "mag niet leeg zijn"
    if kind == "string_too_long":
        return f"is te lang (hoogstens {ctx.get('max_length')} tekens)"
    if kind.startswith("date"):
        return f"moet een datum zijn in de vorm JJJJ-MM-DD, niet {given}"
    return f"ongeldige waarde {given}"


def problems_of(errors: list[dict[str, Any]], prefix: tuple[Any, ...] = (), root: str = "(intentie)") -> list[str]:
    """Pydantic's errors as Dutch lines 'field: message', at most MAX_PROBLEMS of them; `prefix`:
    where the validated data sits, `root`: the name of the whole."""
    lines = [f"{field_path(prefix + tuple(e['loc']), root)}: {dutch_message(e)}" for e in errors[:MAX_PROBLEMS]]
    if len(errors) > MAX_PROBLEMS:
        lines.append(f"(en nog {len(errors) - MAX_PROBLEMS} fouten)")
    return lines


def _not_a_structure(origin: str) -> InputError:
    return InputError(f"{origin}: het intentiebestand moet een structuur met velden zijn "
                      "(bv. name:, purpose:, partners:)")


def parse_intent(data: Any, origin: str = "intentie") -> CooperationIntent:
    if isinstance(data, CooperationIntent):
        return data
    if not isinstance(data, dict):
        raise _not_a_structure(origin)
    try:
        intent = CooperationIntent.model_validate(data)
    except ValidationError as exc:
        raise InputError(problems_of(exc.errors(include_url=False))) from None
    intent.facts  # derive once, now, so that every later use shares it  # noqa: B018
    return intent


def parse_answers(data: Any, origin: str = "antwoorden") -> dict[str, Any]:
    """Answers given so far (the questionnaire's, an answers file, the web's hidden field): an
    intent in which fields may still be missing, but every field present is valid. A partner is
    given whole, so a field missing inside a partner is an error."""
    if not isinstance(data, dict):
        raise InputError(f"{origin}: de antwoorden moeten een structuur met velden zijn (een samenwerkingsintentie)")
    from advisor.questionnaire import intent_of
    try:
        CooperationIntent.model_validate(intent_of(data))
    except ValidationError as exc:
        errors = [e for e in exc.errors(include_url=False)
                  if not (e["type"] == "missing" and not any(isinstance(p, int) for p in e["loc"]))]
        if errors:
            raise InputError(problems_of(errors)) from None
    return data


def load_intent(path: Path) -> CooperationIntent:
    return parse_intent(load_data_file(Path(path)), str(path))
