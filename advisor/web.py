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
from advisor.intake import load_data, load_upload, parse_answers, parse_intent
from advisor.questionnaire import (
    Question, answered, drop, get, intent_of, next_question, put, questions, shown, validate_answer, why,
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


def _answers(raw: Any) -> dict[str, Any]:
    """The hidden answers of a form, through the input boundary like any other input."""
    if raw is not None and not isinstance(raw, str):
        raise InputError("antwoorden: de verborgen antwoorden zijn beschadigd; begin opnieuw")
    return parse_answers(load_data(raw or "{}", "antwoorden", ".json"))


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
        return _page("fout.html.j2", status=422, problems=exc.problems, title="Ongeldige invoer")

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        field, message = HTTP_ERRORS.get(exc.status_code, ("", f"de aanvraag lukte niet (HTTP {exc.status_code})"))
        if request.url.path.startswith("/api/"):
            return JSONResponse({"detail": [{"field": field, "message": message}]}, status_code=exc.status_code)
        return _page("fout.html.j2", status=exc.status_code, problems=[f"{field}: {message}" if field else message],
                     title="Ongeldige aanvraag")

    @app.exception_handler(AdvisorError)
    async def advisor_error(request: Request, exc: AdvisorError) -> Response:
        if request.url.path.startswith("/api/"):
            return JSONResponse({"detail": [{"field": "", "message": str(exc)}]}, status_code=500)
        return _page("fout.html.j2", status=500, problems=[str(exc)], title="Fout")

    # ------------------------------------------------------------ pages
    @app.get("/", response_class=HTMLResponse)
    async def home() -> Response:
        from advisor.rulebase import default_rulebase
        return _page("start.html.j2", title="Advies intergemeentelijke samenwerking",
                     form_labels=default_rulebase().form_labels)

    @app.api_route("/vragen", methods=["GET", "POST"], response_class=HTMLResponse)
    async def questionnaire(request: Request) -> Response:
        form = await request.form() if request.method == "POST" else {}
        answers = _answers(form.get("answers"))
        action = form.get("action", "")
        current = next((q for q in questions() if q.id == form.get("question")), None)
        error = None
        if current is not None and action == "terug":
            done = [q for q in questions() if answered(answers, q)]
            if done:
                answers = drop(answers, done[-1].field)
            current = None
        elif current is not None and current.type == "partners" and action == "toevoegen":
            name = str(form.get("partner_name", "")).strip()
            kind = form.get("partner_kind", "")
            if not name:
                error = "Geef de naam van de deelnemer."
            elif kind not in {k.value for k in PartnerKind}:
                error = "Kies de soort deelnemer."
            else:
                partner = {"name": name, "kind": kind}
                sector = str(form.get("partner_sector", "")).strip()
                if kind == PartnerKind.privaatrechtelijke_rechtspersoon.value and sector:
                    partner["sector"] = sector
                existing = get(answers, current.field)
                try:  # the new partner through the boundary, as every answer (a 300-character name at most)
                    answers = parse_answers(put(answers, current.field,
                                                (existing if isinstance(existing, list) else []) + [partner]))
                except InputError as exc:
                    error = "; ".join(exc.problems)
            return await run_in_threadpool(_question_page, current, answers, error)
        elif current is not None and current.type == "partners" and action == "klaar":
            if not isinstance(get(answers, current.field), list):
                return await run_in_threadpool(_question_page, current, answers, "Voeg minstens één deelnemer toe.")
        elif current is not None:
            raw = (None if action == "weet_niet" else form.getlist("value") if current.type == "tags"
                   else form.get("value"))
            try:
                answers = put(answers, current.field, validate_answer(current, raw))
            except InputError as exc:
                return await run_in_threadpool(_question_page, current, answers, "; ".join(exc.problems))
        nxt = await run_in_threadpool(next_question, answers)
        if nxt is None:
            rows = [(q, shown(q, get(answers, q.field))) for q in questions() if answered(answers, q)]
            return _page("overzicht.html.j2", title="Overzicht van uw antwoorden", rows=rows,
                         answers_json=json.dumps(answers, ensure_ascii=False))
        return await run_in_threadpool(_question_page, nxt, answers, None)

    @app.post("/advies", response_class=HTMLResponse)
    async def advice_page(request: Request) -> Response:
        form = await request.form()
        answers = _answers(form.get("answers"))
        return await run_in_threadpool(_advice_page, answers)

    @app.post("/upload", response_class=HTMLResponse)
    async def upload(request: Request) -> Response:
        form = await request.form()
        upload, raw = await _uploaded(form, "kies een antwoordenbestand (.yaml of .json)")
        data = parse_answers(load_upload(raw, upload.filename), upload.filename or "bestand")
        try:
            parse_intent(intent_of(data), upload.filename or "bestand")
        except InputError:
            nxt = await run_in_threadpool(next_question, data)
            if nxt is None:
                raise
            return await run_in_threadpool(_question_page, nxt, data, None)  # continue where it stopped
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


def _question_page(q: Question, answers: dict[str, Any], error: str | None) -> HTMLResponse:
    reason = None if q.always else why(q, answers)
    total = len(questions())
    done = sum(answered(answers, x) for x in questions())
    partners = get(answers, q.field) if q.type == "partners" else None
    ticked = get(answers, q.field) if q.type == "tags" else None
    return _page("vraag.html.j2", title=q.text, q=q, error=error, reason=reason,
                 answers_json=json.dumps(answers, ensure_ascii=False), progress=(done, total),
                 partners=partners if isinstance(partners, list) else [],
                 ticked=ticked if isinstance(ticked, list) else [],
                 kinds=[(k.value, PARTNER_KIND_LABELS[k]) for k in PartnerKind],
                 has_previous=any(answered(answers, x) for x in questions()))


def _advice_page(answers: dict[str, Any]) -> HTMLResponse:
    from advisor.advise import advise
    from advisor.insight import compare
    intent = intent_of(answers)
    advice = advise(intent)
    forms = compare(intent)
    return _page("advies.html.j2", title=f"Advies: {advice.name}", advice=advice, forms=forms,
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
