"""A real browser on a served store: what the browser tests and the screenshot script share.

- ``chromium()``: the path of the system's Chromium (``SITREP_CHROMIUM``, else ``chromium`` on the
  PATH), or the reason there is none, for a test to skip with;
- ``serving(db)``: ``sitrep serve``'s application on a free port of 127.0.0.1, in a thread, for as long as
  the ``with`` block lasts; gives the base URL;
- ``browser()``: Playwright's headless Chromium (the system's, never a downloaded one).
"""

from __future__ import annotations

import os
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

STARTUP_S = 30.0
"""How long the server may take to listen."""


def chromium() -> tuple[str | None, str]:
    """(path, "") of the system's Chromium, or (None, why not)."""
    path = os.environ.get("SITREP_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
    if not path or not os.path.exists(path):
        return None, "Chromium is not installed (apt-get install chromium, or set SITREP_CHROMIUM)"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return None, "Playwright is not installed (pip install 'sitrep[dev]')"
    return path, ""


def free_port() -> int:
    """A TCP port of 127.0.0.1 nobody listens on now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def serving(db: str, *, public_read: bool = False) -> Iterator[str]:
    """``sitrep serve`` on ``db`` in a thread of this process; yields its base URL (no trailing slash)."""
    import uvicorn

    from sitrep.serve import create_app

    port = free_port()
    config = uvicorn.Config(create_app(db, public_read=public_read), host="127.0.0.1", port=port,
                            log_level="warning", lifespan="off")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, name="sitrep-serve", daemon=True)
    thread.start()
    deadline = time.monotonic() + STARTUP_S
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError(f"sitrep serve did not start on port {port}")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


@contextmanager
def browser(path: str) -> Iterator[Any]:
    """Playwright's ``Browser``: the Chromium at ``path``, headless (no sandbox: CI runs as root)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=path, headless=True, args=["--no-sandbox"])
        try:
            yield b
        finally:
            b.close()


def settle(page: Any, timeout_ms: int = 20_000) -> None:
    """Wait until the dashboard has no request under way (``body[data-busy="0"]``) and the map's
    animations are over."""
    page.wait_for_function("() => document.body.dataset.busy === '0'", timeout=timeout_ms)
    page.wait_for_timeout(400)
    page.wait_for_function("() => document.body.dataset.busy === '0'", timeout=timeout_ms)
