import os
import socket
import sys
import tempfile
import threading
import time
from pathlib import Path

import pytest

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
