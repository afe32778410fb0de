"""The terminal interview, driven for real through a pseudo-terminal (pexpect)."""
import os
import re
import sys
import time
from pathlib import Path

import pexpect
import yaml

from advisor import advise

EXE = str(Path(sys.executable).with_name("igs-advisor"))
DOWN, ENTER = "\x1b[B", "\r"


def spawn(args, cwd):
    # PROMPT_TOOLKIT_NO_CPR: pexpect does not answer cursor-position requests; without it keys
    # typed while prompt_toolkit waits for that answer can be swallowed
    env = {"TERM": "xterm", "PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(cwd),
           "IGS_ADVISOR_CACHE_DIR": str(cwd / "cache"), "PROMPT_TOOLKIT_NO_CPR": "1"}
    return pexpect.spawn(EXE, args, cwd=str(cwd), encoding="utf-8", timeout=30, dimensions=(60, 180), env=env)


def select(child, question, downs=0, last="Vorige vraag"):
    """Wait until the whole menu is drawn (its last option), then move and choose."""
    child.expect(question)
    child.expect(last)
    time.sleep(0.15)
    child.send(DOWN * downs + ENTER)
    child.expect(FINISHED)


RENDERED = r"\x1b\[\?25h"  # prompt_toolkit shows the cursor when the prompt is drawn
FINISHED = r"\x1b\[\?2004l"  # and leaves bracketed-paste mode when the prompt is answered


def text(child, question, answer, ready=RENDERED):
    child.expect(question)
    child.expect(ready)
    time.sleep(0.15)
    child.sendline(answer)
    child.expect(FINISHED)


