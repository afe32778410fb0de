"""Reading an intent: file or dict -> CooperationIntent, with Dutch errors naming the field."""
from __future__ import annotations

from pathlib import Path
from typing import Any

from pydantic import ValidationError

from advisor.errors import InputError, shown
from advisor.models import CooperationIntent
from advisor.vocabulary import ENUM_NOUNS
from advisor.yamlio import load_data_file


def field_path(loc: tuple[Any, ...]) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out or "(intentie)"


def _enum_noun(value_list: str) -> tuple[str, str]:
    for enum_cls, noun in ENUM_NOUNS.items():
        if all(f"'{m.value}'" in value_list for m in enum_cls):
            return noun, ", ".join(m.value for m in enum_cls)
    return "waarde", value_list


def dutch_message(err: dict[str, Any]) -> str:
    kind, ctx, raw = err["type"], err.get("ctx") or {}, err.get("input")
    given = shown(raw)
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


def parse_intent(data: Any, origin: str = "intentie") -> CooperationIntent:
    if isinstance(data, CooperationIntent):
        return data
    if not isinstance(data, dict):
        raise InputError(f"{origin}: het intentiebestand moet een structuur met velden zijn "
                         "(bv. name:, purpose:, partners:)")
    try:
        intent = CooperationIntent.model_validate(data)
    except ValidationError as exc:
        raise InputError([f"{field_path(e['loc'])}: {dutch_message(e)}" for e in exc.errors()]) from None
    intent.facts  # derive once, now, so that every later use shares it  # noqa: B018
    return intent


def load_intent(path: Path) -> CooperationIntent:
    return parse_intent(load_data_file(Path(path)), str(path))
