"""open_questions (contract 1b): the unanswered fields whose answer changes the recommended form,
with the form per answer, found by running the advisor; and the text advice says it is provisional."""
import datetime as dt
import json

import pytest
import yaml

from advisor import advise
from advisor.cli import main
from advisor.paths import EXAMPLES_DIR
from advisor.questionnaire import put

DAY = dt.date(2026, 6, 1)
ARCHAEOLOGY = {
    "name": "Archeologische dienst Dijleland",
    "purpose": {"kind": "project", "description": "Een gedeelde archeologische dienst", "domains": ["erfgoed"]},
    "partners": [{"name": "Leuven", "kind": "gemeente"}, {"name": "Herent", "kind": "gemeente"},
                 {"name": "Bertem", "kind": "gemeente"}],
}


def questions_of(advice):
    return {q.field: {a.answer: a.recommended_form for a in q.answers} for q in advice.open_questions}


def test_an_archaeology_service_with_open_needs_is_an_iv_until_it_hires_its_own_staff():
    advice = advise(ARCHAEOLOGY, DAY)
    assert advice.recommended_form == "interlokale_vereniging"
    open_ = questions_of(advice)
    for need in ("needs.legal_personality", "needs.own_staff", "needs.own_assets"):
        assert open_[need] == {True: "projectvereniging", False: "interlokale_vereniging"}, need


def test_every_answer_gives_the_form_the_advisor_gives_for_it():
    for intent in (ARCHAEOLOGY, {**ARCHAEOLOGY, "purpose": {"kind": "dienstverlening"}},
                   {**ARCHAEOLOGY, "needs": {"own_staff": True}}):
        advice = advise(intent, DAY)
        assert advice.open_questions, intent
        for q in advice.open_questions:
            forms = {a.recommended_form for a in q.answers}
            assert forms - {advice.recommended_form}, f"{q.field} changes nothing"
            for a in q.answers:
                assert advise(put(intent, q.field, a.answer), DAY, open_questions=False).recommended_form \
                    == a.recommended_form


def test_a_service_without_an_answer_on_exclusivity_asks_it():
    advice = advise({**ARCHAEOLOGY, "purpose": {"kind": "dienstverlening"}, "needs": {"legal_personality": True}}, DAY)
    assert advice.recommended_form == "dienstverlenende_vereniging"
    assert questions_of(advice)["purpose.exclusive"] == {True: "opdrachthoudende_vereniging",
                                                         False: "dienstverlenende_vereniging"}


def test_an_open_duration_shows_the_six_year_boundary_of_the_projectvereniging():
    advice = advise({**ARCHAEOLOGY, "needs": {"own_staff": True}, "founding_year": 2027}, DAY)
    assert advice.recommended_form == "projectvereniging"
    assert questions_of(advice)["duration_years"] == {6: "projectvereniging", 7: "dienstverlenende_vereniging"}


def test_a_complete_intent_has_no_open_questions_and_the_text_is_not_provisional(capsys, tmp_path):
    intent = {**ARCHAEOLOGY, "needs": {"legal_personality": False, "own_staff": False, "own_assets": False},
              "duration_years": 6, "founding_year": 2027}
    assert advise(intent, DAY).open_questions == []
    path = tmp_path / "volledig.yaml"
    path.write_text(yaml.safe_dump(intent, allow_unicode=True), encoding="utf-8")
    assert main(["advise", str(path), "--date", DAY.isoformat()]) == 0
    out = capsys.readouterr().out
    assert out.startswith("ADVIES INTERGEMEENTELIJKE SAMENWERKING") and "VOORLOPIG" not in out


def test_the_text_advice_starts_with_voorlopig_advies_and_the_decisive_questions(capsys, tmp_path):
    path = tmp_path / "open.yaml"
    path.write_text(yaml.safe_dump(ARCHAEOLOGY, allow_unicode=True), encoding="utf-8")
    assert main(["advise", str(path), "--date", DAY.isoformat()]) == 0
    out = capsys.readouterr().out
    assert out.startswith("VOORLOPIG ADVIES")
    head = out.split("AANBEVOLEN RECHTSVORM")[0]
    assert "Moet de samenwerking zelf personeel in dienst nemen?" in head
    assert "ja -> Projectvereniging" in head


def test_open_questions_in_the_json_follow_the_contract(capsys, tmp_path):
    path = tmp_path / "open.json"
    path.write_text(json.dumps(ARCHAEOLOGY), encoding="utf-8")
    assert main(["advise", str(path), "--date", DAY.isoformat(), "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    q = next(q for q in data["open_questions"] if q["field"] == "needs.own_staff")
    assert q["question"] and {"answer": True, "recommended_form": "projectvereniging"}.items() <= q["answers"][0].items()


@pytest.mark.parametrize("name", ["sportregio.yaml", "streekintercommunale.yaml", "afval-private.yaml"])
def test_answered_needs_are_not_asked_again(name):
    intent = yaml.safe_load((EXAMPLES_DIR / name).read_text(encoding="utf-8"))
    fields = {q.field for q in advise(intent, DAY).open_questions}
    for field in ("needs.legal_personality", "needs.own_staff", "needs.own_assets"):
        node = intent.get("needs", {}).get(field.split(".")[1])
        if node is not None:
            assert field not in fields