def test_a_full_interview_interrupted_resumed_to_advice_and_draft(tmp_path, server):
    answers = tmp_path / "antwoorden.yaml"
    child = spawn(["ask", "-o", str(answers)], tmp_path)
    child.expect("Welkom bij igs-advisor")
    child.expect("Vraag 1 van hoogstens")
    text(child, "werknaam", "Erfgoed Dijleland")
    select(child, "samen doen")                                        # project
    child.expect("Vraag 3 van hoogstens"); child.expect("beleidsdomeinen")
    child.expect("Vorige vraag"); time.sleep(0.15); child.send(ENTER); child.expect(FINISHED)   # none ticked
    text(child, "doel in", "Onroerend-erfgoedwerking", ready=RENDERED)
    for name in ("Leuven", "Herent"):
        text(child, "deelnemer", name, ready=RENDERED)
        select(child, "Soort deelnemer", last="privaatrechtelijke rechtspersoon")   # gemeente
        if name == "Leuven":
            select(child, "Wat wilt u doen", last="Vorige vraag")       # one partner: add another
    select(child, "Wat wilt u doen", last="Vorige vraag")               # two: Klaar met deelnemers
    while child.expect(["sectordecreet", "rechtspersoon"]) < 1:         # tick nothing
        child.expect("Vorige vraag"); time.sleep(0.15); child.send(ENTER); child.expect(FINISHED)
    child.expect("Vorige vraag"); time.sleep(0.15); child.send(ENTER); child.expect(FINISHED)   # Ja
    if child.expect(["zelf personeel", "hoeveel jaar"]) == 0:           # asked only when it still matters
        child.expect("Vorige vraag"); time.sleep(0.15); child.send(DOWN + ENTER)   # Nee
        child.expect("hoeveel jaar")
    child.expect(RENDERED); time.sleep(0.15); child.sendline("zes")     # invalid: validated
    child.expect("Voor hoeveel jaar wordt de samenwerking opgezet\\? 'zes' is geen geheel getal")
    child.expect("hoeveel jaar"); child.expect("zes")                 # asked again with what was typed
    child.expect(RENDERED); time.sleep(0.15); child.sendline("\x7f" * 3 + "6"); child.expect(FINISHED)
    child.expect("welk jaar"); child.expect(RENDERED); time.sleep(0.15)
    child.sendintr()                                                    # Ctrl-C: nothing lost
    child.expect("Onderbroken"); child.expect(pexpect.EOF)
    saved = yaml.safe_load(answers.read_text(encoding="utf-8"))
    assert saved["duration_years"] == 6 and saved["needs"]["legal_personality"] is True
    assert [p["name"] for p in saved["partners"]] == ["Leuven", "Herent"]
    assert "spatial_planning" not in saved  # no spatial domain: no spatial-planning questions

    child = spawn(["ask", "--resume", str(answers)], tmp_path)
    text(child, "welk jaar", "..", ready=RENDERED)                # back to the duration: 6 is kept
    child.expect("hoeveel jaar"); child.expect(RENDERED); time.sleep(0.15)
    child.send(ENTER); child.expect(FINISHED)                      # Enter keeps the answer
    assert yaml.safe_load(answers.read_text(encoding="utf-8"))["duration_years"] == 6
    text(child, "welk jaar", "2027", ready=RENDERED)
    for _ in range(12):                                                  # remaining: first option or empty
        i = child.expect(["Wat nu\\?", r"\(pijltjes", "Leeg laten mag"])  # prompts only, not the review list
        if i == 0:
            break
        if i == 1:
            child.expect("Vorige vraag"); time.sleep(0.15); child.send(ENTER)
        else:
            child.expect(RENDERED); time.sleep(0.15); child.sendline("")
        child.expect(FINISHED)
    child.expect("Een antwoord wijzigen"); time.sleep(0.15); child.send(ENTER)   # Advies tonen
    child.expect("AANBEVOLEN RECHTSVORM: PROJECTVERENIGING")
    select(child, "Ontwerp schrijven", downs=1, last="Word")            # Markdown
    child.expect("Bestandsnaam"); time.sleep(0.15); child.send(ENTER)
    child.expect("Ontwerp geschreven"); child.expect(pexpect.EOF)
    assert (tmp_path / "ontwerp.md").read_text(encoding="utf-8").startswith("# Statuten van de projectvereniging Erfgoed Dijleland")
    final = yaml.safe_load(answers.read_text(encoding="utf-8"))
    from advisor.questionnaire import intent_of
    assert advise(intent_of(final)).recommended_form == "projectvereniging"
    # the answers file is an intent file: `igs-advisor advise` on it gives the same advice
    import json
    import subprocess
    cli = subprocess.run([EXE, "advise", str(answers), "--format", "json"], capture_output=True, text=True,
                         env={**os.environ, "IGS_ADVISOR_CACHE_DIR": str(tmp_path / "cache")})
    assert cli.returncode == 0, cli.stderr
    assert json.loads(cli.stdout) == advise(final).model_dump(mode="json")

    # the web questionnaire, given the same answers, writes the same answers file
    from test_web import replay_in_web
    assert replay_in_web(server, final) == final


def test_the_domains_question_is_a_checkbox_list_in_the_terminal(tmp_path):
    """Resume just before the domains question (two reference regions, an opdrachthoudende
    vereniging): tick Sport with the space bar and the answers file keeps it."""
    answers = tmp_path / "antwoorden.yaml"
    answers.write_text(yaml.safe_dump({
        "name": "Zwembad over de regiogrens", "purpose": {"kind": "beheersoverdracht", "description": "Zwembad",
                                                                         "sector_roles": [], "exclusive": True},
        "partners": [{"name": "Leuven", "kind": "gemeente"}, {"name": "Mechelen", "kind": "gemeente"}],
        "needs": {"legal_personality": True, "own_staff": True, "own_assets": True}}, allow_unicode=True), encoding="utf-8")
    child = spawn(["ask", "--resume", str(answers)], tmp_path)
    child.expect("beleidsdomeinen")
    child.expect("Vorige vraag"); time.sleep(0.15)
    child.send(DOWN * 9 + " " + ENTER)                                  # the tenth box: Sport
    child.expect(FINISHED)
    child.expect("hoeveel jaar"); child.expect(RENDERED); time.sleep(0.15)   # the next question is drawn
    child.sendintr(); child.expect("Onderbroken"); child.expect(pexpect.EOF)
    saved = yaml.safe_load(answers.read_text(encoding="utf-8"))
    assert saved["purpose"]["domains"] == ["sport"]


