"""The console in a real browser (issue 12, "Must show"): Playwright drives Debian's ``chromium``
(never a downloaded browser) against a real uvicorn server over the simulated cohort of the
console tests (6 candidates, seed 16), on SQLite and on the store tests' PostgreSQL server.

Sign in, open a cohort, sort by error rate, filter by a decision, open a candidate, override a
verdict with a reason, compare three candidates picked with the applicants table's checkboxes,
watch a replay advance, download the candidate's PDF. The expected values come from the store
(``Store.attempts_frame``, ``Store.overrides_frame``), not from the page under test.

One server and one browser per backend (module-scoped); each test opens its own browser
context and signs in through the form.
"""

from __future__ import annotations

import shutil
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from browser_kit import add_account, chromium_path, launch, serve, sign_in
from console_testkit import COHORT, N_CANDIDATES, PASSWORDS

pytestmark = pytest.mark.chromium

#: the viewport of every page here (CSS pixels)
VIEWPORT = {"width": 1280, "height": 900}
#: the header link that sorts the applicants by copy-typing's MSD error rate (cohort.html's sort_link)
SORT_ERROR_RATE = "sort=copy-typing%3Amsd_error_rate"


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """Debian's chromium, headless, for the whole module (skips loudly where it is not installed)."""
    if chromium_path() is None:
        pytest.skip("SKIPPED LOUDLY: Debian's chromium is not installed (apt-get install chromium); "
                    "the console is not tested in a real browser")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = launch(p)
        yield b
        b.close()


