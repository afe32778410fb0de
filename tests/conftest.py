import os
import socket
import sys
import tempfile
import threading
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

# Generated tests: reproducible in CI (the CI environment variable, set by .ci/run), exploring locally.
# "ci" draws the same examples every run and keeps no example database; "dev" draws new ones every run and
# prints the blob to replay a failure. Every example an exploration finds is fixed, never filtered out.
settings.register_profile("ci", derandomize=True, database=None, print_blob=True,
                          suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("dev", print_blob=True)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE")
                      or ("ci" if os.environ.get("CI", "").lower() not in ("", "0", "false") else "dev"))

sys.path.insert(0, str(Path(__file__).resolve().parent))
# the suite never sees the user's own copy of the law: an empty store unless a test makes one
os.environ["IGS_ADVISOR_LAW_DIR"] = str(Path(tempfile.gettempdir()) / f"igs-advisor-no-law-{os.getpid()}")


@pytest.fixture(scope="session")
def server():
    """The web app on a free loopback port, in a background thread, for the whole session."""
    import uvicorn

    from advisor.web import create_app

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    config = uvicorn.Config(create_app(), host="127.0.0.1", port=port, log_level="warning")
    srv = uvicorn.Server(config)
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    for _ in range(200):
        if srv.started:
            break
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    srv.should_exit = True
    thread.join(timeout=10)
