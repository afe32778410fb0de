"""The web app and its JSON API: same advice as the CLI, Dutch 422s (never a 500 for bad input),
isolation under 64 concurrent requests, and the questionnaire over plain HTTP."""
import concurrent.futures
import io
import json
import re

import docx
import httpx
import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from advisor import advise
from advisor.questionnaire import MISSING, get, questions
from advisor.paths import ROOT

EXAMPLES = ROOT / "examples"
EXPECTED = yaml.safe_load((EXAMPLES / "expected.yaml").read_text(encoding="utf-8"))


def example(name):
    return yaml.safe_load((EXAMPLES / name).read_text(encoding="utf-8"))


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_api_advice_is_the_advisor_advice(server, name):
    intent = dict(example(name), reference_date="2026-06-01")
    r = httpx.post(f"{server}/api/advice", json=intent, timeout=30)
    assert r.status_code == 200
    assert r.json() == advise(intent).model_dump(mode="json")
    assert r.json()["recommended_form"] == EXPECTED[name]["recommended_form"]


@pytest.mark.parametrize("fmt", ["md", "html", "docx"])
def test_api_draft_downloads(server, fmt):
    r = httpx.post(f"{server}/api/draft", params={"format": fmt}, json=example("wijkwerken.yaml"), timeout=30)
    assert r.status_code == 200 and "attachment" in r.headers["content-disposition"]
    if fmt == "docx":
        assert docx.Document(io.BytesIO(r.content)).paragraphs[0].text.startswith("Statuten")
    else:
        assert "Statuten van de projectvereniging" in r.text


def test_api_articles(server):
    r = httpx.get(f"{server}/api/articles", params={"law": "vcro"}, timeout=60)
    assert r.status_code == 200 and {a["article"] for a in r.json()["articles"]} >= {"2.1.1", "1.3.3"}


@pytest.mark.parametrize("body, field", [
    (b"", "body"), (b"{nope", "body"), (b"[1, 2]", "intentie"),
    (json.dumps({"name": "x", "purpose": {"kind": "project"}, "partners": [{"name": "A", "kind": "gemeentebedrijf"}]}).encode(), "partners[0].kind"),
    (json.dumps({"name": "x", "purpose": {"kind": "project"}, "partners": [{"name": "A", "kind": "gemeente"}], "extra": 1}).encode(), "extra"),
])
def test_api_refuses_bad_input_with_dutch_field_errors(server, body, field):
    r = httpx.post(f"{server}/api/advice", content=body, timeout=30)
    assert r.status_code == 422
    assert any(field in (d["field"] + d["message"]) for d in r.json()["detail"])


def test_api_draft_of_an_excluded_form_or_bad_format_is_422(server):
    assert httpx.post(f"{server}/api/draft", params={"form": "opdrachthoudende_vereniging"},
                      json=example("sportregio.yaml"), timeout=30).status_code == 422
    assert httpx.post(f"{server}/api/draft", params={"format": "odt"}, json=example("sportregio.yaml"),
                      timeout=30).status_code == 422


junk = st.recursive(st.none() | st.booleans() | st.integers() | st.text(max_size=12),
                    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
                    max_leaves=10)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(junk)
def test_api_never_answers_500_to_generated_input(server, value):
    r = httpx.post(f"{server}/api/advice", json=value, timeout=30)
    assert r.status_code in (200, 422)


def test_64_concurrent_requests_get_their_own_answer(server):
    names = sorted(EXPECTED)
    intents = []
    for i in range(64):
        intent = dict(example(names[i % len(names)]), reference_date="2026-06-01", name=f"Samenwerking {i}")
        intents.append(intent)
    expected = [advise(i).model_dump(mode="json") for i in intents]
    with httpx.Client(timeout=60) as client, concurrent.futures.ThreadPoolExecutor(64) as pool:
        answers = list(pool.map(lambda i: client.post(f"{server}/api/advice", json=i).json(), intents))
    assert answers == expected


def _answers_from(page: str) -> dict:
    return json.loads(re.search(r'name="answers" value="([^"]*)"', page).group(1).replace("&#34;", '"').replace("&quot;", '"').replace("&amp;", "&"))


def test_the_questionnaire_over_http_gives_the_same_intent_and_advice(server):
    """Walk the pages as a browser without JavaScript would, answering from an example."""
    target = example("wijkwerken.yaml")
    answers = replay_in_web(server, target)
    advice_page = httpx.post(f"{server}/advies", data={"answers": json.dumps(answers)}, timeout=30).text
    from advisor.questionnaire import intent_of
    intent = intent_of(answers)
    assert intent["partners"] == target["partners"] and intent["purpose"]["kind"] == target["purpose"]["kind"]
    assert advise(intent).recommended_form == advise(target).recommended_form == "projectvereniging"
    assert 'data-form="projectvereniging"' in advice_page


