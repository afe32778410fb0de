"""Browser tests in headless Chromium (Debian's package, driven by Playwright): fill in the
questionnaire for two examples, check the recommendation on the page, download a draft."""
import json
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


def submit(page, button):
    """Press a button of a server-rendered form and wait for the page it leads to: a bare click does
    not wait for the navigation, and a check right after it may still read the page before."""
    with page.expect_navigation():
        button.click()


def value_of(intent, path):
    value = get(intent, path)
    return None if value is MISSING else value


def fill_questionnaire(page, server, intent):
    page.goto(server + "/")
    submit(page, page.get_by_role("button", name="Vragenlijst starten"))
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
                submit(page, page.get_by_role("button", name="Deelnemer toevoegen"))
            submit(page, page.get_by_role("button", name="Klaar met deelnemers"))
        elif q.type == "tags":
            for tag in value or []:
                page.locator(f"input[name=value][value='{tag}']").check()
            submit(page, page.get_by_role("button", name="Volgende"))
        elif value is None and q.unknown:
            submit(page, page.get_by_role("button", name="Weet niet"))
        else:
            if q.type == "choice" and value is None:  # not in the file: the user picks the first
                page.locator("input[name=value]").first.check()
            elif q.type in ("choice", "bool") and value is not None:
                shown = {True: "ja", False: "nee"}.get(value, value)
                page.locator(f"input[name=value][value='{shown}']").check()
            elif q.type in ("text", "int") and value is not None:
                page.locator("#value").fill(str(value))
            submit(page, page.get_by_role("button", name="Volgende"))
    raise AssertionError("the questionnaire did not end")


@pytest.mark.parametrize("name, form", [("wijkwerken.yaml", "projectvereniging"),
                                        ("afval-private.yaml", "opdrachthoudende_vereniging_met_private_deelname")])
def test_questionnaire_to_advice_and_draft_in_the_browser(browser, server, tmp_path, name, form):
    intent = yaml.safe_load((ROOT / "examples" / name).read_text(encoding="utf-8"))
    page = browser.new_page(viewport={"width": 1100, "height": 900}, accept_downloads=True)
    fill_questionnaire(page, server, intent)
    submit(page, page.get_by_role("button", name="Advies tonen"))
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
    submit(page, page.get_by_role("button", name="Vragenlijst starten"))
    box = page.get_by_role("button", name="Volgende").bounding_box()
    assert box and box["x"] + box["width"] <= 768
    assert page.get_by_label("Uw antwoord").count() == 1  # the input is labelled
    page.close()


WIJKWERKEN = yaml.safe_load((ROOT / "examples" / "wijkwerken.yaml").read_text(encoding="utf-8"))
SHOTS = ROOT / "out" / "schermen"


