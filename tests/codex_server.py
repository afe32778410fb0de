"""A local server that speaks the Codex Open Data API for the test laws in tests/data/codex/
(`GET /api/v2/WetgevingDocument/{id}/VolledigDocument`), on a free loopback port."""
from __future__ import annotations

import json
import threading
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data" / "codex"
DOCUMENTS = {1029017: "dlb", 1018245: "vcro", 1038101: "regio"}


def load(law: str) -> dict:
    return json.loads((DATA / f"{law}.json").read_text(encoding="utf-8"))


def other(doc: int) -> dict:
    """Any other decree with a Codex id in rules/laws.yaml (the sector decrees): one article."""
    text = {"ArtikelVersie": {"Tekst": "Testtekst zonder bepalingen.", "StartDatum": "2000-01-01T00:00:00",
                              "EindDatum": None, "ArtikelNummer": "1.", "Id": doc * 10}}
    return {"Document": {"Id": doc, "Opschrift": "TESTGEGEVENS"}, "Inhoud": {"ArtikelVersies": [text]}}


class CodexServer:
    def __init__(self):
        self.documents = {doc: load(law) for doc, law in DOCUMENTS.items()}
        self.status: dict[int, int] = {}  # document id -> HTTP status to answer instead
        self.requests: list[str] = []


@contextmanager
def codex_server():
    state = CodexServer()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 - the http.server API
            state.requests.append(self.path)
            parts = self.path.split("?")[0].strip("/").split("/")
            if len(parts) == 5 and parts[:3] == ["api", "v2", "WetgevingDocument"] \
                    and parts[4] == "VolledigDocument" and parts[3].isdigit():
                doc = int(parts[3])
                status = state.status.get(doc, 200)
                document = state.documents.get(doc) or other(doc)
                body = json.dumps(document).encode() if status == 200 else b'{"Message": "fout"}'
            else:
                status, body = 404, b'{"Message": "niet gevonden"}'
            self.send_response(status)
            self.send_header("Content-Type", "application/json; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        state.url = f"http://127.0.0.1:{httpd.server_address[1]}"
        yield state
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(timeout=10)
