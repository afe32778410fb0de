"""The local web app (`igs-advisor serve`): the questionnaire with the same skip logic as the
terminal, the advice page, draft and answers downloads, an upload of an answers file, and a JSON
API. Thin: HTTP in, the same API out. Pages are server-rendered with the same Jinja environment;
the answers travel in a hidden field, so the server keeps no state.
"""
from __future__ import annotations

import json
from typing import Any, Iterable

import yaml
from fastapi import FastAPI, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from advisor.errors import AdvisorError, InputError, excerpt
from advisor.intake import load_data, load_upload, parse_intent
from advisor.questionnaire import (
    MISSING, Question, answered, by_id, check_partial, drop, following, get, intent_of, next_question, options,
    previous, progress, put_answer, question_of, questions, shown, validate_answer, validate_partners, why,
)
from advisor.render import PARTNER_KIND_LABELS, STATUS_LABELS, KIND_LABELS, render
from advisor.vocabulary import PartnerKind
from advisor.webguard import LOOPBACK, ClosingRoute, Guard

MEDIA = {"md": "text/markdown; charset=utf-8", "html": "text/html; charset=utf-8",
         "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
         "pdf": "application/pdf"}


HTTP_ERRORS = {  # Starlette's own refusals (a form it will not read, an unknown page), in Dutch
    400: ("body", "het formulier kan niet gelezen worden (een veld groter dan 1 MB, of meer dan 1.000 velden)"),
    404: ("", "deze pagina bestaat niet"),
    405: ("", "deze pagina kan zo niet opgevraagd worden"),
}


def _problems(exc: InputError) -> list[dict[str, str]]:
    out = []
    for line in exc.problems:
        field, _, message = line.partition(": ")
        out.append({"field": field, "message": message} if message else {"field": "", "message": line})
    return out


def _problem_rows(exc: InputError) -> list[tuple[str, str, str]]:
    """(question, field, message) for the error page: the API's field errors, with the question."""
    rows = []
    for p in _problems(exc):
        q = question_of(p["field"]) if p["field"] else None
        rows.append((q.text if q else "", p["field"], p["message"]))
    return rows


def _answers(raw: Any) -> dict[str, Any]:
    """The hidden answers of a form, through the input boundary like any other input."""
    if raw is not None and not isinstance(raw, str):
        raise InputError("antwoorden: de verborgen antwoorden zijn beschadigd; begin opnieuw")
    return check_partial(load_data(raw or "{}", "antwoorden", ".json"))


def _page(template: str, status: int = 200, **context: Any) -> HTMLResponse:
    return HTMLResponse(render(f"web/{template}", STATUS=STATUS_LABELS, KINDS=KIND_LABELS, **context), status_code=status)