def _copy_pg(server: Any, template: str) -> str:
    """A new PostgreSQL database made from ``template`` (CREATE DATABASE ... TEMPLATE); its URL."""
    import psycopg

    name = f"{template}_browser"
    with psycopg.connect(host="127.0.0.1", port=server.port, user=server.user, dbname="postgres",
                         autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
    return str(server.url(name))


@pytest.fixture(scope="module", params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def live(request: pytest.FixtureRequest, simulated_results: Path,
         tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """A console served by uvicorn on a free port over a copy of the simulated cohort, with a recruiter
    ``rita``. Passwords hashed with light argon2 parameters (time 1, 8 MiB), as in conftest.py."""
    from argon2 import PasswordHasher

    from typingtest.config import load_settings
    from typingtest.console.settings import ConsoleSettings
    from typingtest.store import accounts

    mp = pytest.MonkeyPatch()
    mp.setattr(accounts, "_hasher", lambda: PasswordHasher(time_cost=1, memory_cost=8192, parallelism=1))
    results = tmp_path_factory.mktemp(f"browser-{request.param}") / "results"
    mp.delenv("TYPINGTEST_SETTINGS", raising=False)
    if request.param == "sqlite":
        shutil.copytree(simulated_results, results)
        url = f"sqlite:///{(results / 'typingtest.sqlite').as_posix()}"
        mp.delenv("TYPINGTEST_DB", raising=False)
    else:
        server, template, pg_results = request.getfixturevalue("pg_simulated")
        shutil.copytree(pg_results, results)  # the signing key
        url = _copy_pg(server, template)
        mp.setenv("TYPINGTEST_DB", url)
    mp.setenv("TYPINGTEST_RESULTS", str(results))
    try:
        with serve(url, settings=ConsoleSettings(project=load_settings())) as console:
            add_account(console.store(), "rita", "recruiter", PASSWORDS["recruiter"])
            yield console
    finally:
        mp.undo()


@pytest.fixture
def page(browser: Any, live: Any) -> Iterator[Any]:
    """A fresh browser context signed in as the recruiter ``rita``; fails the test on a script error."""
    context = browser.new_context(viewport=VIEWPORT, accept_downloads=True)
    pg = context.new_page()
    errors: list[str] = []
    pg.on("pageerror", lambda e: errors.append(str(e)))
    sign_in(pg, live.url, "rita", PASSWORDS["recruiter"])
    yield pg
    context.close()
    assert not errors, f"script errors in the page: {errors}"


def _rows(pg: Any) -> list[dict[str, Any]]:
    """The applicants table's body rows: candidate id and overall decision (data attributes)."""
    return pg.eval_on_selector_all(
        "#applicants tbody tr",
        "trs => trs.map(tr => ({id: tr.dataset.candidate, decision: tr.querySelector('[data-decision]')"
        "?.dataset.decision}))")


def _column_values(pg: Any, href_part: str) -> list[float]:
    """The ``data-value`` of every body cell under the header whose sort link contains ``href_part``."""
    return pg.evaluate(
        """part => {
             const ths = [...document.querySelectorAll('#applicants thead th')];
             const i = ths.findIndex(th => th.querySelector(`a[href*="${part}"]`));
             return [...document.querySelectorAll('#applicants tbody tr')]
               .map(tr => parseFloat(tr.children[i].dataset.value));
           }""", href_part)


def _copy_typing(live: Any, candidate: str | None = None) -> Any:
    """The non-practice copy-typing attempts of the cohort (or one candidate), from the store."""
    frame = live.store().attempts_frame(cohort=COHORT, candidate=candidate)
    return frame[frame["task"] == "copy-typing"]


# --------------------------------------------------------------------------------------------


def test_sign_in_refuses_a_wrong_password_then_opens_the_cohorts(browser: Any, live: Any) -> None:
    context = browser.new_context(viewport=VIEWPORT)
    pg = context.new_page()
    pg.goto(f"{live.url}/cohorts")
    assert "/signin" in pg.url  # not signed in: the sign-in page, coming back here after
    pg.fill("#name", "rita")
    pg.fill("#password", "not-her-password")
    with pg.expect_navigation():
        pg.click("form[action='/signin'] button[type=submit]")
    assert pg.locator("[role=alert]").is_visible()
    assert "/signin" in pg.url
    pg.fill("#password", PASSWORDS["recruiter"])
    pg.click("form[action='/signin'] button[type=submit]")
    pg.wait_for_url(f"{live.url}/cohorts")
    assert "rita" in pg.inner_text("header .who")
    assert pg.locator(f"a[href='/cohorts/{COHORT}']").count() == 1
    context.close()


def test_open_a_cohort_and_sort_by_error_rate(page: Any, live: Any) -> None:
    page.goto(f"{live.url}/cohorts")
    page.click(f"a[href='/cohorts/{COHORT}']")
    page.wait_for_url(f"{live.url}/cohorts/{COHORT}")
    assert len(_rows(page)) == N_CANDIDATES
    # the store's copy-typing MSD error rate per candidate (one non-practice attempt each)
    rates = _copy_typing(live).groupby("candidate_id")["msd_error_rate"].last().sort_values(kind="stable")
    page.click(f"#applicants thead a[href*='{SORT_ERROR_RATE}']")
    page.wait_for_url(lambda url: SORT_ERROR_RATE in url and "dir=asc" in url)
    assert [r["id"] for r in _rows(page)] == list(rates.index)
    values = _column_values(page, SORT_ERROR_RATE)
    assert values == sorted(values) and values == pytest.approx(list(rates.values))
    page.click(f"#applicants thead a[href*='{SORT_ERROR_RATE}']")  # again: highest first
    page.wait_for_url(lambda url: SORT_ERROR_RATE in url and "dir=desc" in url)
    assert [r["id"] for r in _rows(page)] == list(rates.index[::-1])


def test_filter_the_applicants_by_decision(page: Any, live: Any) -> None:
    page.goto(f"{live.url}/cohorts/{COHORT}")
    everyone = _rows(page)
    present = {r["decision"] for r in everyone}
    # borderline where the simulated cohort has one; seed 16 has none, so the next rarer decision
    wanted = next(d for d in ("borderline", "insufficient", "fail", "pass") if d in present)
    expected = sorted(r["id"] for r in everyone if r["decision"] == wanted)
    assert 0 < len(expected) < N_CANDIDATES
    page.select_option("form.filters select[name=decision]", wanted)
    page.click("form.filters button[type=submit]")
    page.wait_for_url(lambda url: f"decision={wanted}" in url)
    shown = _rows(page)
    assert sorted(r["id"] for r in shown) == expected
    assert {r["decision"] for r in shown} == {wanted}
    assert page.input_value("form.filters select[name=decision]") == wanted


def test_open_a_candidate(page: Any, live: Any) -> None:
    page.goto(f"{live.url}/cohorts/{COHORT}")
    first = _rows(page)[0]["id"]
    page.click(f"#applicants a[href='/candidates/{first}']")
    page.wait_for_url(f"{live.url}/candidates/{first}")
    assert first in page.inner_text("h1")
    stored = live.store().attempts_frame(candidate=first, include_practice=True)
    assert page.locator("article.attempt").count() == len(stored)
    for aid in stored["attempt_id"]:
        assert page.locator(f"article#attempt-{aid}").count() == 1


def test_override_a_verdict_with_a_reason(page: Any, live: Any) -> None:
    candidate = sorted(_copy_typing(live)["candidate_id"])[0]
    page.goto(f"{live.url}/candidates/{candidate}")
    forms = page.locator("details.override form.override-form")
    assert forms.count() > 0, "the candidate page has no override form (details.override form.override-form)"
    form = forms.first
    assert form.get_attribute("action") == f"/candidates/{candidate}/overrides"
    attempt = form.locator("input[name=attempt_id]").get_attribute("value")
    indicator = form.locator("input[name=indicator]").get_attribute("value")
    page.locator("details.override summary").first.click()  # open the first verdict's override
    assert form.is_visible()
    decision = form.locator("select[name=decision]").input_value()  # offered: the opposite of the verdict
    assert decision in ("pass", "fail")
    before = len(live.store().overrides_frame())
    reason = f"Browser test {time.time_ns()}: retyped the passage under supervision"
    form.locator("textarea[name=reason]").fill(reason)
    with page.expect_navigation():
        form.locator("button[type=submit]").click()
    assert f"/candidates/{candidate}" in page.url
    # the store holds the override, by the signed-in account (no typed assessor name)
    overrides = live.store().overrides_frame()
    assert len(overrides) == before + 1
    mine = overrides[overrides["reason"] == reason]
    assert len(mine) == 1
    assert (mine.iloc[0]["attempt_id"], mine.iloc[0]["indicator"], mine.iloc[0]["assessor"],
            bool(mine.iloc[0]["passed"])) == (attempt, indicator, "rita", decision == "pass")
    # the page shows it in the verdict's row, with the account, and the verdict in force is the new one
    note = page.locator(f".override-note[data-indicator='{indicator}']", has_text=reason)
    assert note.count() == 1
    assert "rita" in note.inner_text()
    cell = note.locator("xpath=..")
    assert decision in (cell.get_attribute("class") or "").split()


def test_compare_three_candidates_picked_in_the_applicants_table(page: Any, live: Any) -> None:
    page.goto(f"{live.url}/cohorts/{COHORT}")
    boxes = page.locator("input[type=checkbox][name=candidate]")
    assert boxes.count() == N_CANDIDATES, "the applicants table has no compare checkboxes (name=candidate)"
    chosen = []
    for i in range(3):
        boxes.nth(i).check()
        chosen.append(boxes.nth(i).get_attribute("value"))
    page.locator("#compare-form [type=submit], [form=compare-form][type=submit]").first.click()
    page.wait_for_url(lambda url: "/compare" in url)
    ranked = page.eval_on_selector_all("#ranking tbody tr", "trs => trs.map(tr => tr.dataset.candidate)")
    assert sorted(ranked) == sorted(chosen)
    assert COHORT in page.inner_text("#reference")  # the reference group is named: the cohort
    assert page.inner_text("#ranking-rule").strip()


def test_a_replay_advances(page: Any, live: Any) -> None:
    attempts = _copy_typing(live)
    candidate, attempt = str(attempts.iloc[0]["candidate_id"]), str(attempts.iloc[0]["attempt_id"])
    page.goto(f"{live.url}/candidates/{candidate}")
    page.click(f"a[href='/candidates/{candidate}/attempts/{attempt}']")
    page.wait_for_selector("[data-replay][data-state=ready]")
    assert page.inner_text(".tt-replay-typed") == ""
    page.click(".tt-replay-speed[data-speed='4']")
    page.click(".tt-replay-play")
    assert page.get_attribute("[data-replay]", "data-state") == "playing"
    lengths = []
    for _ in range(4):
        time.sleep(0.5)
        lengths.append(len(page.inner_text(".tt-replay-typed")))
    # a simulated passage is typed at ~30-70 words per minute: at 4x, tens of characters per 0.5 s
    assert 0 < lengths[0] < lengths[-1], lengths


def test_download_the_candidates_pdf(page: Any, live: Any) -> None:
    candidate = sorted(_copy_typing(live)["candidate_id"])[0]
    page.goto(f"{live.url}/candidates/{candidate}")
    link = page.locator(f"a[href='/candidates/{candidate}/report.pdf']")
    assert link.count() >= 1, "the candidate page has no link to /candidates/{id}/report.pdf"
    with page.expect_download() as info:
        link.first.click()
    data = Path(info.value.path()).read_bytes()
    assert data.startswith(b"%PDF"), data[:20]
    assert info.value.suggested_filename.endswith(".pdf")
