"""Intake: candidate id, consent (with its text version), keyboard layout (chosen, then checked by
typing characters only that layout gives), headset check, and the retake policy against the
candidate's earlier sessions. The chosen layout goes to the session and with it to every attempt.

The pages follow one another in one scene. Nothing typed here belongs to an attempt, so
nothing is logged; the consent goes to the store with its text version.

The store's session is opened once, in ``done``, after the consent and the checks: for a new
candidate, for one given with ``--candidate`` (accepted as if typed), and for one the proctor
lets through with F8 (``override_retake``: an unfinished session is reopened, or the retake
period waived). ``run --task`` shows the consent page only (``Session.intake_pages``).
"""

from __future__ import annotations

import math
import random
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

import pygame

from typingtest.engine.layouts import DEFAULT_LAYOUT, LAYOUT_NAMES
from typingtest.ids import CANDIDATE_ID_MAX, is_valid_candidate_id
from typingtest.workstation.audio_link import LineText
from typingtest.workstation.scene import Scene
from typingtest.workstation.theme import Theme
from typingtest.workstation.widgets import Button, Label, TextField, Widget

if TYPE_CHECKING:
    from typingtest.store.store import SessionRefused
    from typingtest.workstation.app import App
    from typingtest.workstation.session import Session

__all__ = ["CONSENT_VERSION", "HEADSET_WORDS", "INTAKE_PAGES", "LAYOUT_CHECK_TEXT", "LAYOUT_CHECK_TEXTS",
           "LAYOUT_LABELS", "IntakeScene", "earlier_sessions", "id_problem", "layout_check_problem",
           "recent_completed_session", "retake_message"]

#: Version of the consent text shown (stored with each consent; change it when the text changes).
CONSENT_VERSION = "2026-1"
#: What the keyboard check asks to type: the characters a Belgian AZERTY keyboard must give.
LAYOUT_CHECK_TEXT = "é è ë ç à @ €"
#: What the keyboard check asks to type on each layout (``engine.layouts`` names): characters that
#: come out wrong when the operating system's layout is not the one chosen.
LAYOUT_CHECK_TEXTS = {"azerty-be": LAYOUT_CHECK_TEXT, "qwertz-de": "ä ö ü ß z y @ €", "qwerty-us": "z y @ # $ & ( )"}
#: Button captions of the layouts (F1, F2, F3 choose them on the keyboard page).
LAYOUT_LABELS = {"azerty-be": "AZERTY (BE)", "qwerty-us": "QWERTY (US)", "qwertz-de": "QWERTZ (DE)"}
_LAYOUT_KEYS = {pygame.K_F1: "azerty-be", pygame.K_F2: "qwerty-us", pygame.K_F3: "qwertz-de"}
#: Words the headset check says (content language), chosen at random.
HEADSET_WORDS = {
    "nl": ("zonnebloem", "fietsbel", "appelsap", "regenjas", "boterham"),
    "fr": ("parapluie", "boulangerie", "tournesol", "chocolat", "papillon"),
    "en": ("umbrella", "sunflower", "butterfly", "keyboard", "pineapple"),
    "de": ("Regenschirm", "Sonnenblume", "Schmetterling", "Tastatur", "Apfelsaft"),
}
#: The intake's pages in order (``Session.intake_pages`` may ask for fewer: ``run --task`` shows the consent only).
INTAKE_PAGES = ("candidate", "consent", "layout", "headset")


def earlier_sessions(store: Any, candidate_id: str, battery: str) -> tuple[list[dict[str, Any]], Any]:
    """The candidate's earlier sessions of ``battery`` (dicts) and the last unfinished one (or None)."""
    if store is None:
        return [], None
    frame = store.sessions_frame(candidate=candidate_id)
    rows = [r for r in frame.to_dict("records") if r.get("battery") == battery]
    unfinished = [r for r in rows if r.get("state") in ("running", "interrupted")]
    return rows, (unfinished[-1] if unfinished else None)