def create_app(allowed_hosts: Iterable[str] = LOOPBACK) -> FastAPI:
    """The app; `allowed_hosts`: the names it answers to (advisor/webguard.py)."""
    app = FastAPI(title="igs-advisor", docs_url=None, redoc_url=None, openapi_url="/api/openapi.json")
    app.add_middleware(Guard, allowed_hosts=allowed_hosts)
    app.router.route_class = ClosingRoute

    @app.exception_handler(InputError)
    async def input_error(request: Request, exc: InputError) -> Response:
        if request.url.path.startswith("/api/"):
            return JSONResponse({"detail": _problems(exc)}, status_code=422)
        return _page("fout.html.j2", status=422, problems=_problem_rows(exc), title="Ongeldige invoer",
                     upload=request.url.path == "/upload")

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        field, message = HTTP_ERRORS.get(exc.status_code, ("", f"de aanvraag lukte niet (HTTP {exc.status_code})"))
        if request.url.path.startswith("/api/"):
            return JSONResponse({"detail": [{"field": field, "message": message}]}, status_code=exc.status_code)
        return _page("fout.html.j2", status=exc.status_code, problems=[("", field, message)],
                     title="Ongeldige aanvraag", upload=False)

    @app.exception_handler(AdvisorError)
    async def advisor_error(request: Request, exc: AdvisorError) -> Response:
        if request.url.path.startswith("/api/"):
            return JSONResponse({"detail": [{"field": "", "message": str(exc)}]}, status_code=500)
        return _page("fout.html.j2", status=500, problems=[("", "", str(exc))], title="Fout", upload=False)

    # ------------------------------------------------------------ pages
    @app.get("/", response_class=HTMLResponse)
    async def home() -> Response:
        from advisor.rulebase import default_rulebase
        return _page("start.html.j2", title="Advies intergemeentelijke samenwerking",
                     form_labels=default_rulebase().form_labels, most=progress({}, questions()[0])[1])

    @app.api_route("/vragen", methods=["GET", "POST"], response_class=HTMLResponse)
    async def questionnaire(request: Request) -> Response:
        form = await request.form() if request.method == "POST" else {}
        answers = _answers(form.get("answers"))
        return await run_in_threadpool(_questionnaire_step, answers, form)

    @app.post("/advies", response_class=HTMLResponse)
    async def advice_page(request: Request) -> Response:
        form = await request.form()
        answers = _answers(form.get("answers"))
        return await run_in_threadpool(_advice_page, answers)

    @app.post("/upload", response_class=HTMLResponse)
    async def upload(request: Request) -> Response:
        form = await request.form()
        upload, raw = await _uploaded(form, "kies een antwoordenbestand (.yaml of .json)")
        data = check_partial(load_upload(raw, upload.filename), upload.filename or "bestand")  # refused whole
        try:
            parse_intent(intent_of(data), upload.filename or "bestand")
        except InputError:  # right so far but not complete: the interview goes on where the file stopped
            nxt = await run_in_threadpool(next_question, data)
            if nxt is None:
                raise
            return await run_in_threadpool(_question_page, nxt, data)
        return await run_in_threadpool(_advice_page, data)

    @app.post("/statuten", response_class=HTMLResponse)
    async def check_statutes(request: Request) -> Response:
        form = await request.form()
        asked = str(form.get("form") or "") or None
        day = str(form.get("date") or "").strip() or None
        upload, raw = await _uploaded(form, "kies statuten of een overeenkomst (.docx, .pdf, .md, .txt of .html)")
        return await run_in_threadpool(_statutes_page, raw, upload.filename or "bestand", asked, day)

    @app.post("/antwoorden")
    async def download_answers(request: Request) -> Response:
        form = await request.form()
        answers = _answers(form.get("answers"))
        text = "# Antwoorden van igs-advisor: een samenwerkingsintentie (null = weet niet)\n" + \
            yaml.safe_dump(answers, allow_unicode=True, sort_keys=False)
        return Response(text, media_type="application/x-yaml",
                        headers={"Content-Disposition": 'attachment; filename="antwoorden.yaml"'})

    @app.post("/ontwerp")
    async def download_draft(request: Request) -> Response:
        form = await request.form()
        return await run_in_threadpool(_draft_response, intent_of(_answers(form.get("answers"))),
                                       form.get("format", "md"), form.get("form") or None)

    @app.post("/adviesnota")
    async def download_note(request: Request) -> Response:
        form = await request.form()
        return await run_in_threadpool(_note_response, intent_of(_answers(form.get("answers"))),
                                       form.get("format", "pdf"))

    # ------------------------------------------------------------ JSON API
    @app.post("/api/advice")
    async def api_advice(request: Request) -> Response:
        from advisor.advise import advise
        intent = await _json_body(request)
        advice = await run_in_threadpool(advise, intent)
        return JSONResponse(advice.model_dump(mode="json"))

    @app.post("/api/draft")
    async def api_draft(request: Request, format: str = "md", form: str | None = None) -> Response:
        intent = await _json_body(request)
        return await run_in_threadpool(_draft_response, intent, format, form)

    @app.get("/api/articles")
    async def api_articles(law: str | None = None) -> Response:
        from advisor.articles import article_index
        articles = await run_in_threadpool(article_index, law)
        return JSONResponse({"articles": [a.model_dump() for a in articles]})

    return app


async def _uploaded(form: Any, hint: str) -> tuple[Any, bytes]:
    """The file of an upload form (field 'file') and its bytes; the form is closed after reading."""
    upload = form.get("file")
    if upload is None or isinstance(upload, str):
        await form.close()
        raise InputError(f"bestand: {hint}")
    raw = await upload.read()
    await form.close()
    return upload, raw


def _statutes_page(raw: bytes, filename: str, form: str | None, day: str | None) -> HTMLResponse:
    import datetime as dt

    from advisor.statutes import check_file
    from advisor.statutes.report import summary
    from advisor.vocabulary import Form
    if form is not None and form not in {f.value for f in Form}:
        raise InputError(f"form: {excerpt(form)} is geen rechtsvorm; kies uit: {', '.join(f.value for f in Form)}")
    try:
        date = dt.date.fromisoformat(day) if day else None
    except ValueError:
        raise InputError(f"date: {excerpt(day)} is geen datum in de vorm JJJJ-MM-DD") from None
    report = check_file(raw, filename, form, date)
    return _page("statuten.html.j2", title=f"Toetsing: {filename}", r=report, summary=summary(report))