def shoot(page, name):
    """Screenshots to look at (out/schermen); the tests do not depend on them."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def start(browser, server, width=1280):
    page = browser.new_page(viewport={"width": width, "height": 900})
    page.goto(server + "/")
    submit(page, page.get_by_role("button", name="Vragenlijst starten"))
    return page


def answer_text(page, value):
    page.locator("#value").fill(value)
    submit(page, page.get_by_role("button", name="Volgende"))


def add_partner(page, name, kind="gemeente"):
    page.get_by_label("Naam van deelnemer").fill(name)
    page.get_by_label("Soort deelnemer").select_option(kind)
    submit(page, page.get_by_role("button", name="Deelnemer toevoegen"))


def to_partners(page):
    answer_text(page, "Archeologie Zuiderkempen")
    page.get_by_label("Diensten verlenen aan de deelnemers").check()
    submit(page, page.get_by_role("button", name="Volgende"))
    page.get_by_label("Erfgoed").check()
    submit(page, page.get_by_role("button", name="Volgende"))
    answer_text(page, "Een archeologische dienst")


def test_no_option_is_pre_selected(browser, server):
    page = start(browser, server)
    answer_text(page, "Test")
    assert page.locator("input[type=radio]").count() == 3
    assert page.locator("input[type=radio]:checked").count() == 0  # the purpose: nothing chosen for the user
    submit(page, page.get_by_role("button", name="Volgende"))               # nothing chosen: asked again, in Dutch
    assert "Wat willen de gemeenten samen doen? Kies een antwoord." in page.locator("#fout").inner_text()
    page.get_by_label("Diensten verlenen aan de deelnemers").check()
    submit(page, page.get_by_role("button", name="Volgende"))
    submit(page, page.get_by_role("button", name="Volgende"))               # no domains ticked
    answer_text(page, "")
    add_partner(page, "Geel")
    add_partner(page, "Laakdal")
    submit(page, page.get_by_role("button", name="Klaar met deelnemers"))
    while page.locator("input[type=checkbox]").count():                # the sector roles: none
        submit(page, page.get_by_role("button", name="Volgende"))
    assert page.locator("legend").inner_text().startswith("Vertrouwen de gemeenten de taak exclusief toe")
    assert page.locator("input[type=radio]").count() == 2 and page.locator("input[type=radio]:checked").count() == 0
    assert page.get_by_text("Vraag 7 van hoogstens").count() == 1
    shoot(page, "vraag-1280")
    page.close()


def test_back_to_the_partner_list_keeps_the_partners_and_they_can_be_corrected(browser, server):
    page = start(browser, server)
    to_partners(page)
    add_partner(page, "Geel")
    add_partner(page, "Laakdl")
    add_partner(page, "Firma Janssens", "privaatrechtelijke_rechtspersoon")
    assert "Firma Janssens (privaatrechtelijke rechtspersoon)" in page.locator("ol.deelnemers").inner_text()
    assert "privaatrechtelijke_rechtspersoon" not in page.locator("main").inner_text()
    submit(page, page.get_by_role("button", name="Laakdl wijzigen"))
    assert page.get_by_label("Naam van deelnemer 2 (wijzigen)").input_value() == "Laakdl"
    page.get_by_label("Naam van deelnemer 2 (wijzigen)").fill("Laakdal")
    submit(page, page.get_by_role("button", name="Wijziging opslaan"))
    submit(page, page.get_by_role("button", name="Firma Janssens verwijderen"))
    shoot(page, "deelnemers-1280")
    submit(page, page.get_by_role("button", name="Klaar met deelnemers"))
    submit(page, page.get_by_role("button", name="Vorige vraag"))            # back to the list: kept
    assert page.locator("ol.deelnemers li").all_inner_texts()[0].startswith("Geel (gemeente)")
    assert [t.split(" (")[0] for t in page.locator("ol.deelnemers li span").all_inner_texts()] == ["Geel", "Laakdal"]
    submit(page, page.get_by_role("button", name="Vorige vraag"))            # further back: the description is kept
    assert page.locator("#value").input_value() == "Een archeologische dienst"
    submit(page, page.get_by_role("button", name="Volgende"))                # and forward: the partners again
    assert page.locator("ol.deelnemers li").count() == 2
    page.close()


def test_a_partner_typed_but_not_added_is_not_lost(browser, server):
    page = start(browser, server)
    to_partners(page)
    add_partner(page, "Geel")
    page.get_by_label("Naam van deelnemer").fill("Laakdal")            # typed, not added
    submit(page, page.get_by_role("button", name="Vorige vraag"))            # leaving: asked, not dropped
    assert "zonder hem toe te voegen" in page.locator("#fout").inner_text()
    assert page.get_by_label("Naam van deelnemer").input_value() == "Laakdal"
    submit(page, page.get_by_role("button", name="Klaar met deelnemers"))
    assert "Kies de soort deelnemer voor 'Laakdal'" in page.locator("#fout").inner_text()
    assert page.get_by_label("Naam van deelnemer").input_value() == "Laakdal"   # kept
    page.get_by_label("Soort deelnemer").select_option("gemeente")
    submit(page, page.get_by_role("button", name="Klaar met deelnemers"))    # kind given: added, then onward
    assert page.locator("input[name=question]").get_attribute("value") != "partners"
    answers = json.loads(page.locator("input[name=answers]").first.get_attribute("value"))
    assert [p["name"] for p in answers["partners"]] == ["Geel", "Laakdal"]
    page.close()


def test_an_answer_is_changed_from_the_overview(browser, server):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    fill_questionnaire(page, server, WIJKWERKEN)
    shoot(page, "overzicht-1280")
    submit(page, page.get_by_role("button", name="Wijzigen: Voor hoeveel jaar wordt de samenwerking opgezet?"))
    assert page.locator("#value").input_value() == str(WIJKWERKEN["duration_years"])
    page.locator("#value").fill("zes")                                 # wrong: named in Dutch, input kept
    submit(page, page.get_by_role("button", name="Opslaan en terug naar het overzicht"))
    assert page.locator("#fout").inner_text() == "Voor hoeveel jaar wordt de samenwerking opgezet? 'zes' is geen geheel getal."
    assert page.locator("#value").input_value() == "zes"
    page.locator("#value").fill("4")
    submit(page, page.get_by_role("button", name="Opslaan en terug naar het overzicht"))
    assert page.get_by_role("heading", name="Overzicht van uw antwoorden").count() == 1
    row = page.locator("tr", has_text="Voor hoeveel jaar")
    assert row.locator("td").first.inner_text() == "4"
    page.close()


@pytest.mark.parametrize("width", [1280, 400])
def test_the_advice_page_has_no_horizontal_overflow(browser, server, width):
    page = browser.new_page(viewport={"width": width, "height": 900})
    page.goto(server + "/")
    page.set_input_files("#file", str(ROOT / "examples" / "wijkwerken.yaml"))
    submit(page, page.get_by_role("button", name="Bestand laden"))
    assert page.locator("#aanbeveling [data-form]").get_attribute("data-form") == "projectvereniging"
    assert page.evaluate("document.documentElement.scrollWidth") <= page.evaluate("window.innerWidth")
    table = page.locator("table.vormen").bounding_box()
    assert table["x"] >= 0 and table["x"] + table["width"] <= width      # the recommended column is on screen
    assert page.locator("details.onderwerp").count() >= 3               # findings by subject, collapsible
    assert page.get_by_text("privaatrechtelijke_rechtspersoon").count() == 0
    shoot(page, f"advies-{width}")
    page.emulate_media(media="print")
    assert page.locator("#downloads").is_hidden()                       # the print style
    page.close()


def test_a_bad_upload_shows_the_field_errors_and_a_way_back(browser, server, tmp_path):
    bad = tmp_path / "antwoorden.yaml"
    bad.write_text(yaml.safe_dump(dict(WIJKWERKEN, partners=[{"name": "Borgloon", "kind": "gemeent"}])),
                   encoding="utf-8")
    for width in (1280, 400):
        page = browser.new_page(viewport={"width": width, "height": 900})
        page.goto(server + "/")
        page.set_input_files("#file", str(bad))
        submit(page, page.get_by_role("button", name="Bestand laden"))
        errors = page.locator("table.fouten").inner_text()
        assert "partners[0].kind" in errors and "'gemeent' is geen gekende" in errors and "Wie neemt deel?" in errors
        assert page.get_by_role("button", name="De vragenlijst beantwoorden").count() == 1
        assert page.get_by_role("link", name="Een ander bestand laden").count() == 1
        assert page.evaluate("document.documentElement.scrollWidth") <= page.evaluate("window.innerWidth")
        shoot(page, f"fout-{width}")
        submit(page, page.get_by_role("button", name="De vragenlijst beantwoorden"))
        assert page.locator("input[name=question]").get_attribute("value") == "naam"   # nothing half-accepted
        page.close()
