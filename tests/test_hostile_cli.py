"""Hostile input files on the command line: each is exit status 2 with a short Dutch message that
names the field (or the file), in bounded time, never a traceback, an 'interne fout' or a memory
blow-up. The limits are those of the input boundary (advisor/intake.py)."""
import json
import os
import subprocess
import sys
import time

import pytest

from advisor.cli import main
from advisor.intake import MAX_BYTES, MAX_DEPTH, MAX_DIGITS, MAX_ITEMS, MAX_STRING
from advisor.paths import ROOT
from hostile_inputs import BASE, bomb

EXAMPLES = ROOT / "examples"
GOOD = {"name": "x", "purpose": {"kind": "project"}, "partners": [{"name": "Affligem", "kind": "gemeente"}]}
SMALL = 10_000  # bytes: an error message is short, whatever the input
QUICK = 20  # seconds: generous; the point is that nothing runs away


def run(args, capsys):
    start = time.monotonic()
    code = main([str(a) for a in args])
    out = capsys.readouterr()
    return code, out.out, out.err, time.monotonic() - start


HOSTILE = [
    # (name, content, what the message must name)
    ("bomb.yaml", bomb(5), "name"),
    ("bomb6.yaml", bomb(6), "name"),
    ("bad-date.yaml", "name: x\nreference_date: 2026-02-30\n" + BASE, "reference_date"),
    ("month13.yaml", "name: x\nreference_date: '2026-13-01'\n" + BASE, "reference_date"),
    ("datetime.yaml", "name: x\nreference_date: 2026-06-01T10:00:00\n" + BASE, "reference_date"),
    ("complex-key.yaml", "? [a, b]\n: 1\n" + BASE, "sleutel"),
    ("int-key.yaml", "name: x\n1: y\n" + BASE, "sleutel 1"),
    ("bool-key.yaml", "name: x\nyes: y\n" + BASE, "sleutel true"),
    ("big-int.yaml", "name: x\nduration_years: " + "9" * 5000 + "\n" + BASE, "duration_years"),
    ("big-int.json", json.dumps(GOOD)[:-1] + ', "duration_years": ' + "9" * 5000 + "}", "duration_years"),
    ("sexagesimal.yaml", "name: x\nduration_years: 1:30\n" + BASE, "duration_years"),
    ("octal.yaml", "name: x\nduration_years: 012\n" + BASE, "duration_years"),
    ("hex.yaml", "name: x\nfounding_year: 0x7e9\n" + BASE, "founding_year"),
    ("deep.json", "[" * 10_000 + "]" * 10_000, "genest"),
    ("open.json", '{"a":' * 100_000, "genest"),
    ("deep.yaml", "name: " + "[" * 10_000 + "]" * 10_000 + "\n" + BASE, "genest"),
    ("deep-block.yaml", "name:\n" + "".join("  " * i + "- \n" for i in range(1, 60)) + BASE, "genest"),
    ("python-tag.yaml", "name: !!python/object/apply:os.system [echo hi]\n" + BASE, "name"),
    ("binary-tag.yaml", "name: !!binary aGVsbG8=\n" + BASE, "name"),
    ("set-tag.yaml", "name: !!set {a, b}\n" + BASE, "name"),
    ("local-tag.yaml", "name: !mijn x\n" + BASE, "name"),
    ("merge.yaml", "<<: {name: x}\n" + BASE, "samenvoegsleutels"),
    ("merge-alias.yaml", "base: &b {name: x}\n<<: *b\n" + BASE, "samenvoegsleutels"),
    ("recursive.yaml", "name: &a [*a]\n" + BASE, "name"),
    ("inf.json", json.dumps(GOOD)[:-1] + ', "duration_years": 1e400}', "duration_years"),
    ("nan.json", json.dumps(GOOD)[:-1] + ', "duration_years": NaN}', "duration_years"),
    ("minus-infinity.json", json.dumps(GOOD)[:-1] + ', "founding_year": -Infinity}', "founding_year"),
    ("inf.yaml", "name: x\nduration_years: .inf\n" + BASE, "duration_years"),
    ("nan.yaml", "name: x\nfounding_year: .nan\n" + BASE, "founding_year"),
    ("float.yaml", "name: x\nduration_years: 6.0\n" + BASE, "duration_years"),
    ("negative.yaml", "name: x\nduration_years: -5\n" + BASE, "duration_years"),
    ("zero.yaml", "name: x\nduration_years: 0\n" + BASE, "duration_years"),
    ("long-name.yaml", "name: " + "x" * 200_000 + "\n" + BASE, "name"),
    ("long-key.json", json.dumps(dict(GOOD, **{"k" * 5000: 1})), "sleutel"),
    ("surrogate.json", json.dumps(GOOD).replace('"x"', '"\\ud800"'), "name"),
    ("duplicate.json", '{"name": "a", "name": "b"}', "dubbele sleutel"),
    ("duplicate.yaml", "name: a\nname: b\n", "dubbele sleutel"),
    ("many-partners.yaml", "name: x\npurpose: {kind: project}\npartners:\n" + "- {name: A, kind: gemeente}\n" * 2000, "partners"),
    ("501-partners.yaml", "name: x\npurpose: {kind: project}\npartners:\n" + "- {name: A, kind: gemeente}\n" * 501, "partners"),
    ("many-errors.yaml", "name: x\npurpose: {kind: project}\npartners:\n" + "- {name: A, kind: x, foo: 1}\n" * 500, "partners[0].kind"),
    ("two-documents.yaml", "name: x\n" + BASE + "---\nname: y\n", "document"),
    ("list.yaml", "- a\n- b\n", "structuur"),
    ("scalar.yaml", "hallo\n", "structuur"),
    ("comment.yaml", "# niets\n", "structuur"),
    ("undefined-alias.yaml", "name: *a\n" + BASE, "anker"),
    ("tab.yaml", "name: x\n\tpurpose: 1\n", "tab"),
    ("number-name.yaml", "name: 5\n" + BASE, "name"),
    ("null-name.yaml", "name: ~\n" + BASE, "name"),
]


