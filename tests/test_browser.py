"""Browser tests in headless Chromium (Debian's package, driven by Playwright): fill in the
questionnaire for two examples, check the recommendation on the page, download a draft."""
import shutil

import docx
import pytest
import yaml

from advisor.questionnaire import MISSING, get, questions
from advisor.paths import ROOT

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed (.ci/run installs it)")
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield b
        b.close()


def value_of(intent, path):
    value = get(intent, path)
    return None if value is MISSING else value


def fill_questionnaire(page, server, intent):
    page.goto(server + "/")
    page.get_by_role("button", name="Vragenlijst starten").click()
    for _ in range(40):
        if page.get_by_role("heading", name="Overzicht van uw antwoorden").count():
            return
        qid = page.locator("input[name=question]").get_attribute("value")
        q = next(x for x in questions() if x.id == qid)
        value = value_of(intent, q.field)
        if q.type == "partners":
            for p in intent["partners"]:
                page.get_by_label("Naam van deelnemer").fill(p["name"])
                page.get_by_label("Soort deelnemer").select_option(p["kind"])
                if p.get("sector"):
                    page.get_by_label("Sector").fill(p["sector"])
                page.get_by_role("button", name="Deelnemer toevoegen").click()
            page.get_by_role("button", name="Klaar met deelnemers").click()
        elif q.type == "tags":
            for tag in value or []:
                page.locator(f"input[name=value][value='{tag}']").check()
            page.get_by_role("button", name="Volgende").click()
        elif value is None and q.unknown:
            page.get_by_role("button", name="Weet niet").click()
        else:
            if q.type in ("choice", "bool") and value is not None:
                shown = {True: "ja", False: "nee"}.get(value, value)
                page.locator(f"input[name=value][value='{shown}']").check()
            elif q.type in ("text", "int") and value is not None:
                page.locator("#value").fill(str(value))
            page.get_by_role("button", name="Volgende").click()
    raise AssertionError("the questionnaire did not end")


@pytest.mark.parametrize("name, form", [("wijkwerken.yaml", "projectvereniging"),
                                        ("afval-private.yaml", "opdrachthoudende_vereniging_met_private_deelname")])
def test_questionnaire_to_advice_and_draft_in_the_browser(browser, server, tmp_path, name, form):
    intent = yaml.safe_load((ROOT / "examples" / name).read_text(encoding="utf-8"))
    page = browser.new_page(viewport={"width": 1100, "height": 900}, accept_downloads=True)
    fill_questionnaire(page, server, intent)
    page.get_by_role("button", name="Advies tonen").click()
    assert page.locator("#aanbeveling [data-form]").get_attribute("data-form") == form
    assert page.get_by_role("heading", name="De vijf vormen naast elkaar").count() == 1
    page.screenshot(path=str(tmp_path / "advies.png"), full_page=False)
    with page.expect_download() as info:
        page.get_by_role("button", name="Ontwerp (Word)").click()
    target = tmp_path / "ontwerp.docx"
    info.value.save_as(target)
    assert docx.Document(str(target)).paragraphs[0].text.startswith("Statuten")
    with page.expect_download() as info:
        page.get_by_role("button", name="Antwoorden (.yaml)").click()
    with open(info.value.path(), encoding="utf-8") as handle:
        answers = yaml.safe_load(handle)
    assert answers["partners"] == intent["partners"]
    page.close()


def test_tablet_width_keeps_the_form_usable(browser, server):
    page = browser.new_page(viewport={"width": 768, "height": 1024})
    page.goto(server + "/")
    page.get_by_role("button", name="Vragenlijst starten").click()
    box = page.get_by_role("button", name="Volgende").bounding_box()
    assert box and box["x"] + box["width"] <= 768
    assert page.get_by_label("Uw antwoord").count() == 1  # the input is labelled
    page.close()
