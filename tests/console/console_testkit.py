"""Helpers for the console tests: the simulated cohort's name, passwords, a fake clock, sign-in."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from typing import Any

COHORT = "sim-con"
N_CANDIDATES = 6
PASSWORDS = {"admin": "admin-secret-1", "recruiter": "recruiter-secret-2", "trainer": "trainer-secret-3",
             "proctor": "proctor-secret-4"}


class FakeClock:
    """The console's clock (UTC), moved by hand."""

    def __init__(self) -> None:
        self.now = datetime.now(UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def csrf_of(html: str) -> str:
    """The CSRF token in a page's forms."""
    found = CSRF.search(html)
    assert found, "no csrf_token field in the page"
    return found.group(1)


def sign_in(client: Any, name: str, password: str, next_path: str = "/") -> Any:
    """GET the sign-in page, POST the form with its CSRF token; the POST's response."""
    page = client.get("/signin")
    assert page.status_code == 200
    return client.post("/signin", data={"csrf_token": csrf_of(page.text), "name": name, "password": password,
                                        "next": next_path})


def table_rows(html_text: str, table_id: str) -> list[list[str]]:
    """The body rows of the table ``id=table_id`` as lists of cell texts (whitespace collapsed)."""
    from html.parser import HTMLParser

    class _Rows(HTMLParser):
        def __init__(self) -> None:
            super().__init__()
            self.depth = 0  # inside the wanted table
            self.in_body = False
            self.rows: list[list[str]] = []
            self.cell: list[str] | None = None

        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            if tag == "table" and dict(attrs).get("id") == table_id:
                self.depth = 1
            elif self.depth and tag == "tbody":
                self.in_body = True
            elif self.depth and self.in_body and tag == "tr":
                self.rows.append([])
            elif self.depth and self.in_body and tag == "td":
                self.cell = []

        def handle_endtag(self, tag: str) -> None:
            if self.depth and tag == "td" and self.cell is not None:
                self.rows[-1].append(" ".join("".join(self.cell).split()))
                self.cell = None
            elif self.depth and tag == "table":
                self.depth = 0
                self.in_body = False

        def handle_data(self, data: str) -> None:
            if self.cell is not None:
                self.cell.append(data)

    parser = _Rows()
    parser.feed(html_text)
    return parser.rows