def recent_completed_session(rows: list[dict[str, Any]], retake_days: int,
                             now: datetime | None = None) -> dict[str, Any] | None:
    """The last of ``rows`` (``earlier_sessions``) completed less than ``retake_days`` days before
    ``now`` (default: the current UTC time), counted from its start; None when the candidate may
    take the battery again (always with ``retake_days`` = 0)."""
    if retake_days <= 0:
        return None
    cutoff = (now or datetime.now(UTC)) - timedelta(days=retake_days)
    recent = [r for r in rows if r.get("state") == "complete" and r.get("started_at") is not None
              and _utc(r["started_at"]) > cutoff]
    return recent[-1] if recent else None


def retake_message(tr: Any, refusal: SessionRefused, retake_days: int, now: datetime | None = None) -> str:
    """What the candidate page says when the retake rule stops the candidate (``tr``: the app's
    translator): an unfinished session (``reason`` "running", or interrupted) asks for the proctor
    to resume it; a completed one names its date, the waiting period and the days left (rounded
    up: 19.2 days left read "nog 20 dagen") with the first day a retake is allowed."""
    since = _utc(refusal.since) if refusal.since is not None else None
    date = f"{since:%Y-%m-%d}" if since is not None else "?"
    if refusal.reason != "retake" or since is None:
        return str(tr("retake_unfinished", date=date))
    allowed = since + timedelta(days=retake_days)
    left = max(1, math.ceil((allowed - (now or datetime.now(UTC))).total_seconds() / 86400))
    return str(tr("retake_wait", date=date, days=retake_days, n=left, until=f"{allowed:%Y-%m-%d}"))


def id_problem(cid: str) -> str | None:
    """The interface text key saying what is wrong with a typed candidate id (already stripped of
    surrounding spaces), or None when ``typingtest.ids`` accepts it: empty, a space inside, too
    long (``CANDIDATE_ID_MAX``), else a character the rule does not allow."""
    if is_valid_candidate_id(cid):
        return None
    if not cid:
        return "id_empty"
    if any(c.isspace() for c in cid):
        return "id_space"
    if len(cid) > CANDIDATE_ID_MAX:
        return "id_long"
    return "id_chars"


def layout_check_problem(typed: str, expected: str) -> str | None:
    """The interface text key saying what is wrong with the keyboard check (``typed`` stripped), or
    None when it is right: nothing typed, the right characters without the spaces between them, or
    other characters (the system's keyboard layout is not the one chosen)."""
    if typed == expected:
        return None
    if not typed:
        return "layout_empty"
    if "".join(typed.split()) == "".join(expected.split()):
        return "layout_no_spaces"
    return "layout_mismatch"


def _utc(value: Any) -> datetime:
    """A stored time (pandas Timestamp or datetime; naive means UTC) as an aware UTC datetime."""
    moment = value.to_pydatetime() if hasattr(value, "to_pydatetime") else value
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


