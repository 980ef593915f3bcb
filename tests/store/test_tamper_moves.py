"""Issue 13 (Must show, tampering): an attempt moved from its session to another candidate's session is
reported by ``verify`` (the attempt's signature covers its session and candidate; both sessions' signed
attempt counts no longer hold). The deleted attempt is tested in ``test_integrity.py``
(``test_a_deleted_attempt_shows_in_its_sessions_signed_count``); a move to a session id that does not
exist there too (``test_an_attempt_moved_to_a_missing_session_is_still_verified_and_reported``).

Both backends (the ``store``/``db_url`` fixtures); the tamperer is played by SQL with the foreign keys
off, as in ``test_integrity.py``.
"""

from __future__ import annotations

from test_integrity import _attempt, _failures, _tamper

from typingtest.cli import main
from typingtest.store.integrity import check_rows
from typingtest.store.verification import verify


def test_an_attempt_moved_to_another_candidates_session_is_reported(store, db_url, capsys):
    sid_a, moved = _attempt(store, "CAND-0001", seed=3)
    sid_b, kept = _attempt(store, "CAND-0002", seed=4)
    assert check_rows(store) == [] and [r.problems for r in verify(store)] == [[], []]
    _tamper(store, db_url, "UPDATE attempts SET session_id = ? WHERE attempt_id = '" + moved + "'", p=sid_b)
    results = {r.attempt_id: r.problems for r in verify(store)}
    assert results[kept] == []
    assert results[moved] == ["signature does not match: events or metadata changed after storing"]
    # each session signed its attempt count when it ended: one lost an attempt, the other gained one
    assert sorted(_failures(check_rows(store))) == sorted([
        ("session", sid_a, "holds 0 attempt(s), 1 when it ended (signed): attempts were deleted or moved"),
        ("session", sid_b, "holds 2 attempt(s), 1 when it ended (signed): attempts were added or moved here")])
    assert main(["verify", "--db", db_url]) != 0  # the CLI fails on it too
    assert moved in capsys.readouterr().out
