"""The screenshots in docs/, taken in headless Chromium so that they show what the code does today.

    python bench/screenshots.py [--db STORE] [--out docs]

Without ``--db`` the example articles (examples/) are ingested into a fresh store first, as ``make demo``
does. Writes ``dashboard.png`` (``sitrep serve``'s dashboard with the deadliest event open) and, when
``sitrep report`` exists, ``report.png`` (the top of the situation report). Needs Chromium and Playwright
(``apt-get install chromium``; ``pip install 'sitrep[dev]'``).
"""

from __future__ import annotations

import argparse
import importlib.util
import subprocess
import sys
import tempfile
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.browser import browser, chromium, serving, settle  # noqa: E402

VIEWPORT = {"width": 1440, "height": 900}
"""A laptop's screen."""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", help="a store to show (default: the examples ingested into a fresh store)")
    parser.add_argument("--out", default=str(ROOT / "docs"), help="folder of the PNG files (default: docs/)")
    args = parser.parse_args(argv)
    path, why = chromium()
    if path is None:
        print(f"screenshots: {why}", file=sys.stderr)
        return 2
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        db = args.db or demo_store(Path(tmp))
        with serving(db, public_read=True) as url, browser(path) as b:
            dashboard(b, url, out / "dashboard.png")
            if importlib.util.find_spec("sitrep.report") is not None:
                report(b, db, Path(tmp) / "report.html", out / "report.png")
    return 0


def demo_store(folder: Path) -> str:
    """The examples ingested as ``make demo`` does, into ``folder``."""
    db = str(folder / "demo.db")
    subprocess.run([sys.executable, "-m", "sitrep", "ingest", str(ROOT / "examples"), "--db", db, "-q"], check=True)
    return db


def dashboard(b: object, url: str, png: Path) -> None:
    """The dashboard with every event on the map and the deadliest one open in the panel."""
    answer = httpx.get(url + "/dashboard/map").json()
    deadliest = max(answer["list"], key=lambda r: (r["fatalities"], r["id"]), default=None)
    page = b.new_page(viewport=VIEWPORT)  # type: ignore[attr-defined]
    page.goto(url + "/" + (f"?event={deadliest['id']}" if deadliest else ""))
    settle(page)
    page.screenshot(path=str(png))
    page.close()
    print(f"wrote {png}")


def report(b: object, db: str, html: Path, png: Path) -> None:
    """The top of the situation report of the whole store, opened from its file."""
    subprocess.run([sys.executable, "-m", "sitrep", "report", "--db", db, "-o", str(html)], check=True)
    page = b.new_page(viewport={"width": 1100, "height": 1400})  # type: ignore[attr-defined]
    page.goto(html.as_uri())
    page.wait_for_load_state("load")
    page.screenshot(path=str(png))
    page.close()
    print(f"wrote {png}")


if __name__ == "__main__":
    sys.exit(main())
