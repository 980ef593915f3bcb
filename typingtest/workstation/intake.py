"""Intake: candidate id, consent (with its text version), keyboard layout (chosen, then checked by
typing characters only that layout gives), headset check, and the retake policy against the
candidate's earlier sessions. The chosen layout goes to the session and with it to every attempt.

The pages follow one another in one scene. Nothing typed here belongs to an attempt, so
nothing is logged; the consent goes to the store with its text version.
"""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

import pygame

from typingtest.engine.layouts import DEFAULT_LAYOUT, LAYOUT_NAMES
from typingtest.ids import is_valid_candidate_id
from typingtest.workstation.audio_link import LineText
from typingtest.workstation.scene import Scene
from typingtest.workstation.theme import Theme
from typingtest.workstation.widgets import Button, Label, TextField, Widget

if TYPE_CHECKING:
    from typingtest.store.store import SessionRefused
    from typingtest.workstation.app import App
    from typingtest.workstation.session import Session

__all__ = ["CONSENT_VERSION", "HEADSET_WORDS", "LAYOUT_CHECK_TEXT", "LAYOUT_CHECK_TEXTS", "LAYOUT_LABELS",
           "IntakeScene", "earlier_sessions", "recent_completed_session"]

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
_PAGES = ("candidate", "consent", "layout", "headset")


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
        self.retake_blocked = False
        #: the proctor waived the retake period (``override_retake``)
        self.retake_overridden = False
        self.resumable: dict[str, Any] | None = None
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
        self.add(Button("play", tr("play"), self._play_word, shortcut="F5"))
        self.add(Button("next", tr("next"), self._next, shortcut="Enter"))
        self.add(Label("feedback", "", size=20, color="warn"))
        for key, name in _LAYOUT_KEYS.items():
            self.add(Button(f"layout:{name}", LAYOUT_LABELS[name], lambda n=name: self.choose_layout(n),
                            shortcut=pygame.key.name(key).upper(), size=18))

    def layout(self, theme: Theme) -> None:
        self.widget("title").set_rect(theme.rect(140, 80, 1000, 50))
        self.widget("prompt").set_rect(theme.rect(140, 160, 1000, 70))
        self.widget("consent-text").set_rect(theme.rect(140, 240, 1000, 200))
        for name in ("candidate-id", "layout-check", "headset-check"):
            self.widget(name).set_rect(theme.rect(140, 250, 600, 48))
        self.widget("play").set_rect(theme.rect(760, 250, 200, 48))
        self.widget("agree").set_rect(theme.rect(140, 460, 300, 54))
        self.widget("next").set_rect(theme.rect(140, 330, 300, 54))
        self.widget("feedback").set_rect(theme.rect(140, 400, 1000, 80))
        for i, name in enumerate(_LAYOUT_KEYS.values()):
            self.widget(f"layout:{name}").set_rect(theme.rect(140 + 240 * i, 480, 220, 54))

    def on_show(self) -> None:
        self.show_page("candidate")
        if self.session is not None and self.session.candidate_id:  # given with --candidate
            self.widget("candidate-id").set_text(self.session.candidate_id)  # type: ignore[attr-defined]

    def show_page(self, page: str) -> None:
        """Go to one of the intake pages."""
        self.page = page
        tr = self.app.tr
        visible = {
            "candidate": {"candidate-id", "next"},
            "consent": {"consent-text", "agree"},
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
        self.app.invalidate()
        focus = {"candidate": "candidate-id", "consent": "agree", "layout": "layout-check",
                 "headset": "headset-check"}[page]
        self.app.set_focus(self.widget(focus))
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

    def _next(self) -> None:
        tr = self.app.tr
        if self.page == "candidate":
            cid = self.widget("candidate-id").text.strip()  # type: ignore[attr-defined]
            if not is_valid_candidate_id(cid):  # the one rule (typingtest.ids): an id is never a path
                self._feedback(tr("check_wrong"))
                return
            self.candidate_id = cid
            if self._retake_check(cid):
                return
            self.show_page("consent")
        elif self.page == "layout":
            typed = self.widget("layout-check").text.strip()  # type: ignore[attr-defined]
            if typed != LAYOUT_CHECK_TEXTS[self.keyboard_layout]:
                self._feedback(tr("check_wrong"))
                return
            self.show_page("headset")
        elif self.page == "headset":
            typed = self.widget("headset-check").text.strip()  # type: ignore[attr-defined]
            if typed.casefold() != self.headset_word.casefold():
                self._feedback(tr("check_wrong"))
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
        if unfinished is not None:
            self._feedback(self.app.tr("retake_blocked", date=str(unfinished["started_at"])[:10], days=0))
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
        when = f"{refusal.since:%Y-%m-%d}" if refusal.since is not None else "?"
        self._feedback(self.app.tr("retake_blocked", date=when, days=days if refusal.reason == "retake" else 0))

    def override_retake(self) -> None:
        """The proctor lets the candidate go on despite the retake policy."""
        self.retake_blocked = False
        self.retake_overridden = True
        self.resumable = None
        self.show_page("consent")

    def _open_session(self) -> bool:
        """Open the store's session with the retake policy checked in its transaction; False if refused.

        A proctor's override waives the retake period, never a session running elsewhere.
        """
        session = self.session
        if session is None or session.store is None or session.session_id is not None:
            return True
        from typingtest.store.store import SessionRefused

        days = 0 if self.retake_overridden else int(self.app.settings.retake_days)
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
        self.show_page("layout")

    def _play_word(self) -> None:
        if self.session is None:
            return
        audio = self.session.ensure_audio()
        if not audio.available:
            self._feedback(self.app.tr("no_audio"))
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
        """Intake complete: open the session and go on."""
        if self.session is not None:
            self.session.keyboard_layout = self.keyboard_layout
            if not self._open_session():
                return
            self.session.open_session(self.candidate_id)
            self.session.next()

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