async def _json_body(request: Request) -> Any:
    body = await request.body()
    if not body.strip():
        raise InputError("body: de aanvraag bevat geen samenwerkingsintentie (JSON)")
    return load_data(body, "body", ".json")


PARTNER_FIELDS = ("partner_name", "partner_kind", "partner_sector")


def _questionnaire_step(answers: dict[str, Any], form: Any) -> HTMLResponse:
    """One step of the web questionnaire: the action on the question shown -> the next page. Going
    back shows the previous answer as given; nothing answered is dropped by moving around."""
    action = str(form.get("action", ""))
    current = by_id(form.get("question"))
    to_overview = form.get("terug_naar") == "overzicht"
    if current is None:
        if action == "terug":  # from the overview: the last answer
            last = previous(answers, None)
            if last is not None:
                return _question_page(last, answers)
        nxt = next_question(answers)
        return _question_page(nxt, answers) if nxt else _overview_page(answers)
    if action == "wijzig":  # from the overview
        return _question_page(current, answers, to_overview=True)
    if current.type == "partners":
        return _partners_step(current, answers, form, action, to_overview)
    if action == "terug":
        return _back(current, answers)
    revisited = answered(answers, current)
    raw = ("weet niet" if action == "weet_niet" else form.getlist("value") if current.type == "tags"
           else form.get("value"))
    try:
        answers = put_answer(answers, current, validate_answer(current, raw, blank_is_unknown=False))
    except InputError as exc:
        return _question_page(current, answers, " ".join(exc.problems), typed=raw, to_overview=to_overview)
    return _onward(current, answers, to_overview, revisited)


def _back(current: Question, answers: dict[str, Any]) -> HTMLResponse:
    before = previous(answers, current.id)
    return _question_page(before or current, answers)


def _onward(current: Question, answers: dict[str, Any], to_overview: bool, revisited: bool) -> HTMLResponse:
    """After an answer: the next question (a kept answer shown again, or a new one), or the overview;
    changed from the overview: back to it, unless the change opened a question still to answer."""
    nxt = next_question(answers) if to_overview else following(answers, current.id, revisited)
    if nxt is None:
        return _overview_page(answers)
    return _question_page(nxt, answers, to_overview=to_overview)


def _partners_step(q: Question, answers: dict[str, Any], form: Any, action: str, to_overview: bool) -> HTMLResponse:
    existing = get(answers, q.field)
    partners: list[dict[str, Any]] = list(existing) if isinstance(existing, list) else []
    revisited = form.get("eerder") == "1"  # the list was complete before (going back, the overview)
    typed = {key: str(form.get(key, "")).strip() for key in PARTNER_FIELDS}
    editing = _index(form.get("partner_index"), partners)

    def page(error: str | None = None, keep: bool = True, index: int | None = editing) -> HTMLResponse:
        return _question_page(q, answers, error, typed=typed if keep else None, to_overview=to_overview,
                              editing=index, revisit=revisited)

    if action.startswith("bewerk:"):
        index = _index(action.partition(":")[2], partners)
        if index is None:
            return page("Die deelnemer staat niet (meer) in de lijst.", keep=False, index=None)
        p = partners[index]
        typed = {"partner_name": p["name"], "partner_kind": p["kind"], "partner_sector": p.get("sector", "")}
        return page(index=index)
    if action.startswith("verwijder:"):
        index = _index(action.partition(":")[2], partners)
        if index is not None:
            partners.pop(index)
            answers = put_answer(answers, q, partners) if partners else drop(answers, q.field)
        return page(keep=False, index=None)
    if action == "volgende":  # the partner list as a step like any other
        action = "klaar"
    pending = any(typed.values())
    if action == "terug":  # a partner typed but not added is not dropped: the user is asked
        return page(f"{q.text} U vulde een deelnemer in zonder hem toe te voegen: voeg hem toe of maak de "
                    "velden leeg, en ga dan terug.") if pending else _back(q, answers)
    if action == "toevoegen" or (action == "klaar" and pending):
        if not typed["partner_name"]:
            return page(f"{q.text} Geef de naam van de deelnemer" + (" of maak de velden leeg." if action == "klaar" else "."))
        if typed["partner_kind"] not in {k.value for k in PartnerKind}:
            return page(f"{q.text} Kies de soort deelnemer voor '{typed['partner_name']}'"
                        + (" (of maak de naam leeg om zonder deze deelnemer verder te gaan)." if action == "klaar" else "."))
        partner = {"name": typed["partner_name"], "kind": typed["partner_kind"]}
        if typed["partner_kind"] == PartnerKind.privaatrechtelijke_rechtspersoon.value and typed["partner_sector"]:
            partner["sector"] = typed["partner_sector"]
        if editing is not None:
            partners[editing] = partner
        else:
            partners.append(partner)
        try:
            answers = put_answer(answers, q, validate_partners(q, partners))
        except InputError as exc:
            return page(" ".join(exc.problems))
        if action == "toevoegen":
            return page(keep=False, index=None)
    if action == "klaar":
        if not partners:
            return page(f"{q.text} Voeg minstens één deelnemer toe.")
        return _onward(q, answers, to_overview, revisited)
    return page(keep=False, index=None)


