"""Intake: candidate id, consent (with its text version), keyboard layout (chosen, then checked by
typing characters only that layout gives), headset check, and the retake policy against the
candidate's earlier sessions. The chosen layout goes to the session and with it to every attempt.

With the setting ``intake = "access-code"`` (a centre with a console, issue 13) the first page asks
for the access code of a registration instead of a free candidate id (``store.registrations``):
the code decides the candidate id, the battery, the language and the accommodations (extra time,
font scale, high contrast, the headset check skipped) for this session only
(``apply_registration``: the same path as the workstation's settings, recorded in every
attempt's meta as ``registration``). A used code starts nothing unless a proctor allowed a resume
or a retake (consumed when the session opens). Five wrong codes in a row lock the page for 30 s
(``AccessCodeLock``), an incident each.

The pages follow one another in one scene. Nothing typed here belongs to an attempt, so
nothing is logged; the consent goes to the store with its text version.

The store's session is opened once, in ``done``, after the consent and the checks: for a new
candidate, for one given with ``--candidate`` (accepted as if typed), and for one the proctor
lets through with F8 (``override_retake``: an unfinished session is reopened, or the retake
period waived). ``run --task`` shows the consent page only (``Session.intake_pages``).
"""

from __future__ import annotations

import contextlib
import dataclasses
import math
import random
import weakref
from typing import TYPE_CHECKING, Any

import pygame

from typingtest.engine.layouts import DEFAULT_LAYOUT, LAYOUT_NAMES
from typingtest.errors import UserError
from typingtest.ids import CANDIDATE_ID_MAX
from typingtest.workstation.audio_link import LineText
from typingtest.workstation.proctor import CodeLock
from typingtest.workstation.registry import register_screen
from typingtest.workstation.rules import (
    earlier_sessions,
    id_problem,
    layout_check_problem,
    recent_completed_session,
    retake_check,
    retake_days_in_force,
    retake_message,
)
from typingtest.workstation.scene import Scene
from typingtest.workstation.theme import Theme
from typingtest.workstation.widgets import Button, Label, TextField, Widget

if TYPE_CHECKING:
    from typingtest.store.registrations import Registration, RegistrationRefused
    from typingtest.store.store import SessionRefused
    from typingtest.workstation.app import App
    from typingtest.workstation.session import Session

__all__ = ["CONSENT_VERSION", "HEADSET_WORDS", "INTAKE_PAGES", "LAYOUT_CHECK_TEXT", "LAYOUT_CHECK_TEXTS",
           "LAYOUT_LABELS", "LAYOUT_SHORTCUTS", "AccessCodeLock", "IntakeScene", "access_code_lock",
           "apply_registration", "earlier_sessions", "id_problem", "layout_check_problem",
           "recent_completed_session", "retake_message"]

#: Version of the consent text shown (stored with each consent; change it when the text changes).
CONSENT_VERSION = "2026-1"
#: What the keyboard check asks to type: the characters a Belgian AZERTY keyboard must give.
LAYOUT_CHECK_TEXT = "é è ë ç à @ €"
#: What the keyboard check asks to type on each layout (``engine.layouts`` names): characters that
#: come out wrong when the operating system's layout is not the one chosen.
LAYOUT_CHECK_TEXTS = {"azerty-be": LAYOUT_CHECK_TEXT, "qwertz-de": "ä ö ü ß z y @ €", "qwerty-us": "z y @ # $ & ( )"}
#: Button captions of the layouts, and the keys that choose them on the keyboard page (their buttons' shortcuts).
LAYOUT_LABELS = {"azerty-be": "AZERTY (BE)", "qwerty-us": "QWERTY (US)", "qwertz-de": "QWERTZ (DE)"}
LAYOUT_SHORTCUTS = {"azerty-be": "F1", "qwerty-us": "F2", "qwertz-de": "F3"}
#: Words the headset check says (content language), chosen at random.
HEADSET_WORDS = {
    "nl": ("zonnebloem", "fietsbel", "appelsap", "regenjas", "boterham"),
    "fr": ("parapluie", "boulangerie", "tournesol", "chocolat", "papillon"),
    "en": ("umbrella", "sunflower", "butterfly", "keyboard", "pineapple"),
    "de": ("Regenschirm", "Sonnenblume", "Schmetterling", "Tastatur", "Apfelsaft"),
}
#: The intake's pages in order (``Session.intake_pages`` may ask for fewer: ``run --task`` shows the consent only).
#: With ``intake = "access-code"`` the page "code" takes the place of "candidate".
INTAKE_PAGES = ("candidate", "consent", "layout", "headset")


