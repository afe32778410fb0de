"""`igs-advisor batch`: one row per intent, the same output whatever --jobs, bad rows reported
with their line and field while the batch goes on."""
from __future__ import annotations

import csv
import json
import random
from pathlib import Path

import pytest
import yaml

from advisor import advise, batch
from advisor.cli import main
from intent_generator import random_intent

CONTRACT = Path("/work/shared/contract/examples")
EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
DAY = "2026-06-01"


def _examples() -> list[dict]:
    folder = CONTRACT if CONTRACT.is_dir() else EXAMPLES
    return [yaml.safe_load(p.read_text(encoding="utf-8")) for p in sorted(folder.glob("*.yaml"))
            if p.name != "expected.yaml"]


def _jsonl(tmp_path: Path, intents: list, name: str = "register.jsonl") -> Path:
    path = tmp_path / name
    path.write_text("".join(json.dumps(i, ensure_ascii=False, default=str) + "\n" for i in intents), encoding="utf-8")
    return path


def test_the_output_is_the_same_with_one_and_two_jobs(tmp_path, capsys):
    """The contract examples plus 1,000 generated intents, through the command, in both formats."""
    rng = random.Random(17)
    intents = _examples() + [random_intent(rng) for _ in range(1000)]
    register = _jsonl(tmp_path, intents)
    small = _jsonl(tmp_path, _examples(), "voorbeelden.jsonl")
    outputs = {}
    for jobs in ("1", "2"):
        for fmt, path in (("jsonl", register), ("csv", small)):
            out = tmp_path / f"uit-{jobs}.{fmt}"
            assert main(["batch", str(path), "--jobs", jobs, "--format", fmt, "--date", DAY, "-o", str(out)]) == 0
            outputs[jobs, fmt] = out.read_text(encoding="utf-8")
    assert outputs["1", "jsonl"] == outputs["2", "jsonl"]
    assert outputs["1", "csv"] == outputs["2", "csv"] and len(outputs["1", "csv"].splitlines()) == 8
    rows = [json.loads(line) for line in outputs["1", "jsonl"].splitlines()]
    assert len(rows) == len(intents) and all(r["error"] is None for r in rows)
    assert [r["line"] for r in rows] == list(range(1, len(intents) + 1))
    assert "Batch: 1007 intentie(s), 1007 met advies, 0 met een fout." in capsys.readouterr().err
    assert any(r["warnings"] for r in rows) and any(r["open_questions"] for r in rows)


def test_a_row_holds_the_advice_of_its_intent():
    intent = yaml.safe_load((EXAMPLES / "afval-private.yaml").read_text(encoding="utf-8"))
    row = batch.advise_row(batch.Row("afval.yaml", None, intent))
    advice = advise(intent)
    assert row["recommended_form"] == (advice.recommended_form.value if advice.recommended_form else None)
    assert row["statuses"] == {f.form.value: f.status for f in advice.forms}
    assert row["open_questions"] == [q.field for q in advice.open_questions]
    assert row["warnings"] == [{"rule": f.rule, "message": f.message} for f in advice.findings if f.kind == "warning"]
    assert row["warnings"], "the example has a regiovorming warning"


def test_a_bad_jsonl_line_is_reported_with_its_line_and_the_batch_goes_on(tmp_path, capsys):
    good = _examples()[0]
    path = tmp_path / "register.jsonl"
    path.write_text(json.dumps(good) + "\n{kapot\n" + json.dumps({**good, "duration_years": "lang"}) + "\n"
                    + json.dumps(good) + "\n", encoding="utf-8")
    out = tmp_path / "uit.jsonl"
    assert main(["batch", str(path), "-o", str(out), "--date", DAY]) == batch.EXIT_ROW_ERRORS
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [r["line"] for r in rows] == [1, 2, 3, 4]
    assert rows[1]["error"].startswith("ongeldige JSON (kolom 2)")
    assert rows[2]["error"].startswith("duration_years: ") and rows[2]["name"] == good["name"]
    assert rows[0]["error"] is None and rows[3]["error"] is None and rows[3]["recommended_form"]
    assert "2 met een fout" in capsys.readouterr().err