def replay_in_web(server: str, answers: dict) -> dict:
    """Answer the web questionnaire with the values of an answers file; return the web's answers."""
    with httpx.Client(base_url=server, timeout=30) as client:
        page = client.post("/vragen", data={"answers": "{}"}).text
        for _ in range(40):
            if "Overzicht van uw antwoorden" in page:
                return _answers_from(page)
            qid = re.search(r'name="question" value="([^"]+)"', page).group(1)
            q = next(x for x in questions() if x.id == qid)
            data = {"answers": json.dumps(_answers_from(page)), "question": qid}
            value = _value(answers, q.field)
            if q.type == "partners":
                for p in answers["partners"]:
                    page = client.post("/vragen", data=dict(data, action="toevoegen", partner_name=p["name"],
                                                           partner_kind=p["kind"], partner_sector=p.get("sector", ""))).text
                    data["answers"] = json.dumps(_answers_from(page))
                page = client.post("/vragen", data=dict(data, action="klaar")).text
            elif q.type == "tags":  # the boxes ticked; none ticked sends no value at all
                page = client.post("/vragen", data=dict(data, action="volgende", value=value or [])).text
            elif value is None and q.type == "choice" and not q.unknown:  # the radio a browser has checked
                page = client.post("/vragen", data=dict(data, action="volgende", value=next(iter(q.choices)))).text
            elif value is None:
                page = client.post("/vragen", data=dict(data, action="weet_niet" if q.unknown else "volgende", value="")).text
            else:
                shown = {True: "ja", False: "nee"}.get(value, value)
                page = client.post("/vragen", data=dict(data, action="volgende", value=str(shown))).text
    raise AssertionError("the web questionnaire did not end")


def _value(intent, path):
    value = get(intent, path)
    return None if value is MISSING else value


def test_upload_of_an_answers_file_gives_the_advice_page(server):
    content = (EXAMPLES / "afval-private.yaml").read_bytes()
    r = httpx.post(f"{server}/upload", files={"file": ("antwoorden.yaml", content, "application/x-yaml")}, timeout=30)
    assert r.status_code == 200 and 'data-form="opdrachthoudende_vereniging_met_private_deelname"' in r.text


def test_upload_of_a_broken_file_is_a_dutch_error_page(server):
    r = httpx.post(f"{server}/upload", files={"file": ("x.yaml", b"name: [", "application/x-yaml")}, timeout=30)
    assert r.status_code == 422 and "ongeldige YAML" in r.text


def test_user_text_is_escaped_on_the_advice_page(server):
    intent = dict(example("sportregio.yaml"), name='<script>alert("x")</script> & co')
    r = httpx.post(f"{server}/advies", data={"answers": json.dumps(intent)}, timeout=30)
    assert r.status_code == 200 and "<script>alert" not in r.text and "&lt;script&gt;" in r.text


def test_the_domains_question_ticks_boxes_and_reaches_the_regiodecreet_exemption(server):
    """Two reference regions and an opdrachthoudende vereniging: the domains can change the advice
    (Regiodecreet art. 4), so the web asks for them with check boxes and keeps what was ticked."""
    target = {"name": "Zwembad over de regiogrens", "purpose": {"kind": "beheersoverdracht", "domains": ["sport", "toerisme"]},
              "partners": [{"name": "Leuven", "kind": "gemeente"}, {"name": "Mechelen", "kind": "gemeente"}],
              "needs": {"legal_personality": True, "own_staff": True, "own_assets": True}}
    seen = []
    with httpx.Client(base_url=server, timeout=30) as client:
        page = client.post("/vragen", data={"answers": json.dumps({k: v for k, v in target.items() if k != "purpose"}
                                                                   | {"purpose": {"kind": "beheersoverdracht"}})}).text
        for _ in range(20):
            if "Overzicht van uw antwoorden" in page:
                break
            qid = re.search(r'name="question" value="([^"]+)"', page).group(1)
            seen.append(qid)
            data = {"answers": json.dumps(_answers_from(page)), "question": qid, "action": "volgende"}
            q = next(x for x in questions() if x.id == qid)
            if qid == "domeinen":
                assert page.count('type="checkbox" name="value"') == 16 and "Regiodecreet art. 4" in page
                data["value"] = ["sport", "toerisme"]
            elif q.unknown:
                data["action"] = "weet_niet"
            elif q.type == "choice":
                data["value"] = next(iter(q.choices))
            page = client.post("/vragen", data=data).text
    assert "domeinen" in seen and "Sport (bv. een zwembad), Toerisme" in page
    answers = _answers_from(page)
    assert answers["purpose"]["domains"] == ["sport", "toerisme"]
    advice = advise(answers)
    assert "regio-4-mogelijke-uitzondering" in {f.rule for f in advice.findings}


@pytest.mark.parametrize("path", ["/vragen", "/advies", "/ontwerp", "/antwoorden"])
def test_hidden_answers_are_checked_like_the_api(server, path):
    tampered = {"name": "X", "purpose": {"kind": "project"}, "partners": [{"name": "A", "kind": "gemeent"}]}
    r = httpx.post(f"{server}{path}", data={"answers": json.dumps(tampered)}, timeout=30)
    assert r.status_code == 422 and "partners[0].kind" in r.text and "Wie neemt deel?" in r.text
    assert "De vragenlijst beantwoorden" in r.text  # a way back to the interview


def test_an_upload_with_a_wrong_field_is_refused_whole(server):
    content = yaml.safe_dump(dict(example("wijkwerken.yaml"), partners=[{"name": "Borgloon", "kind": "gemeent"}]))
    r = httpx.post(f"{server}/upload", files={"file": ("a.yaml", content.encode(), "application/x-yaml")}, timeout=30)
    assert r.status_code == 422 and "partners[0].kind" in r.text and "niets ervan is overgenomen" in r.text
    assert 'name="question"' not in r.text  # no interview carrying on with half of it