class AccessCodeLock(CodeLock):
    """Wrong access codes in a row at this workstation: the fifth locks the code page for 30 s
    (the proctor prompt's ``CodeLock`` with a shorter wait: a candidate may mistype, a guesser
    gets 10 tries a minute at 16.7 million codes)."""

    LOCK_S = 30.0


#: one lock per window, as the proctor prompt's
_ACCESS_LOCKS: weakref.WeakKeyDictionary[App, AccessCodeLock] = weakref.WeakKeyDictionary()


def access_code_lock(app: App) -> AccessCodeLock:
    """The access-code lock of ``app`` (made on first use)."""
    return _ACCESS_LOCKS.setdefault(app, AccessCodeLock())


def apply_registration(session: Session, registration: Registration) -> None:
    """Run ``registration``'s battery in its language with its accommodations, for this session only,
    through the path the workstation's settings take: ``Settings`` with the registration's
    ``extra_time``, ``font_scale`` and ``high_contrast`` (the time limits of ``specs_from_battery``,
    the theme, the attempt meta's ``extra_time``), and the registration in every attempt's meta."""
    from typingtest.content import load_battery
    from typingtest.workstation.runner import parallel_forms, specs_from_battery

    settings = dataclasses.replace(session.settings, extra_time=registration.extra_time,
                                   font_scale=registration.font_scale, high_contrast=registration.high_contrast)
    battery = load_battery(registration.battery, lang=registration.language, passages=settings.passages_dir)
    specs, _has_intake = specs_from_battery(battery, settings)
    record = {"registration_id": registration.registration_id, "extra_time": registration.extra_time,
              "font_scale": registration.font_scale, "high_contrast": registration.high_contrast,
              "headset_check_skipped": registration.skip_headset_reason}
    session.use_registration(specs, battery_id=battery.id, language=battery.language, settings=settings,
                             record=record)
    if session.choose_forms is not None:  # a retake's parallel forms: of the registration's battery
        session.choose_forms = parallel_forms(battery, settings)
    app = session.app
    app.theme = Theme(app.screen.get_size(), settings.font_scale, settings.high_contrast)
    app.invalidate()