@pytest.mark.parametrize("name, content, named", HOSTILE, ids=[h[0] for h in HOSTILE])
def test_a_hostile_intent_is_exit_2_naming_the_field(tmp_path, capsys, name, content, named):
    path = tmp_path / name
    path.write_text(content, encoding="utf-8", errors="surrogatepass")
    code, out, err, seconds = run(["advise", path], capsys)
    assert code == 2, err
    assert named in err and "interne fout" not in err and "Traceback" not in err
    assert len(err.encode()) < SMALL and not out and seconds < QUICK


BYTES = [
    ("nul.yaml", b"name: x\0\n" + BASE.encode(), "nulbytes"),
    ("latin1.yaml", "name: café\n".encode("latin-1") + BASE.encode(), "UTF-8"),
    ("utf16.yaml", ("name: x\n" + BASE).encode("utf-16"), "UTF-16"),
    ("utf16-no-bom.yaml", ("name: x\n" + BASE).encode("utf-16-le"), "nulbytes"),
    ("utf32.json", json.dumps(GOOD).encode("utf-32"), "UTF-32"),
    ("empty.yaml", b"", "leeg"),
    ("blank.json", b"  \n\t\n", "leeg"),
    ("random.yaml", os.urandom(4096), ""),
    ("too-big.yaml", b"name: x\n" + b"#" * (MAX_BYTES + 10), "groter dan"),
]


@pytest.mark.parametrize("name, content, named", BYTES, ids=[b[0] for b in BYTES])
def test_hostile_bytes_are_exit_2(tmp_path, capsys, name, content, named):
    path = tmp_path / name
    path.write_bytes(content)
    code, out, err, seconds = run(["advise", path], capsys)
    assert code == 2 and named in err and "interne fout" not in err
    assert len(err.encode()) < SMALL and seconds < QUICK


def test_an_alias_bomb_names_where_the_alias_stands_and_quotes_nothing_of_it(tmp_path, capsys):
    path = tmp_path / "bomb.yaml"
    path.write_text(bomb(7), encoding="utf-8")
    code, _, err, seconds = run(["advise", path], capsys)
    assert code == 2 and "name[1][0]: YAML-verwijzingen" in err and "lol" not in err and seconds < QUICK


def test_many_errors_are_reported_up_to_a_limit(tmp_path, capsys):
    path = tmp_path / "many.yaml"
    path.write_text(next(h[1] for h in HOSTILE if h[0] == "many-errors.yaml"), encoding="utf-8")
    _, _, err, _ = run(["advise", path], capsys)
    assert "(en nog " in err and len(err.splitlines()) <= 25