CSV_HEADER = "naam,doel,gemeenten,andere_partners,rechtspersoonlijkheid,duur_jaren,oprichtingsjaar\n"


def test_a_csv_row_is_the_intent_of_the_documented_layout(tmp_path):
    path = tmp_path / "register.csv"
    path.write_text(CSV_HEADER + "Glasvezel Noord,beheersoverdracht,Brecht;Schilde;Zoersel,"
                    "Telecom NV:privaatrechtelijke_rechtspersoon:telecom,,18,\n", encoding="utf-8")
    (row,) = batch.read_rows(path)
    assert row.data == {"name": "Glasvezel Noord", "purpose": {"kind": "beheersoverdracht"}, "duration_years": 18,
                        "partners": [{"name": "Brecht", "kind": "gemeente"}, {"name": "Schilde", "kind": "gemeente"},
                                     {"name": "Zoersel", "kind": "gemeente"},
                                     {"name": "Telecom NV", "kind": "privaatrechtelijke_rechtspersoon",
                                      "sector": "telecom"}]}
    assert row.line == 2 and row.source == "register.csv:2"


def test_a_bad_csv_cell_is_reported_with_its_line_and_column(tmp_path, capsys):
    path = tmp_path / "register.csv"
    path.write_text(CSV_HEADER
                    + "Sport Noord,project,Brecht;Schilde,,ja,vijf,\n"
                    + "Sport Zuid,project,Brecht;Schilde,,misschien,4,\n"
                    + "Sport Oost,geen_doel,Brecht;Schilde,,nee,4,\n"
                    + "Sport West,project,Brecht;Schilde,,nee,4,2027\n", encoding="utf-8")
    out = tmp_path / "uit.csv"
    assert main(["batch", str(path), "--format", "csv", "-o", str(out), "--date", DAY]) == batch.EXIT_ROW_ERRORS
    lines = out.read_text(encoding="utf-8").splitlines()
    assert lines[0] == ",".join(batch.CSV_HEADERS)
    assert lines[1].startswith("register.csv:2,2,") and "kolom duur_jaren: 'vijf' is geen geheel getal" in lines[1]
    assert lines[2].startswith("register.csv:3,3,") and "kolom rechtspersoonlijkheid: 'misschien'" in lines[2]
    assert lines[3].startswith("register.csv:4,4,Sport Oost,") and "kolom doel (purpose.kind: " in lines[3]
    last = next(csv.reader([lines[4]]))
    assert last[:3] == ["register.csv:5", "5", "Sport West"] and last[3] and last[-1] == ""
    assert "3 met een fout" in capsys.readouterr().err


def test_a_bad_yaml_file_in_a_folder_is_reported_with_its_line(tmp_path):
    for i, intent in enumerate(_examples()[:2]):
        (tmp_path / f"{i}.yaml").write_text(yaml.safe_dump(intent, allow_unicode=True), encoding="utf-8")
    (tmp_path / "2.yml").write_text("name: kapot\npurpose: [\n", encoding="utf-8")
    (tmp_path / "notities.txt").write_text("geen intentie", encoding="utf-8")
    rows = list(batch.run(batch.read_rows(tmp_path), jobs=2))
    assert [r["source"] for r in rows] == ["0.yaml", "1.yaml", "2.yml"]
    assert rows[2]["line"] == 3 and rows[2]["error"].startswith("ongeldige YAML (regel 3")
    assert rows[0]["error"] is None and rows[1]["error"] is None


@pytest.mark.parametrize("name, content, message", [
    ("register.txt", "x", "kies een map met intentiebestanden"),
    ("register.csv", "naam,kleur\nA,rood\n", "onbekende kolom 'kleur'"),
    ("register.csv", "doel\nproject\n", "de kolom 'naam' ontbreekt"),
])
def test_an_unusable_input_is_an_input_error_with_status_2(tmp_path, capsys, name, content, message):
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    assert main(["batch", str(path)]) == 2
    assert message in capsys.readouterr().err


def test_jobs_must_be_a_positive_number(capsys):
    assert main(["batch", ".", "--jobs", "0"]) == 2
    assert "'0' is geen positief geheel getal" in capsys.readouterr().err
