"""Helpers for the console in a real browser: a real uvicorn server on a free port of 127.0.0.1
(in a thread of this process), accounts made with ``typingtest.store.accounts``, Debian's
``chromium`` driven by Playwright (never a downloaded browser), and sign-in through the form.

Also a script: ``.venv/bin/python tests/console/browser_kit.py --screenshots docs/console``
simulates a small cohort (``typingtest simulate``, seed 16, the quick battery), serves the
console over it and writes a 1280x900 screenshot of every page (sign-in, cohorts, cohort and
its applicants table, candidate, attempt with its replay paused mid-way, compare, trainees,
trainee, exports, registrations and the room with a few made-up registrations and heartbeats,
admin) into the folder, in English (``--lang nl|fr`` for the others).
"""

from __future__ import annotations

import argparse
import contextlib
import os
import shutil
import socket
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

__all__ = ["CHROMIUM_ARGS", "LiveConsole", "add_account", "chromium_path", "free_port", "launch", "serve",
           "sign_in"]

#: Chromium's switches here: no sandbox (containers, root), no GPU, no calls home.
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
#: The screenshots' viewport (CSS pixels).
VIEWPORT = {"width": 1280, "height": 900}


def free_port() -> int:
    """A TCP port of 127.0.0.1 free right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def chromium_path() -> str | None:
    """Debian's ``chromium`` (None when not installed: ``apt-get install chromium``)."""
    return shutil.which("chromium") or shutil.which("chromium-browser")


@dataclass
class LiveConsole:
    """A console served by uvicorn at ``url`` (``http://127.0.0.1:PORT``) over ``db_url``."""

    url: str
    db_url: str
    app: Any
    server: Any
    thread: threading.Thread

    def store(self) -> Any:
        """The console's own open store."""
        return self.app.state.console.store()


@contextlib.contextmanager
def serve(db_url: str, *, settings: Any = None, start_timeout_s: float = 30.0) -> Iterator[LiveConsole]:
    """``create_app(db_url, settings=settings)`` served by a real uvicorn server in a thread, until the
    block ends. The centre settings come from the environment (``TYPINGTEST_RESULTS`` ...)."""
    import uvicorn

    from typingtest.console.app import create_app

    app = create_app(db_url, settings=settings)
    port = free_port()
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", access_log=False,
                            lifespan="on")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, name=f"console-{port}", daemon=True)
    thread.start()
    deadline = time.monotonic() + start_timeout_s
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError(f"the console did not start on 127.0.0.1:{port} within {start_timeout_s:.0f} s")
        time.sleep(0.05)
    try:
        yield LiveConsole(f"http://127.0.0.1:{port}", db_url, app, server, thread)
    finally:
        server.should_exit = True
        thread.join(timeout=15)


def add_account(store: Any, name: str, role: str, password: str) -> None:
    """An account ``name`` with ``role`` and ``password`` (``store.accounts.add_account``, actor "test")."""
    from typingtest.store.accounts import add_account as add

    add(store, name, role, password, actor="test")


def launch(playwright: Any) -> Any:
    """Debian's chromium, headless, through Playwright (RuntimeError when it is not installed)."""
    path = chromium_path()
    if path is None:
        raise RuntimeError("Debian's chromium is not installed (apt-get install chromium)")
    return playwright.chromium.launch(executable_path=path, args=CHROMIUM_ARGS)


def sign_in(page: Any, base_url: str, name: str, password: str) -> None:
    """Fill and send the sign-in form; wait until the console has left ``/signin``."""
    page.goto(f"{base_url}/signin")
    page.fill("#name", name)
    page.fill("#password", password)
    page.click("form[action='/signin'] button[type=submit]")
    page.wait_for_url(lambda url: "/signin" not in url)


# --------------------------------------------------------------------------------------------
# screenshots of every page


def simulate(results: Path, cohort: str, candidates: int = 6, seed: int = 16) -> None:
    """``typingtest simulate`` of ``candidates`` (quick battery) into the SQLite store in ``results``."""
    from typingtest.cli import main

    if main(["simulate", "--candidates", str(candidates), "--battery", "quick", "--cohort", cohort,
             "--seed", str(seed)]) != 0:
        raise RuntimeError("typingtest simulate failed")