def test_an_error_quotes_at_most_a_short_excerpt(tmp_path, capsys):
    path = tmp_path / "long-kind.yaml"
    path.write_text("name: x\npurpose: {kind: " + "p" * 5000 + "}\npartners: [{name: A, kind: gemeente}]\n",
                    encoding="utf-8")
    code, _, err, _ = run(["advise", path], capsys)
    assert code == 2 and "purpose.kind" in err and "p" * 61 not in err and "…" in err


def test_the_limits_leave_room_for_the_largest_real_intent(tmp_path, capsys):
    """500 partners with names of 300 characters and a description of 5,000: advised."""
    intent = {"name": "n" * 300, "purpose": {"kind": "project", "description": "d" * 5000},
              "partners": [{"name": f"{i:03d}" + "p" * 297, "kind": "gemeente"} for i in range(500)]}
    path = tmp_path / "groot.json"
    path.write_text(json.dumps(intent), encoding="utf-8")
    assert path.stat().st_size < MAX_BYTES and MAX_STRING > 5000 and MAX_ITEMS >= 500 and MAX_DEPTH > 6
    assert MAX_DIGITS >= 4
    code, _, err, _ = run(["advise", path, "--format", "json", "-o", tmp_path / "uit.json"], capsys)
    assert code == 0, err


@pytest.mark.parametrize("bom", [b"\xef\xbb\xbf", b""])
@pytest.mark.parametrize("suffix", [".json", ".yaml"])
def test_a_utf8_byte_order_mark_is_accepted_in_every_entrance(tmp_path, capsys, bom, suffix):
    path = tmp_path / f"intentie{suffix}"
    path.write_bytes(bom + json.dumps(GOOD).encode())
    assert run(["advise", path], capsys)[0] == 0


def test_a_directory_a_device_or_a_missing_file_as_input(tmp_path, capsys):
    for target, named in [(tmp_path, "map"), ("/dev/zero", "apparaat"), (tmp_path / "nope.yaml", "niet gevonden")]:
        code, _, err, seconds = run(["advise", target], capsys)
        assert code == 2 and named in err and seconds < QUICK


def test_an_unused_anchor_is_harmless_and_accepted(tmp_path, capsys):
    path = tmp_path / "anker.yaml"
    path.write_text("name: &n Sport\n" + BASE, encoding="utf-8")
    assert run(["advise", path], capsys)[0] == 0


@pytest.mark.parametrize("command", ["draft", "compare", "whatif"])
def test_every_command_reads_through_the_same_boundary(tmp_path, capsys, command):
    path = tmp_path / "bomb.yaml"
    path.write_text(bomb(6), encoding="utf-8")
    code, _, err, seconds = run([command, path], capsys)
    assert code == 2 and "YAML-verwijzingen" in err and len(err) < SMALL and seconds < QUICK


def test_whatif_accepts_what_advise_accepts(tmp_path, capsys):
    intent = {"name": "Groot", "purpose": {"kind": "dienstverlening"},
              "partners": [{"name": f"Gemeente {i}", "kind": "gemeente"} for i in range(500)]}
    path = tmp_path / "500.json"
    path.write_text(json.dumps(intent), encoding="utf-8")
    assert run(["advise", path], capsys)[0] == 0
    code, out, err, _ = run(["whatif", path], capsys)
    assert code == 0 and "Nu aanbevolen" in out, err


def test_a_training_sheet_and_cases_go_through_the_boundary(tmp_path, capsys):
    sheet = tmp_path / "blad.yaml"
    sheet.write_text(bomb(5), encoding="utf-8")
    code, _, err, _ = run(["train", "--answers", sheet], capsys)
    assert code == 2 and "YAML-verwijzingen" in err
    cases = tmp_path / "casussen"
    cases.mkdir()
    (cases / "c.yaml").write_text("id: !!python/name:os.system x\n", encoding="utf-8")
    code, _, err, _ = run(["train", "--cases", cases, "--answers", sheet], capsys)
    assert code == 2 and "YAML-label" in err


def test_ask_without_a_terminal_is_exit_2_with_a_dutch_message(tmp_path):
    exe = [sys.executable, "-m", "advisor"]
    for stdin in (subprocess.DEVNULL, None):
        r = subprocess.run([*exe, "ask", "-o", str(tmp_path / "a.yaml")], input=None if stdin else b"",
                           stdin=stdin, capture_output=True, timeout=60, cwd=tmp_path)
        err = r.stderr.decode("utf-8")
        assert r.returncode == 2 and "terminal" in err and "Traceback" not in err and "interne fout" not in err