class IntakeScene(Scene):
    """Pages: candidate id -> consent -> keyboard check -> headset check."""

    name = "intake"

    def __init__(self, app: App, session: Session | None) -> None:
        super().__init__(app)
        self.session = session
        tr = app.tr
        days = app.settings.retention_days
        lang = session.language if session is not None else "nl"
        self.headset_word = random.choice(HEADSET_WORDS.get(lang, HEADSET_WORDS["nl"]))
        self.page = ""
        #: The pages shown, in order (all of ``INTAKE_PAGES``, or the consent only for ``run --task``).
        self.pages = tuple(session.intake_pages) if session is not None else INTAKE_PAGES
        self.candidate_id = ""
        self.retake_blocked = False
        #: the proctor waived the retake period (``override_retake``)
        self.retake_overridden = False
        #: The candidate's unfinished session of this battery (a sessions row), found at the id page.
        self.resumable: dict[str, Any] | None = None
        #: The unfinished session the proctor chose to resume: reopened by ``done``, after the
        #: consent and the checks, as a new session would be opened.
        self.resuming: dict[str, Any] | None = None
        start = session.keyboard_layout if session is not None else DEFAULT_LAYOUT
        #: The keyboard layout chosen on the keyboard page (``engine.layouts`` name).
        self.keyboard_layout = start if start in LAYOUT_NAMES else DEFAULT_LAYOUT
        self.add(Label("title", tr("intake_title"), size=34))
        self.add(Label("prompt", "", size=24))
        self.add(Label("consent-text", tr("consent_text", days=days), size=20))
        self.add(TextField("candidate-id", size=24, max_length=64))
        self.add(TextField("layout-check", size=24, max_length=64))
        self.add(TextField("headset-check", size=24, max_length=64))
        self.add(Button("agree", tr("agree"), self._agree, shortcut="Enter"))
        self.add(Button("disagree", tr("disagree"), self._disagree))  # no shortcut: a refusal is clicked or tabbed to
        self.add(Button("play", tr("play"), self._play_word, shortcut="F5"))
        self.add(Button("next", tr("next"), self._next, shortcut="Enter"))
        self.add(Label("feedback", "", size=20, color="warn"))
        for key, name in _LAYOUT_KEYS.items():
            self.add(Button(f"layout:{name}", LAYOUT_LABELS[name], lambda n=name: self.choose_layout(n),
                            shortcut=pygame.key.name(key).upper(), size=18))

    def layout(self, theme: Theme) -> None:
        """The page's widgets in one column centred on the screen (``flow_scenes.stack_centred``),
        each as high as its text needs at the font scale in force; laid out again when the page or
        its message changes."""
        from typingtest.workstation.flow_scenes import stack_centred

        w = self.widget
        rows: list[list[tuple[Widget, float, float]]] = [[(w("title"), 1000, 50)], [(w("prompt"), 1000, 40)]]
        page = self.page or "candidate"
        if page == "candidate":
            rows += [[(w("candidate-id"), 600, 48)], [(w("next"), 300, 54)]]
        elif page == "consent":
            buttons = [(w(name), 300, 54) for name in ("agree", "disagree") if self.has_widget(name)]
            rows += [[(w("consent-text"), 1000, 100)], buttons]
        elif page == "layout":
            rows += [[(w(f"layout:{name}"), 220, 54) for name in _LAYOUT_KEYS.values()],
                     [(w("layout-check"), 600, 48)], [(w("next"), 300, 54)]]
        elif page == "headset":
            rows += [[(w("headset-check"), 600, 48), (w("play"), 200, 48)], [(w("next"), 300, 54)]]
        rows.append([(w("feedback"), 1000, 30)])
        stack_centred(theme, rows, top=70, gap=24)

    def on_show(self) -> None:
        given = self.session.candidate_id if self.session is not None else None
        if "candidate" not in self.pages:  # run --task: the id is given (or "unassigned"); consent is still asked
            self.candidate_id = given or "unassigned"
            self.show_page("consent")
            return
        self.show_page("candidate")
        if given:  # --candidate: accepted as if typed and confirmed (the retake rule applies), then consent
            self.widget("candidate-id").set_text(given)  # type: ignore[attr-defined]
            self._next()

    def _after(self, page: str) -> None:
        """Go to the page after ``page`` in ``pages``; after the last, ``done``."""
        rest = self.pages[self.pages.index(page) + 1:] if page in self.pages else ()
        if rest:
            self.show_page(rest[0])
        else:
            self.done()

    def show_page(self, page: str) -> None:
        """Go to one of the intake pages."""
        self.page = page
        tr = self.app.tr
        visible = {
            "candidate": {"candidate-id", "next"},
            "consent": {"consent-text", "agree", "disagree"},
            "layout": {"layout-check", "next", *(f"layout:{n}" for n in _LAYOUT_KEYS.values())},
            "headset": {"headset-check", "play", "next"},
        }[page]
        for w in self.widgets:
            if w.name not in ("title", "prompt", "feedback"):
                w.visible = w.name in visible
        prompt = {
            "candidate": tr("candidate_id"),
            "consent": tr("consent", v=CONSENT_VERSION),
            "layout": tr("layout_check", text=LAYOUT_CHECK_TEXTS[self.keyboard_layout]),
            "headset": tr("headset_check"),
        }[page]
        self.widget("prompt").set_text(prompt)  # type: ignore[attr-defined]
        self.widget("feedback").set_text("")  # type: ignore[attr-defined]
        self.layout(self.app.theme)
        self.app.invalidate()
        focus = {"candidate": "candidate-id", "consent": "agree", "layout": "layout-check",
                 "headset": "headset-check"}[page]
        self.app.set_focus(self.widget(focus))
        if page == "consent":  # only a fresh press agrees: not the held or repeated Enter of the id page
            self.app.arm_input_guard(0.0)
        else:
            self.app.clear_input_guard()
        if page == "layout":
            self._mark_layout()
        if page == "headset":
            self._play_word()

    def choose_layout(self, name: str) -> None:
        """The candidate's keyboard layout (``engine.layouts`` name): the check text follows it."""
        if name not in LAYOUT_NAMES:
            raise ValueError(f"unknown keyboard layout {name!r}; known: {', '.join(LAYOUT_NAMES)}")
        self.keyboard_layout = name
        self.widget("layout-check").set_text("")  # type: ignore[attr-defined]
        self.show_page("layout")

    def _mark_layout(self) -> None:
        for name in _LAYOUT_KEYS.values():
            button = self.widget(f"layout:{name}")
            button.active = name == self.keyboard_layout  # type: ignore[attr-defined]
            button.dirty = True

    def _feedback(self, text: str) -> None:
        self.widget("feedback").set_text(text)  # type: ignore[attr-defined]
        self.layout(self.app.theme)  # the message may need more lines than the last one
        self.app.invalidate()

    def _next(self) -> None:
        tr = self.app.tr
        if self.page == "candidate":
            cid = self.widget("candidate-id").text.strip()  # type: ignore[attr-defined]
            problem = id_problem(cid)  # the one rule (typingtest.ids): an id is never a path
            if problem is not None:
                self._feedback(tr(problem, n=CANDIDATE_ID_MAX) if problem == "id_long" else tr(problem))
                return
            self.candidate_id = cid
            if self._retake_check(cid):
                return
            self._after("candidate")
        elif self.page == "layout":
            typed = self.widget("layout-check").text.strip()  # type: ignore[attr-defined]
            expected = LAYOUT_CHECK_TEXTS[self.keyboard_layout]
            problem = layout_check_problem(typed, expected)
            if problem is not None:
                self._feedback(tr(problem, text=expected, layout=LAYOUT_LABELS[self.keyboard_layout]))
                return
            self._after("layout")
        elif self.page == "headset":
            typed = self.widget("headset-check").text.strip()  # type: ignore[attr-defined]
            if typed.casefold() != self.headset_word.casefold():
                self._feedback(tr("headset_wrong" if typed else "headset_empty"))
                return
            self.done()

    def _retake_check(self, cid: str) -> bool:
        """True when the candidate must wait (the page says why; the proctor may override).

        An early look, so the candidate is stopped before consent; ``done`` opens the session with
        the store's own check (``Store.start_session(retake_days=)``), made again in the
        transaction that creates it, so two workstations cannot both let the candidate in.
        """
        if self.session is None or self.session.store is None:
            return False
        store = self.session.store
        _rows, unfinished = earlier_sessions(store, cid, self.session.battery_id)
        self.resumable = unfinished
        if unfinished is not None:  # running or interrupted: the proctor resumes it (F8), no new session
            self._feedback(self.app.tr("retake_unfinished", date=str(unfinished["started_at"])[:10]))
            self.retake_blocked = True
            return True
        days = int(self.app.settings.retake_days)  # settings: retake_days (0 = no waiting period)
        refusal = store.session_refusal(cid, self.session.battery_id, days)
        if refusal is not None:
            self._blocked(refusal, days)
            return True
        return False

    def _blocked(self, refusal: SessionRefused, days: int) -> None:
        """Show why the store refused the session (``SessionRefused``): a retake too soon, or running elsewhere."""
        self.retake_blocked = True
        self._feedback(retake_message(self.app.tr, refusal, days))

    def override_retake(self) -> None:
        """The proctor's F8 at the id page: resume the candidate's unfinished session when there is
        one, else waive the retake period. Either way the candidate goes on to the consent and the
        checks first; ``done`` then reopens the old session or opens a new one."""
        if not self.candidate_id:
            return  # no candidate accepted yet: nothing to resume or waive
        self.retake_blocked = False
        if self.resumable is not None:
            self.resuming, self.resumable = self.resumable, None
        else:
            self.retake_overridden = True
        self._after("candidate")

    def _open_session(self) -> bool:
        """Open the store's session with the retake policy checked in its transaction; False if refused.

        A proctor's override waives the retake period, never a session running elsewhere.
        """
        session = self.session
        if session is None or session.store is None or session.session_id is not None:
            return True
        from typingtest.store.store import SessionRefused

        # the retake period is the battery's rule: waived by the proctor, and not one of `run --task`
        waived = self.retake_overridden or "candidate" not in self.pages
        days = 0 if waived else int(self.app.settings.retake_days)
        try:
            session.session_id = session.store.start_session(
                self.candidate_id, session.battery_id, session.battery_hash, self.app.settings.workstation,
                session.language, retake_days=days)
        except SessionRefused as refusal:
            self.show_page("candidate")
            _rows, self.resumable = earlier_sessions(session.store, self.candidate_id, session.battery_id)
            self._blocked(refusal, days)
            return False
        return True

    def _agree(self) -> None:
        if self.session is not None and self.session.store is not None:
            self.session.store.record_consent(self.candidate_id, CONSENT_VERSION)
        self._after("consent")

    def _disagree(self) -> None:
        """"I do not agree": the session ends and nothing about the candidate is stored
        (``Session.refuse_consent``: an audit entry without the candidate counts the refusal)."""
        if self.session is not None:
            self.session.refuse_consent(CONSENT_VERSION)
        else:
            self.app.quit()

    def _play_word(self) -> None:
        if self.session is None:
            return
        audio = self.session.ensure_audio()
        if not audio.available:
            self._feedback(self.app.tr("no_audio_proctor", button=self.app.tr("allow_no_audio")))
            return
        lang = self.session.language
        if "headset" not in audio.samples:
            audio.prepare([LineText("headset", self.headset_word, f"{lang}-caller-1")], source="intake")
        audio.play("headset")

    def skip_headset(self) -> None:
        """The proctor allowed the session without audio: the headset check is skipped."""
        if self.page == "headset":
            self.done()

    def done(self) -> None:
        """Intake complete (consent stored, checks passed): open the session, or reopen the one the
        proctor chose to resume, and go on."""
        if self.session is not None:
            self.session.keyboard_layout = self.keyboard_layout
            if self.resuming is not None:
                self._resume()
                return
            if not self._open_session():
                return
            self.session.open_session(self.candidate_id)
            self.session.next()

    def _resume(self) -> None:
        """Reopen the unfinished session (``Session.resume``: the store reopens it, the finished
        tasks are skipped); refused while another session of it runs: the id page says so."""
        from typingtest.store.store import SessionRefused

        assert self.session is not None and self.resuming is not None
        row, self.resuming = self.resuming, None
        try:
            self.session.resume(row)
        except SessionRefused as refusal:
            self.show_page("candidate")
            self.resumable = row
            self._blocked(refusal, 0)

    def on_key(self, key: int, mod: int, t: float) -> bool:
        if key in _LAYOUT_KEYS and self.page == "layout":
            self.choose_layout(_LAYOUT_KEYS[key])
            return True
        if key == pygame.K_F5 and self.page == "headset":
            self._play_word()
            return True
        if key in (pygame.K_RETURN, pygame.K_KP_ENTER) and self.page == "consent":
            self._agree()
            return True
        return False

    def on_submit(self, widget: Widget, t: float) -> bool:
        self._next()
        return True