# ---------------------------------------------------------------- at 80 columns
ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]|\x1b[()][A-Z0-9]|\r")


def spawn80(args, cwd):
    child = spawn(args, cwd)
    child.setwinsize(24, 80)
    return child


def plain(output: str) -> list[str]:
    return ANSI.sub("", output).split("\n")


def test_ask_never_overwrites_an_existing_file_unasked(tmp_path):
    kept = tmp_path / "notities.yaml"
    kept.write_text("boodschappen: [melk, brood]\n", encoding="utf-8")
    child = spawn80(["ask", "-o", str(kept)], tmp_path)
    child.expect("bestaat al en wordt niet overschreven"); child.expect("--overwrite"); child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 2 and kept.read_text(encoding="utf-8") == "boodschappen: [melk, brood]\n"
    child = spawn80(["ask", "--resume", str(kept)], tmp_path)  # not an answers file: refused, untouched
    child.expect("geen antwoordenbestand"); child.expect("boodschappen"); child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 2 and kept.read_text(encoding="utf-8") == "boodschappen: [melk, brood]\n"
    child = spawn80(["ask", "-o", str(kept), "--overwrite"], tmp_path)  # asked for: allowed
    text(child, "werknaam", "Nieuw")
    child.expect("samen doen"); child.sendintr(); child.expect("Onderbroken"); child.expect(pexpect.EOF)
    assert yaml.safe_load(kept.read_text(encoding="utf-8")) == {"name": "Nieuw"}


def choose(child, question, keys, last="Vorige vraag"):
    child.expect(question); child.expect(last); time.sleep(0.15)
    child.send(keys + ENTER); child.expect(FINISHED)


UP = "\x1b[A"


def test_a_partner_is_corrected_and_removed_in_the_terminal(tmp_path):
    answers = tmp_path / "antwoorden.yaml"
    answers.write_text(yaml.safe_dump({"name": "Test", "purpose": {"kind": "project", "domains": [],
                                                                    "description": "Test"}}), encoding="utf-8")
    child = spawn80(["ask", "--resume", str(answers)], tmp_path)
    text(child, "Naam van deelnemer 1", "Leuven")
    choose(child, "Soort deelnemer", "", last="privaatrechtelijke")      # gemeente
    choose(child, "Wat wilt u doen", "")                                # one partner: add another
    text(child, "Naam van deelnemer 2", "Herent")
    choose(child, "Soort deelnemer", "", last="privaatrechtelijke")
    choose(child, "Wat wilt u doen", UP * 2)                            # from Klaar up to: wijzigen
    choose(child, "Welke deelnemer wijzigen", DOWN, last="Geen")        # Herent
    text(child, "Naam van deelnemer 2", "\x7f" * 6 + "Kortenberg")      # the old name is the default
    choose(child, "Soort deelnemer", "", last="privaatrechtelijke")      # Enter keeps gemeente
    child.expect("2. Kortenberg \\(gemeente\\)")
    choose(child, "Wat wilt u doen", UP)                                # verwijderen
    choose(child, "Welke deelnemer verwijderen", "", last="Geen")       # Leuven
    child.expect("Leuven is verwijderd")
    choose(child, "Wat wilt u doen", "")                                # one partner: add another
    text(child, "Naam van deelnemer 2", "Bertem")
    choose(child, "Soort deelnemer", "", last="privaatrechtelijke")
    choose(child, "Wat wilt u doen", "")                                # Klaar met deelnemers
    child.expect("sectordecreet"); child.expect("Vorige vraag"); time.sleep(0.15)
    child.sendintr(); child.expect("Onderbroken"); child.expect(pexpect.EOF)
    saved = yaml.safe_load(answers.read_text(encoding="utf-8"))
    assert saved["partners"] == [{"name": "Kortenberg", "kind": "gemeente"}, {"name": "Bertem", "kind": "gemeente"}]