def _index(raw: Any, items: list[Any]) -> int | None:
    try:
        index = int(str(raw))
    except ValueError:
        return None
    return index if 0 <= index < len(items) else None


def _shown_value(q: Question, answers: dict[str, Any], typed: Any) -> Any:
    """What the form shows as chosen or typed: what was just typed (after an error), else the answer
    given before (going back, changing from the overview), else nothing: no option is pre-selected."""
    if typed is not None:
        return typed
    value = get(answers, q.field)
    if value is MISSING:
        return None
    if q.type == "bool":
        return {True: "ja", False: "nee"}.get(value)
    return value


def _question_page(q: Question, answers: dict[str, Any], error: str | None = None, typed: Any = None,
                   to_overview: bool = False, editing: int | None = None, revisit: bool | None = None) -> HTMLResponse:
    reason = why(q, answers)
    partners = get(answers, q.field) if q.type == "partners" else None
    value = _shown_value(q, answers, typed if q.type != "partners" else None)
    return _page("vraag.html.j2", title=q.text, q=q, error=error, reason=reason,
                 answers_json=json.dumps(answers, ensure_ascii=False), progress=progress(answers, q),
                 partners=partners if isinstance(partners, list) else [],
                 value=value, ticked=value if isinstance(value, list) else [],
                 typed=typed if q.type == "partners" and isinstance(typed, dict) else {},
                 editing=editing, to_overview=to_overview, revisit=answered(answers, q) if revisit is None else revisit, unknown_given=get(answers, q.field) is None,
                 kinds=[(k.value, PARTNER_KIND_LABELS[k]) for k in PartnerKind], KIND_OF=PARTNER_KIND_LABELS,
                 choices=options(q, answers),
                 has_previous=previous(answers, q.id) is not None)


def _overview_page(answers: dict[str, Any]) -> HTMLResponse:
    rows = [(q, shown(q, get(answers, q.field))) for q in questions() if answered(answers, q)]  # all the advice uses
    return _page("overzicht.html.j2", title="Overzicht van uw antwoorden", rows=rows,
                 answers_json=json.dumps(answers, ensure_ascii=False))


def _advice_page(answers: dict[str, Any]) -> HTMLResponse:
    from advisor.advise import advise
    from advisor.insight import compare
    from advisor.rulebase import default_rulebase
    from advisor.topics import topics
    intent = intent_of(answers)
    advice = advise(intent)
    forms = compare(intent)
    shown_elsewhere = ("recommendation", "exclusion")  # on top, and under each form's reasons
    grouped = [(t, [f for f in advice.findings if f.topic == t.code and f.kind not in shown_elsewhere])
               for t in topics()]
    return _page("advies.html.j2", title=f"Advies: {advice.name}", advice=advice, forms=forms,
                 recommendations=[f for f in advice.findings if f.kind == "recommendation"],
                 grouped=[(t, items) for t, items in grouped if items], labels=default_rulebase().form_labels,
                 answers_json=json.dumps(answers, ensure_ascii=False))


def _draft_response(intent: Any, fmt: str, form: str | None) -> Response:
    from advisor.drafts import FORMATS, draft
    if fmt not in FORMATS:
        raise InputError(f"format: {excerpt(fmt)} is geen ontwerpformaat; kies uit: {', '.join(FORMATS)}")
    result = draft(intent, form, fmt)
    name = f"ontwerp-{result.document}.{fmt}"
    return Response(result.content, media_type=MEDIA[fmt],
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})


def _note_response(intent: Any, fmt: str) -> Response:
    from advisor.adviesnota import FORMATS, adviesnota
    from advisor.advise import advise
    if fmt not in FORMATS:
        raise InputError(f"format: {excerpt(fmt)} is geen formaat voor de adviesnota; kies uit: {', '.join(FORMATS)}")
    intent = parse_intent(intent)
    content = adviesnota(advise(intent), fmt, intent=intent)
    return Response(content, media_type=MEDIA[fmt],
                    headers={"Content-Disposition": f'attachment; filename="adviesnota.{fmt}"'})
