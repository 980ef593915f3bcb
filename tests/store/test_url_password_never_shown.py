"""A database URL's password is never shown (issue 15, item 7): every place that prints or
writes a database URL uses the store's ``display_url`` (``user:***@host``).

On a real PostgreSQL server (``tests/store/conftest.py``; its trust authentication accepts any
password, so the URL can carry one): ``run`` stores an attempt, then ``verify``, ``export``,
``recover``, ``candidate export`` and ``replay`` of an unknown attempt run on the same URL;
the password is in none of their output nor in any file they write. And with the server
unreachable each of them is one line with the masked URL and exit 2.

Before: ``replay`` of an unknown attempt said ``no attempt 'X' in postgresql://tt:PASSWORD@...``
(``settings.database_url``, not the store's ``display_url``).
"""

from __future__ import annotations

from pathlib import Path

import pygame
import pytest

from typingtest.cli import main

PASSWORD = "S3cretPW-15"


def _everything_written(root: Path) -> bytes:
    return b"".join(p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file())


def test_no_command_shows_the_password_of_a_reachable_database(
        pg_server, results_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    from typingtest.config import load_settings
    from typingtest.content import load_item
    from typingtest.store import open_store
    from typingtest.workstation.app import App
    from typingtest.workstation.driver import Driver
    from typingtest.workstation.session import TaskSpec

    url = pg_server.new_database().replace(f"{pg_server.user}@", f"{pg_server.user}:{PASSWORD}@", 1)
    masked = url.replace(PASSWORD, "***")
    monkeypatch.setenv("TYPINGTEST_DB", url)
    monkeypatch.setenv("SDL_VIDEODRIVER", "dummy")
    settings = load_settings()
    store = open_store(settings)
    d = Driver.open(settings, store, specs=[TaskSpec("copy-typing", load_item("nl-copy-03"), 300.0)],
                    intake=False, candidate="C-URL-1")
    if d.scene.name == "instructions":
        d.start_task()
    d.type("Geachte", 0.1)
    d.finish()
    store.close()
    pygame.event.clear()
    real_run = App.run

    def close_at_once(self: App) -> None:  # the proctor closes the window as soon as it opens
        pygame.event.post(pygame.event.Event(pygame.QUIT))
        real_run(self)

    monkeypatch.setattr(App, "run", close_at_once)
    main(["run", "--task", "copy-typing", "--item", "nl-copy-01", "--windowed", "--candidate", "C-URL-1"])
    pygame.event.clear()
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    runs = [
        ["verify"],
        ["export", "--include-practice", "--out", str(out_dir / "attempts.csv")],
        ["recover"],
        ["candidate", "export", "C-URL-1", "--out", str(out_dir / "candidate")],
        ["replay", "NO-SUCH-ATTEMPT"],
    ]
    codes = [main(argv) for argv in runs]
    out, err = capsys.readouterr()
    assert PASSWORD not in out + err
    assert codes[:4] == [0, 0, 0, 0], err
    assert codes[4] == 2
    assert f"typingtest: error: ATTEMPT: no attempt 'NO-SUCH-ATTEMPT' in {masked.split('://')[1]}" in \
        err.replace("postgresql+psycopg://", "").replace("postgresql://", "")
    assert (out_dir / "attempts.csv").is_file() and (out_dir / "candidate").is_dir()
    assert PASSWORD.encode() not in _everything_written(out_dir) + _everything_written(results_dir)


@pytest.mark.parametrize("argv", [
    ["run", "--candidate", "C-URL-2"],
    ["verify"],
    ["export"],
    ["recover"],
    ["replay", "A-1"],
    ["candidate", "export", "C-URL-2"],
    ["purge", "--dry-run"],
])
def test_an_unreachable_database_is_one_line_with_the_password_masked(
        results_dir: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
        argv: list[str]) -> None:
    import socket

    key = results_dir / "signing.key"  # verify asks for the key before it connects
    key.write_text("ab" * 32 + "\n", encoding="ascii")
    key.chmod(0o600)
    with socket.socket() as s:  # a port of 127.0.0.1 nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    monkeypatch.setenv("TYPINGTEST_DB", f"postgresql://tt:{PASSWORD}@127.0.0.1:{port}/results")
    monkeypatch.setenv("SDL_VIDEODRIVER", "dummy")
    assert main(argv) == 2
    out, err = capsys.readouterr()
    assert PASSWORD not in out + err
    assert err.splitlines()[-1].startswith(f"typingtest: error: postgresql+psycopg://tt:***@127.0.0.1:{port}/results: ")


@pytest.mark.parametrize("url", [f"postgresql://tt:{PASSWORD}@127.0.0.1:notaport/tt",
                                 f"postgresql://tt:{PASSWORD}@[::1/tt"])
def test_a_url_with_a_port_that_is_not_a_number_is_one_line_not_a_traceback(
        results_dir: Path, capsys: pytest.CaptureFixture[str], url: str) -> None:
    # before: "ValueError: invalid literal for int() with base 10: 'notaport'" and a traceback
    assert main(["export", "--db", url]) == 2
    err = capsys.readouterr().err
    assert PASSWORD not in err and err.count("\n") == 1
    assert err.startswith("typingtest: error: postgresql+psycopg://tt:***@") and "not a database URL" in err
