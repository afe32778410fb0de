"""Write what `law check` established back into rules/ (`law check --record`): the Codex id and
text hash of every article found, in articles.yaml, and `verified: true` with `verified_by` on
each citation the official text confirms (and back to `verified: false` for a citation the codex
once confirmed and no longer does).

Citations in rules/ are one-line flow mappings (`source: {law: dlb, article: "401", ...}`), so a
citation is rewritten in place, line by line, keeping every comment and every other line. Each
edited file is parsed again and must equal the intended data, or nothing is written.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from advisor.errors import RuleBaseError
from advisor.law.check import CheckReport
from advisor.rulebase import RuleBase
from advisor.yamlio import load_yaml_text
from advisor.writer import write_file

_OWNER = re.compile(r"^(?:- id: (?P<rule>\S+)|- code: (?P<form>\S+)|(?P<param>[a-z][\w.]*):\s*$)")
_FLOW = re.compile(r"^(?P<head>\s*(?:(?:source|definition):\s*|-\s+))(?P<flow>\{law:.*\})\s*$")
_PLAIN_KEYS = {"law", "confidence"}
# where a new key goes: after the first of these that the mapping has
_AFTER = {"verified_by": ("verified",), "terms": ("confidence", "verified_by", "verified")}

Edits = dict[tuple[str, int], dict[str, Any]]  # (owner, index) -> {key: value or None to drop}


@dataclass
class Recorded:
    verified: list[str] = field(default_factory=list)  # "owner: cite" newly confirmed
    withdrawn: list[str] = field(default_factory=list)  # codex confirmations that no longer hold
    articles: int = 0  # articles.yaml entries given a hash
    files: list[str] = field(default_factory=list)


def owner_key(prefix: str, name: str) -> str:
    return {"rule": name, "form": f"vorm:{name}", "param": f"parameter:{name}"}[prefix]


def flow(mapping: dict[str, Any]) -> str:
    """A citation as the rule files write it: plain law and confidence, other strings quoted."""
    def scalar(key: str, value: Any) -> str:
        if value is None:
            return "null"
        if isinstance(value, bool):
            return "true" if value else "false"
        if isinstance(value, list):
            return "[" + ", ".join(json.dumps(v, ensure_ascii=False) for v in value) + "]"
        if key in _PLAIN_KEYS and re.fullmatch(r"[a-z][a-z0-9_]*", str(value)):
            return str(value)
        return json.dumps(value, ensure_ascii=False)
    return "{" + ", ".join(f"{k}: {scalar(k, v)}" for k, v in mapping.items()) + "}"


def _apply(mapping: dict[str, Any], changes: dict[str, Any]) -> dict[str, Any]:
    out = dict(mapping)
    for key, value in changes.items():
        if value is None:
            out.pop(key, None)
        elif key in out:
            out[key] = value
        else:
            items = list(out.items())
            anchor = next((a for a in _AFTER.get(key, ()) if a in out), None)
            at = [k for k, _ in items].index(anchor) + 1 if anchor else len(items)
            items.insert(at, (key, value))
            out = dict(items)
    return out


def edit_citations(path: Path, edits: Edits) -> bool:
    """Rewrite the citation lines named in `edits`; True when the file changed."""
    original = path.read_text(encoding="utf-8")
    lines = original.splitlines(keepends=True)
    owner, index = None, 0
    done: set[tuple[str, int]] = set()
    for i, line in enumerate(lines):
        m = _OWNER.match(line)
        if m:
            kind = next(k for k in ("rule", "form", "param") if m.group(k))
            owner, index = owner_key(kind, m.group(kind)), 0
            continue
        f = _FLOW.match(line.rstrip("\n"))
        if not f or owner is None:
            continue
        key = (owner, index)
        index += 1
        if key not in edits:
            continue
        mapping = load_yaml_text(f["flow"], str(path))
        lines[i] = f["head"] + flow(_apply(mapping, edits[key])) + "\n"
        done.add(key)
    if set(edits) - done:
        raise RuleBaseError(f"{path}: citaties niet gevonden om bij te werken: {sorted(set(edits) - done)}")
    text = "".join(lines)
    if text == original:
        return False
    _same_except(path, original, text, edits)
    write_file(path, text)
    return True


def _same_except(path: Path, before: str, after: str, edits: Edits) -> None:
    """The edited file must parse to the old data with exactly the intended changes."""
    old, new = load_yaml_text(before, str(path)), load_yaml_text(after, str(path))
    for (owner, index), changes in edits.items():
        target = _citations_of(old, owner)[index]
        intended = _apply(target, changes)
        target.clear()
        target.update(intended)
    if old != new:
        raise RuleBaseError(f"{path}: het bijwerken zou meer veranderen dan de citaties; niets geschreven")


def _citations_of(data: Any, owner: str) -> list[dict]:
    if owner.startswith("parameter:"):
        return [data[owner.split(":", 1)[1]]["source"]]
    if owner.startswith("vorm:"):
        spec = next(f for f in data if f.get("code") == owner.split(":", 1)[1])
        return [spec["definition"]]
    rule = next(r for r in data if r.get("id") == owner)
    return [rule["source"], *rule.get("see_also", [])]


def record(rb: RuleBase, report: CheckReport) -> Recorded:
    """verified_by: where the text came from ('codex' or 'import'), its date and the article's hash."""
    result = Recorded()
    stamps = {law: f"{info['origin']}, {info['retrieved'][:10]}" for law, info in report.summary.laws.items()}
    edits_by_file: dict[str, Edits] = {}
    for c in report.citations:
        owner, index = c.rule, c.index
        current = _current(rb, owner, index)
        change: dict[str, Any] = {}
        if c.status == "bevestigd":
            by = f"{stamps[c.law]}, {c.hash}"
            if current.verified_by != by:
                change = {"verified": True, "verified_by": by}
                if not current.verified:
                    result.verified.append(f"{owner}: {c.cite}")
        elif current.verified_by:
            change = {"verified": False, "verified_by": None}
            result.withdrawn.append(f"{owner}: {c.cite} ({c.status})")
        if change:
            edits_by_file.setdefault(_file_of(rb, owner), {})[(owner, index)] = change
    for rel, edits in edits_by_file.items():
        if edit_citations(rb.root / rel, edits):
            result.files.append(rel)
    found = {(c.law, c.article): (c.codex_id, c.hash) for c in report.citations
             if c.hash and c.article and c.date == report.summary.date}
    result.articles = _record_articles(rb.root / "articles.yaml", found)
    if result.articles:
        result.files.append("articles.yaml")
    return result