def test_hints_wrap_at_80_columns_and_the_back_hint_is_visible(tmp_path):
    answers = tmp_path / "antwoorden.yaml"
    answers.write_text(yaml.safe_dump({"name": "Test", "purpose": {"kind": "project", "domains": []}}),
                       encoding="utf-8")
    child = spawn80(["ask", "--resume", str(answers)], tmp_path)
    child.expect("Omschrijf het doel")
    lines = plain(child.before)
    child.expect(RENDERED)
    assert max(len(line) for line in lines) <= 80
    assert any(line.strip() == "Leeg laten mag. '..' = vorige vraag." for line in lines)
    assert sum("Leeg laten mag" in line for line in lines) == 1   # once, not twice
    welcome = " ".join(line.strip() for line in lines)
    assert "Welkom bij igs-advisor" in welcome and "U krijgt hoogstens" in welcome and "--resume" in welcome
    child.sendintr(); child.expect(pexpect.EOF)


def test_the_help_is_dutch_and_wrapped_at_80_columns(tmp_path):
    child = spawn80(["ask", "--help"], tmp_path)
    child.expect(pexpect.EOF)
    lines = plain(child.before)
    out = "\n".join(lines)
    assert "gebruik: igs-advisor ask" in out and "opties:" in out and "toon deze hulp en stop" in out
    assert "--overwrite" in out and "BESTAND" in out
    for english in ("usage", "options", "show this help", "positional arguments", "ANSWERS_OUT"):
        assert english not in out
    assert max(len(line) for line in lines) <= 80
    child = spawn80(["train", "--help"], tmp_path)
    child.expect(pexpect.EOF)
    out = "\n".join(plain(child.before))
    assert "Antwoordenblad" in out and "gebruik:" in out


def test_ask_without_a_terminal_says_so(tmp_path):
    import subprocess
    proc = subprocess.run([EXE, "ask", "-o", str(tmp_path / "a.yaml")], stdin=subprocess.DEVNULL, capture_output=True,
                          text=True, env={**os.environ, "IGS_ADVISOR_CACHE_DIR": str(tmp_path / "cache")}, timeout=60)
    assert proc.returncode == 2 and "terminal nodig" in proc.stderr and "interne fout" not in proc.stderr
    assert not (tmp_path / "a.yaml").exists()


def test_an_answer_is_changed_from_the_terminal_overview(tmp_path):
    answers = tmp_path / "antwoorden.yaml"
    from advisor.questionnaire import next_question, put
    complete = yaml.safe_load((Path(__file__).parent.parent / "examples" / "wijkwerken.yaml").read_text(encoding="utf-8"))
    while (q := next_question(complete)) is not None:  # what the example leaves open: none, or weet niet
        complete = put(complete, q.field, [] if q.type == "tags" else None if q.unknown or q.optional
                       else next(iter(q.choices)))
    answers.write_text(yaml.safe_dump(complete, allow_unicode=True), encoding="utf-8")
    child = spawn80(["ask", "--resume", str(answers)], tmp_path)
    child.expect("Overzicht van uw antwoorden")
    choose(child, "Wat nu", DOWN, last="Een antwoord wijzigen")          # Een antwoord wijzigen
    choose(child, "Welke vraag", "", last="Geen")                       # the first: the name
    text(child, "werknaam", "\x15Wijk-Werken Sint-Truiden")            # Ctrl-U clears the old name
    child.expect("Overzicht van uw antwoorden"); child.expect("Wijk-Werken Sint-Truiden")
    child.expect("Een antwoord wijzigen"); time.sleep(0.15); child.sendintr(); child.expect(pexpect.EOF)
    saved = yaml.safe_load(answers.read_text(encoding="utf-8"))
    assert saved["name"] == "Wijk-Werken Sint-Truiden" and saved["partners"] == complete["partners"]