def test_ask_resume_of_a_hostile_answers_file_is_exit_2(tmp_path, capsys, monkeypatch):
    import io

    class Terminal(io.StringIO):
        def isatty(self):
            return True
    monkeypatch.setattr(sys, "stdin", Terminal())
    answers = tmp_path / "antwoorden.yaml"
    for content, named in [("name: x\nneeds: [1]\n", "needs"), (bomb(6), "YAML-verwijzingen"),
                           ("partners: [{}]\n", "partners[0].name")]:
        answers.write_text(content, encoding="utf-8")
        code, _, err, _ = run(["ask", "--resume", answers], capsys)
        assert code == 2 and named in err and len(err) < SMALL


def test_control_characters_in_names_never_reach_the_terminal(tmp_path, capsys):
    intent = dict(GOOD, name="Rood\x1b[31m\x07\u202e\ufffe\x9b2J",
                  partners=[{"name": "Aff\x1b]0;titel\x07ligem", "kind": "gemeente"}])
    path = tmp_path / "stuur.json"
    path.write_text(json.dumps(intent), encoding="utf-8")
    for fmt in ("text", "json", "md"):
        code, out, err, _ = run(["advise", path, "--format", fmt], capsys)
        assert code == 0, err
        assert not any(c in out for c in "\x1b\x07\u202e\ufffe\x9b"), fmt
        assert "\\u001b" in out
    assert json.loads(run(["advise", path, "--format", "json"], capsys)[1])["name"] == intent["name"]
    for command in ("compare", "whatif"):
        code, out, _, _ = run([command, path], capsys)
        assert code == 0 and "\x1b" not in out


def test_statutes_to_check_and_law_texts_go_through_the_same_reader(tmp_path, capsys):
    from advisor.intake import MAX_DOCUMENT_BYTES
    big = tmp_path / "groot.txt"
    big.write_bytes(b"a" * (MAX_DOCUMENT_BYTES + 1))
    for target, named in [("/dev/zero", "apparaat"), (tmp_path, "map"), (big, "groter dan 10 MB")]:
        code, _, err, seconds = run(["check-statutes", target], capsys)
        assert code == 2 and named in err and seconds < QUICK
    for target, named in [("/dev/zero", "apparaat"), (tmp_path, "map")]:
        code, _, err, seconds = run(["law", "import", target, "--law", "dlb", "--store", tmp_path / "wet"], capsys)
        assert code == 2 and named in err and seconds < QUICK and not (tmp_path / "wet").exists()


@pytest.mark.parametrize("content", [
    "name: a: b\n", "name: 'x' y\n", "%FOO\n---\nname: x\n", "- a\nb: c\n", "name: [a\n", "name: &\n",
    "name: \"\\q\"\n", "a:\n  - b\n c: d\n", "name: *onbekend\n", "name: x\n\tkind: y\n",
])
def test_a_yaml_syntax_error_is_told_in_dutch_with_line_and_column(tmp_path, capsys, content):
    path = tmp_path / "kapot.yaml"
    path.write_text(content, encoding="utf-8")
    code, _, err, _ = run(["advise", path], capsys)
    assert code == 2 and "ongeldige YAML (regel " in err
    assert not any(word in err for word in ("found", "expected", "allowed", "while", "could not")), err


@pytest.mark.parametrize("args, named", [
    (["--port", "99999"], "tussen 0 en 65535"), (["--port=-1"], "tussen 0 en 65535"),
    (["--host", "naam.invalid"], "onbekende naam"), (["--port", "x"], "--port"),
])
def test_serve_on_an_impossible_address_is_exit_2(capsys, args, named):
    code, _, err, seconds = run(["serve", *args], capsys)
    assert code == 2 and named in err and "Traceback" not in err and seconds < QUICK


def test_serve_on_a_port_in_use_is_exit_2(capsys):
    import socket
    with socket.create_server(("127.0.0.1", 0)) as taken:
        code, _, err, _ = run(["serve", "--port", taken.getsockname()[1]], capsys)
    assert code == 2 and "al in gebruik" in err


def test_a_key_with_a_line_break_cannot_forge_a_line_of_the_error_report(tmp_path, capsys):
    path = tmp_path / "sleutel.json"
    path.write_text(json.dumps(dict(GOOD, **{"x\n  name: alles in orde": 1})), encoding="utf-8")
    code, _, err, _ = run(["advise", path], capsys)
    assert code == 2 and len(err.splitlines()) == 2 and "'x\\n  name: alles in orde'" in err