def _current(rb: RuleBase, owner: str, index: int):
    if owner.startswith("parameter:"):
        return rb.params[owner.split(":", 1)[1]].source
    if owner.startswith("vorm:"):
        return next(f.definition for f in rb.forms if f.code.value == owner.split(":", 1)[1])
    return rb.by_id[owner].citations[index]


def _file_of(rb: RuleBase, owner: str) -> str:
    if owner.startswith("vorm:"):
        return "forms.yaml"
    if owner.startswith("parameter:"):
        name = owner.split(":", 1)[1]
        for path in sorted(rb.root.rglob("parameters.yaml")):
            if re.search(rf"^{re.escape(name)}:\s*$", path.read_text(encoding="utf-8"), re.MULTILINE):
                return path.relative_to(rb.root).as_posix()
        raise RuleBaseError(f"parameter '{name}' niet gevonden in rules/")
    return rb.file_of(owner)


def _record_articles(path: Path, found: dict[tuple[str, str], tuple[int | None, str]]) -> int:
    """Set `codex_id` and `hash` under each article entry; returns how many entries changed."""
    original = path.read_text(encoding="utf-8")
    blocks = re.split(r"(?m)^(?=- law: )", original)
    changed = 0
    out = []
    for block in blocks:
        m = re.match(r"- law: (\S+)\n  article: '?\"?([^'\"\n]+)", block)
        if not m or (m[1], m[2]) not in found:
            out.append(block)
            continue
        codex_id, digest = found[(m[1], m[2])]
        kept = [line for line in block.splitlines(keepends=True)
                if not line.startswith(("  hash:", "  codex_id:"))]
        extra = ([f"  codex_id: {codex_id}\n"] if codex_id else []) + [f"  hash: {digest}\n"]
        new = "".join(kept[:2] + extra + kept[2:])
        changed += new != block
        out.append(new)
    text = "".join(out)
    if text != original:
        old, new = load_yaml_text(original, str(path)), load_yaml_text(text, str(path))
        stripped = [{k: v for k, v in a.items() if k not in ("hash", "codex_id")} for a in new]
        if stripped != [{k: v for k, v in a.items() if k not in ("hash", "codex_id")} for a in old]:
            raise RuleBaseError(f"{path}: het bijwerken zou meer veranderen dan de hashes; niets geschreven")
        write_file(path, text)
    return changed
