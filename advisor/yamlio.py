"""Reading YAML strictly: duplicate keys are errors, and problems are reported in Dutch with the
line and column. The rule base reads its own files with `load_yaml_text`; what a user gives goes
through the input boundary (advisor/intake.py), which adds its limits to this loader."""
from __future__ import annotations

from typing import Any

import yaml

from advisor.errors import InputError, excerpt

_Base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class StrictLoader(_Base):  # type: ignore[misc, valid-type]
    """Safe loader that rejects duplicate keys instead of keeping the last one."""


def _construct_mapping(loader: StrictLoader, node: yaml.MappingNode, deep: bool = False) -> dict:
    mapping: dict = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=deep)
        try:
            duplicate = key in mapping
        except TypeError:  # a list or mapping as key
            raise yaml.constructor.ConstructorError(
                None, None, "een sleutel moet een gewone tekst zijn", key_node.start_mark) from None
        if duplicate:
            raise yaml.constructor.ConstructorError(
                None, None, f"dubbele sleutel {excerpt(key)}", key_node.start_mark
            )
        mapping[key] = loader.construct_object(value_node, deep=deep)
    return mapping


StrictLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)

_PROBLEMS = {  # libyaml's wording -> Dutch
    "found character that cannot start any token": "een teken dat hier niet kan staan",
    "mapping values are not allowed here": "een ':' die hier niet kan staan (zet de tekst tussen aanhalingstekens)",
    "could not find expected ':'": "een ':' ontbreekt",
    "found undefined alias": "een verwijzing (*naam) naar een onbekend anker",
    "found unexpected end of stream": "het bestand houdt onverwacht op",
    "found a tab character that violates indentation": "een tab in de inspringing; gebruik spaties",
    "exceeded maximum nesting depth": "te diep genest",
    "expected a single document in the stream": "meer dan één document (---); geef er één",
    "did not find expected key": "een sleutel ontbreekt of de inspringing klopt niet",
    "did not find expected node content": "een waarde ontbreekt",
    "did not find expected ',' or ']'": "een ',' of ']' ontbreekt",
    "did not find expected ',' or '}'": "een ',' of '}' ontbreekt",
    "found unknown escape character": "een onbekende escape (\\) in een tekst tussen aanhalingstekens",
    "control characters are not allowed": "stuurtekens zijn niet toegelaten",
    "found duplicate anchor": "een anker dat twee keer voorkomt",
    "mapping values are not allowed in this context": "een ':' die hier niet kan staan (zet de tekst tussen aanhalingstekens)",
    "mapping keys are not allowed in this context": "een sleutel die hier niet kan staan",
    "block sequence entries are not allowed in this context": "een lijstelement ('- ') dat hier niet kan staan",
    "did not find expected comment or line break": "na de waarde hoort enkel een commentaar (#) of een nieuwe regel",
    "did not find expected <document start>": "het document begint niet zoals YAML verwacht",
    "directive": "een regel met % die YAML niet kent",
    "did not find expected whitespace or line break": "een spatie of nieuwe regel ontbreekt",
    "did not find expected alphabetic or numeric character": "een anker of alias zonder naam (&naam, *naam)",
    "found unexpected non-alphabetical character": "een onverwacht teken",
    "indicator": "een teken dat hier niet kan staan",
}


def yaml_problem(exc: yaml.YAMLError) -> str:
    """' (regel R, kolom K): what is wrong', in Dutch where libyaml's wording is known."""
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    where = f" (regel {mark.line + 1}, kolom {mark.column + 1})" if mark else ""
    problem = str(getattr(exc, "problem", None) or exc).strip()
    context = str(getattr(exc, "context", None) or "")
    for english, dutch in _PROBLEMS.items():
        if english in problem or english in context:
            problem = dutch
            break
    return f"{where}: {problem[:120]}"


def load_yaml_text(text: str, origin: str) -> Any:
    try:
        return yaml.load(text, Loader=StrictLoader)  # noqa: S506 - StrictLoader is a SafeLoader
    except yaml.YAMLError as exc:
        raise InputError(f"{origin}: ongeldige YAML{yaml_problem(exc)}") from None
