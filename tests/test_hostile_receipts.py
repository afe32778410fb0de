"""Tampered and broken receipts: `verify` compares everything a receipt records and fails (exit 3)
on any difference, naming it; a receipt that is not one (missing or bogus options, a bad intent or
date, hostile JSON) is exit 2 naming the field."""
import json
import time

import pytest

from advisor.cli import main
from advisor.paths import ROOT

EXAMPLES = ROOT / "examples"


def run(args, capsys):
    start = time.monotonic()
    code = main([str(a) for a in args])
    out = capsys.readouterr()
    return code, out.out, out.err, time.monotonic() - start


@pytest.fixture(scope="module")
def receipts(tmp_path_factory):
    """An advice receipt and a draft receipt, made once."""
    folder = tmp_path_factory.mktemp("bewijzen")
    made = {}
    for kind, args in (("advice", ["advise", EXAMPLES / "afval-private.yaml", "--format", "json"]),
                       ("draft", ["draft", EXAMPLES / "afval-private.yaml", "--format", "md"])):
        path = folder / f"{kind}.json"
        assert main([str(a) for a in args + ["--date", "2026-06-01", "-o", folder / f"{kind}.out",
                                             "--receipt", path]]) == 0
        made[kind] = json.loads(path.read_text(encoding="utf-8"))
    return made


def tampered(tmp_path, data, change):
    data = json.loads(json.dumps(data))
    change(data)
    path = tmp_path / "bewijs.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def _set(key, value):
    return lambda d: d.__setitem__(key, value)


def _fired(change):
    return lambda d: change(d["fired"])


TAMPERED = [
    ("rulebase_hash", _set("rulebase_hash", "0" * 16), "rulebase_hash"),
    ("template_hash", _set("template_hash", "0" * 64), "template_hash"),
    ("output_sha256", _set("output_sha256", "0" * 64), "output_sha256"),
    ("advisor_version", _set("advisor_version", "0.0.0"), "advisor_version"),
    ("rule_hash", _fired(lambda f: f[0].__setitem__("rule_hash", "0" * 64)), "de hash van regel(s)"),
    ("articles", _fired(lambda f: f[0].__setitem__("articles", ["DLB art. 1"])), "de artikels van regel(s)"),
    ("articles-removed", _fired(lambda f: f[0].__setitem__("articles", [])), "de artikels van regel(s)"),
    ("fired-removed", _fired(lambda f: f.pop()), "regel(s) die nu vuren"),
    ("fired-added", _fired(lambda f: f.append({"rule": "verzonnen-regel", "articles": [], "rule_hash": "0"})),
     "niet meer vuren: verzonnen-regel"),
    ("fired-reordered", _fired(lambda f: f.reverse()), "volgorde"),
    ("fired-emptied", _fired(lambda f: f.clear()), "regel(s) die nu vuren"),
]


@pytest.mark.parametrize("kind", ["advice", "draft"])
@pytest.mark.parametrize("name, change, named", TAMPERED, ids=[t[0] for t in TAMPERED])
def test_a_tampered_receipt_fails_naming_what_differs(tmp_path, capsys, receipts, kind, name, change, named):
    path = tampered(tmp_path, receipts[kind], change)
    code, out, err, seconds = run(["verify", path], capsys)
    assert code == 3 and named in err, err
    assert len(err) + len(out) < 10_000 and seconds < 60


@pytest.mark.parametrize("kind", ["advice", "draft"])
def test_an_untouched_receipt_holds(tmp_path, capsys, receipts, kind):
    code, out, err, _ = run(["verify", tampered(tmp_path, receipts[kind], lambda d: None)], capsys)
    assert code == 0 and "zelfde uitvoer vandaag:   ja" in out, err
    code, out, _, _ = run(["verify", tampered(tmp_path, receipts[kind], lambda d: None), "--format", "json"], capsys)
    assert code == 0 and json.loads(out)["differences"] == []


BROKEN = [
    ("no-options", "advice", lambda d: d.pop("options"), "options"),
    ("options-text", "advice", _set("options", "json"), "options"),
    ("options-null", "advice", _set("options", None), "options"),
    ("options-format", "advice", lambda d: d["options"].__setitem__("format", "odt"), "options.format"),
    ("options-no-format", "advice", lambda d: d["options"].pop("format"), "options.format"),
    ("options-forms", "advice", lambda d: d["options"].__setitem__("forms", ["vzw"]), "options.forms[0]"),
    ("options-forms-text", "advice", lambda d: d["options"].__setitem__("forms", "projectvereniging"), "options.forms"),
    ("options-extra", "advice", lambda d: d["options"].__setitem__("kleur", "rood"), "options.kleur"),
    ("options-with-text", "advice", lambda d: d["options"].__setitem__("with_text", "ja"), "options.with_text"),
    ("draft-options-of-advice", "draft", lambda d: d["options"].__setitem__("forms", []), "options.forms"),
    ("draft-form", "draft", lambda d: d["options"].__setitem__("form", "vzw"), "options.form"),
    ("draft-document", "draft", lambda d: d["options"].__setitem__("document", "testament"), "options.document"),
    ("draft-situation", "draft", lambda d: d["options"].__setitem__("situation", 7), "options.situation"),
    ("kind", "advice", _set("kind", "gedicht"), "kind"),
    ("date", "advice", _set("reference_date", "2026-02-30"), "reference_date"),
    ("date-number", "advice", _set("reference_date", 0), "reference_date"),
    ("fired-not-list", "advice", _set("fired", "alles"), "fired"),
    ("fired-item", "advice", _fired(lambda f: f[0].pop("rule_hash")), "fired[0].rule_hash"),
    ("hash-number", "advice", _set("rulebase_hash", 5), "rulebase_hash"),
    ("intent-bad", "advice", lambda d: d["intent"].__setitem__("partners", [1]), "intent.partners[0]"),
    ("intent-text", "advice", _set("intent", "x"), "intent"),
    ("extra-field", "advice", _set("handtekening", "x"), "handtekening"),
]


@pytest.mark.parametrize("name, kind, change, named", BROKEN, ids=[b[0] for b in BROKEN])
def test_a_broken_receipt_is_exit_2_naming_the_field(tmp_path, capsys, receipts, name, kind, change, named):
    code, _, err, seconds = run(["verify", tampered(tmp_path, receipts[kind], change)], capsys)
    assert code == 2 and named in err and "interne fout" not in err, err
    assert len(err) < 10_000 and seconds < 60


@pytest.mark.parametrize("content, named", [
    (b"[" * 10_000 + b"]" * 10_000, "genest"), (b"", "leeg"), (b"{nope", "ongeldige JSON"),
    (b'{"kind": "advice", "kind": "draft"}', "dubbele sleutel"), (b"[1, 2]", "(bewijs)"),
    (b'{"output_sha256": ' + b"9" * 5000 + b"}", "output_sha256"),
])
def test_hostile_receipt_files_are_exit_2(tmp_path, capsys, content, named):
    path = tmp_path / "bewijs.json"
    path.write_bytes(content)
    code, _, err, seconds = run(["verify", path], capsys)
    assert code == 2 and named in err and len(err) < 10_000 and seconds < 30, err


def test_control_characters_in_a_receipt_never_reach_the_terminal(tmp_path, capsys, receipts):
    path = tampered(tmp_path, receipts["advice"], _set("created", "\x1b]0;gehackt\x07\x1b[2J"))
    code, out, err, _ = run(["verify", path], capsys)
    assert code == 0 and "\x1b" not in out + err and "\\u001b" in out