def add_room_demo(store: Any, cohort: str, *, registrations: bool = True) -> None:
    """Two registrations (``store.registrations.add_registration``, the second with extra time and a larger
    font) and heartbeats of three workstations (``store.room.write_heartbeat``: one running a task, one
    paused, one waiting), for the registrations and room screenshots."""
    from typingtest.store import room
    from typingtest.store.registrations import add_registration

    if registrations:
        add_registration(store, "REG-2026-101", "quick", cohort=cohort, actor="ada")
        add_registration(store, "REG-2026-102", "quick", cohort=cohort, extra_time=1.25, font_scale=1.5,
                         actor="ada")
    room.write_heartbeat(store, room.Heartbeat("pc-01", "running", "S-demo-1", "REG-2026-101", "quick",
                                               "copy-typing", 142.0))
    room.write_heartbeat(store, room.Heartbeat("pc-02", "paused", "S-demo-2", "REG-2026-102", "quick",
                                               "data-entry", 305.0))
    room.write_heartbeat(store, room.Heartbeat("pc-03", "idle"))


def _shot(page: Any, path: Path) -> None:
    page.wait_for_load_state("networkidle")
    page.screenshot(path=str(path))
    from PIL import Image  # matplotlib's own dependency

    with Image.open(path) as im:  # a smaller file for the repository
        im.convert("RGB").quantize(colors=128).save(path, optimize=True)
    print(f"screenshot: {path}")


def screenshots(out: Path, lang: str = "en") -> list[Path]:
    """Serve the console over a freshly simulated cohort and write one screenshot per page to ``out``."""
    from playwright.sync_api import sync_playwright

    out.mkdir(parents=True, exist_ok=True)
    cohort = "2026-demo"
    with tempfile.TemporaryDirectory(prefix="tt-console-shots-") as tmp:
        results = Path(tmp) / "results"
        results.mkdir()
        os.environ["TYPINGTEST_RESULTS"] = str(results)
        os.environ.pop("TYPINGTEST_DB", None)
        os.environ.pop("TYPINGTEST_SETTINGS", None)
        simulate(results, cohort)
        url = f"sqlite:///{(results / 'typingtest.sqlite').as_posix()}"
        written: list[Path] = []
        with serve(url) as live, sync_playwright() as p:
            add_account(live.store(), "ada", "admin", "admin-secret-1")
            candidates = sorted(str(c) for c in live.store().attempts_frame(cohort=cohort)["candidate_id"].unique())
            browser = launch(p)
            page = browser.new_page(viewport=VIEWPORT)
            page.goto(f"{live.url}/lang/{lang}?next=/signin")

            def shot(name: str, path: str) -> None:
                page.goto(f"{live.url}{path}")
                written.append(out / f"{name}.png")
                _shot(page, written[-1])

            shot("signin", "/signin")
            sign_in(page, live.url, "ada", "admin-secret-1")
            shot("cohorts", "/cohorts")
            shot("cohort", f"/cohorts/{cohort}")
            # the applicants table further down, three candidates ticked for a comparison
            for box in page.locator("input[type=checkbox][name=candidate]").all()[:3]:
                box.check()
            page.locator("form.filters").evaluate("form => form.scrollIntoView()")
            written.append(out / "cohort-applicants.png")
            _shot(page, written[-1])
            first = candidates[0]
            shot("candidate", f"/candidates/{first}")
            frame = live.store().attempts_frame(candidate=first)
            attempt = frame[frame["task"] == "copy-typing"]["attempt_id"].iloc[0]
            page.goto(f"{live.url}/candidates/{first}/attempts/{attempt}")
            page.click(".tt-replay-speed[data-speed='4']")
            page.click(".tt-replay-play")
            deadline = time.monotonic() + 30  # (the console's CSP forbids wait_for_function's eval)
            while len(page.inner_text(".tt-replay-typed")) < 120 and time.monotonic() < deadline:
                time.sleep(0.2)
            page.click(".tt-replay-play")  # pause mid-way: the picture shows text being typed
            written.append(out / "attempt.png")
            _shot(page, written[-1])
            shot("compare", f"/compare?cohort={cohort}&" + "&".join(f"candidate={c}" for c in candidates[:3]))
            shot("trainees", "/trainees?all=1")  # the demo's candidates have one session each
            shot("trainee", f"/trainees/{first}")
            shot("exports", "/exports")
            add_room_demo(live.store(), cohort)
            shot("registrations", "/registrations")
            add_room_demo(live.store(), cohort, registrations=False)  # fresh beats: no tile shows as lost
            shot("room", "/room")
            shot("admin", "/admin")
            browser.close()
    return written


def main(argv: list[str] | None = None) -> int:
    """``--screenshots DIR``: write the console's screenshots (see the module docstring)."""
    ap = argparse.ArgumentParser(description="screenshots of every console page (1280x900, headless chromium)")
    ap.add_argument("--screenshots", type=Path, required=True, metavar="DIR")
    ap.add_argument("--lang", choices=("nl", "fr", "en"), default="en")
    args = ap.parse_args(argv)
    if chromium_path() is None:
        print("browser_kit: Debian's chromium is not installed (apt-get install chromium)", file=sys.stderr)
        return 2
    screenshots(args.screenshots, args.lang)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