class IntakeScene(Scene):
    """Pages: candidate id -> consent -> keyboard check -> headset check."""

    name = "intake"
    offers_retake_override = True  # the proctor's F8 (``override_retake``)

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
        settings = session.settings if session is not None else app.settings
        #: the first page asks for a registration's access code (``intake = "access-code"``; needs the store)
        self.by_code = (settings.intake == "access-code" and "candidate" in self.pages and session is not None
                        and session.store is not None)
        if self.by_code:
            self.pages = tuple("code" if p == "candidate" else p for p in self.pages)
        #: the page that identifies the candidate: "code" or "candidate"
        self.first_page = "code" if self.by_code else "candidate"
        #: The registration the access code named (``store.registrations.Registration``), once accepted.
        self.registration: Registration | None = None
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
        self.add(TextField("access-code", size=40, max_length=16))  # big: read from a letter, typed once
        self.add(TextField("layout-check", size=24, max_length=64))
        self.add(TextField("headset-check", size=24, max_length=64))
        self.add(Button("agree", tr("agree"), self._agree, shortcut="Enter"))
        self.add(Button("disagree", tr("disagree"), self._disagree))  # no shortcut: a refusal is clicked or tabbed to
        self.add(Button("play", tr("play"), self._play_word, shortcut="F5"))
        self.add(Button("next", tr("next"), self._next, shortcut="Enter"))
        self.add(Label("feedback", "", size=20, color="warn"))
        for name, shortcut in LAYOUT_SHORTCUTS.items():
            self.add(Button(f"layout:{name}", LAYOUT_LABELS[name], lambda n=name: self.choose_layout(n),
                            shortcut=shortcut, size=18))

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
        elif page == "code":
            rows += [[(w("access-code"), 420, 72)], [(w("next"), 300, 54)]]
        elif page == "consent":
            buttons = [(w(name), 300, 54) for name in ("agree", "disagree") if self.has_widget(name)]
            rows += [[(w("consent-text"), 1000, 100)], buttons]
        elif page == "layout":
            rows += [[(w(f"layout:{name}"), 220, 54) for name in LAYOUT_SHORTCUTS],
                     [(w("layout-check"), 600, 48)], [(w("next"), 300, 54)]]
        elif page == "headset":
            rows += [[(w("headset-check"), 600, 48), (w("play"), 200, 48)], [(w("next"), 300, 54)]]
        rows.append([(w("feedback"), 1000, 30)])
        stack_centred(theme, rows, top=70, gap=24)

    def on_show(self) -> None:
        given = self.session.candidate_id if self.session is not None else None
        if self.by_code:  # the registration names the candidate (a --candidate given is not asked for)
            self.show_page("code")
            return
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
            "code": {"access-code", "next"},
            "consent": {"consent-text", "agree", "disagree"},
            "layout": {"layout-check", "next", *(f"layout:{n}" for n in LAYOUT_SHORTCUTS)},
            "headset": {"headset-check", "play", "next"},
        }[page]
        for w in self.widgets:
            if w.name not in ("title", "prompt", "feedback"):
                w.visible = w.name in visible
        prompt = {
            "candidate": tr("candidate_id"),
            "code": tr("access_code"),
            "consent": tr("consent", v=CONSENT_VERSION),
            "layout": tr("layout_check", text=LAYOUT_CHECK_TEXTS[self.keyboard_layout]),
            "headset": tr("headset_check"),
        }[page]
        self.widget("prompt").set_text(prompt)  # type: ignore[attr-defined]
        self.widget("feedback").set_text("")  # type: ignore[attr-defined]
        self.layout(self.app.theme)
        self.app.invalidate()
        focus = {"candidate": "candidate-id", "code": "access-code", "consent": "agree", "layout": "layout-check",
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
        for name in LAYOUT_SHORTCUTS:
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
        elif self.page == "code":
            self._redeem()
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

    def _redeem(self) -> None:
        """The code page's Next: the registration of the code typed, or one line why not (five wrong
        or unknown codes in a row: a 30 s wait, an incident)."""
        from typingtest.store.registrations import RegistrationRefused, redeem

        assert self.session is not None and self.session.store is not None
        tr, store = self.app.tr, self.session.store
        now = self.app.clock.now()
        lock = access_code_lock(self.app)
        left = lock.seconds_left(now)
        if left > 0:
            self._feedback(tr("code_wait", s=math.ceil(left)))
            return
        workstation = self.app.settings.workstation
        try:
            registration = redeem(store, self.widget("access-code").text, workstation)  # type: ignore[attr-defined]
        except RegistrationRefused as refusal:
            if refusal.reason in ("format", "unknown"):
                self.app.incident(now, "access-code-wrong", refusal.reason)  # never the code typed
                if lock.wrong_code(now):
                    detail = f"{lock.MAX_WRONG} wrong codes: locked for {lock.LOCK_S:g} s"
                    self.app.incident(now, "access-code-locked", detail)
                    with contextlib.suppress(UserError):  # the database down: the incident stays here
                        store.audit("access-code-locked", "workstation", workstation,
                                    {"wrong_codes": lock.MAX_WRONG, "locked_s": lock.LOCK_S})
                    self._feedback(tr("code_wait", s=math.ceil(lock.LOCK_S)))
                    return
            self._feedback(self._refusal_text(refusal))
            return
        except UserError:  # the database cannot be reached
            self._feedback(tr("code_no_database"))
            return
        lock.right_code()
        self._accept(registration)

    def _refusal_text(self, refusal: RegistrationRefused) -> str:
        tr = self.app.tr
        if refusal.reason == "expired" and refusal.registration is not None and refusal.registration.expires_at:
            return tr("code_expired", date=f"{refusal.registration.runs_out_on:%d-%m-%Y}")
        return tr(f"code_{refusal.reason}")

    def _accept(self, registration: Registration) -> None:
        """A valid code: its battery, language and accommodations for this session; then the retake
        rule (a proctor's allow: resume the unfinished session, or a retake with the period waived)."""
        assert self.session is not None and self.session.store is not None
        try:
            apply_registration(self.session, registration)
        except UserError as exc:  # the battery is gone from this workstation's content
            self._feedback(str(exc))
            return
        self.registration = registration
        self.candidate_id = registration.candidate_id
        if registration.skip_headset_reason:
            self.pages = tuple(p for p in self.pages if p != "headset")
        lang = self.session.language
        self.headset_word = random.choice(HEADSET_WORDS.get(lang, HEADSET_WORDS["nl"]))
        if registration.allow_again == "resume":
            days = int(self.app.settings.retake_days)
            check = retake_check(self.session.store, self.candidate_id, self.session.battery_id, days)
            if check is not None and check.unfinished is not None:
                self.resuming = check.unfinished
            else:  # nothing unfinished to resume: a new session, as a retake
                self.retake_overridden = True
        elif registration.allow_again == "retake":
            self.retake_overridden = True
        elif self._retake_check(self.candidate_id):
            return
        self._after("code")

    def _mark_used(self) -> bool:
        """Record the registration used by the session just opened (its allow consumed); False when
        another workstation used the code a moment earlier (the session is abandoned, the code page
        says so)."""
        from typingtest.store.registrations import RegistrationRefused, mark_used

        session = self.session
        if self.registration is None or session is None or session.store is None or session.session_id is None:
            return True
        try:
            self.registration = mark_used(session.store, self.registration, session.session_id,
                                          workstation=self.app.settings.workstation)
        except RegistrationRefused:
            session.store.end_session(session.session_id, "abandoned")
            session.session_id = None
            self.registration = None
            self.show_page(self.first_page)
            self._feedback(self.app.tr("code_used"))
            return False
        return True

    def _retake_check(self, cid: str) -> bool:
        """True when the candidate must wait (the page says why; the proctor may override).

        An early look, so the candidate is stopped before consent; ``done`` opens the session with
        the store's own check (``Store.start_session(retake_days=)``), made again in the
        transaction that creates it, so two workstations cannot both let the candidate in.
        """
        if self.session is None or self.session.store is None:
            return False
        days = int(self.app.settings.retake_days)  # settings: retake_days (0 = no waiting period)
        check = retake_check(self.session.store, cid, self.session.battery_id, days)
        self.resumable = check.unfinished if check is not None else None
        if check is None:
            return False
        if check.unfinished is not None:  # running or interrupted: the proctor resumes it (F8), no new session
            self._feedback(self.app.tr("retake_unfinished", date=str(check.unfinished["started_at"])[:10]))
            self.retake_blocked = True
        elif check.refusal is not None:
            self._blocked(check.refusal, days)
        return True

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
        self._after(self.first_page)

    def _open_session(self) -> bool:
        """Open the store's session with the retake policy checked in its transaction; False if refused.

        A proctor's override waives the retake period, never a session running elsewhere.
        """
        session = self.session
        if session is None or session.store is None or session.session_id is not None:
            return True
        from typingtest.store.store import SessionRefused

        # the retake period is the battery's rule: waived by the proctor, and not one of `run --task`
        days = retake_days_in_force(int(self.app.settings.retake_days), overridden=self.retake_overridden,
                                    asks_candidate=self.first_page in self.pages)
        try:
            session.session_id = session.store.start_session(
                self.candidate_id, session.battery_id, session.battery_hash, self.app.settings.workstation,
                session.language, retake_days=days)
        except SessionRefused as refusal:
            self.show_page(self.first_page)
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

    def allow_without_audio(self) -> None:
        """``ProctorTarget``: the proctor's F7 skips the headset check."""
        self.skip_headset()

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
            if not self._mark_used():
                return
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
            self.show_page(self.first_page)
            self.resumable = row
            self._blocked(refusal, 0)
            return
        self._mark_used()

    def on_key(self, key: int, mod: int, t: float) -> bool:
        if key in (pygame.K_RETURN, pygame.K_KP_ENTER) and self.page == "consent":
            self._agree()
            return True
        return False

    def on_submit(self, widget: Widget, t: float) -> bool:
        self._next()
        return True


register_screen(IntakeScene)
