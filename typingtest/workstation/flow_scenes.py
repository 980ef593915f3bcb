"""Scenes between tasks: instructions before each kind of task, no-audio hold, closing screen."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import pygame

from typingtest.workstation.scene import Scene
from typingtest.workstation.theme import Theme
from typingtest.workstation.widgets import Button, Label

if TYPE_CHECKING:
    from typingtest.workstation.app import App
    from typingtest.workstation.session import Session

__all__ = ["ClosingScene", "InstructionsScene", "NoAudioScene"]

_INSTRUCTIONS = {
    "copy-typing": {
        "nl": "Bovenaan staat een tekst. Typ hem zo snel en zo juist mogelijk over in het vak eronder. "
              "Fouten verbeteren mag (Backspace, pijltjes). Plakken kan niet. Klaar? Ctrl+Enter of de knop Klaar, "
              "dan Enter om te bevestigen. De tijd loopt af rechtsboven.",
        "fr": "Un texte est affiché en haut. Recopiez-le aussi vite et aussi exactement que possible dans le cadre. "
              "Vous pouvez corriger (Retour arrière, flèches). Le collage est bloqué. Fini ? Ctrl+Entrée ou le "
              "bouton Terminer, puis Entrée pour confirmer.",
        "en": "A text is shown at the top. Type it as fast and as accurately as you can into the box below. You may "
              "correct (Backspace, arrows). Pasting is blocked. Done? Ctrl+Enter or the Finish button, then Enter to "
              "confirm. The time left is shown top right.",
    },
    "transcription": {
        "nl": "U hoort een voicemail van een klant. Typ letterlijk wat u hoort. Met F5 speelt u het bericht opnieuw "
              "af, een beperkt aantal keer.",
        "fr": "Vous entendez un message vocal d'un client. Tapez mot pour mot ce que vous entendez. F5 pour "
              "réécouter, un nombre limité de fois.",
        "en": "You will hear a customer's voicemail. Type exactly what you hear. F5 plays it again, a limited "
              "number of times.",
    },
    "data-entry": {
        "nl": "Een klant geeft zijn gegevens door. Vul elk veld van het formulier in. Tab gaat naar het volgende "
              "veld; F5 speelt de beller opnieuw af.",
        "fr": "Un client dicte ses données. Remplissez chaque champ du formulaire. Tab passe au champ suivant ; "
              "F5 pour réécouter.",
        "en": "A customer dictates their details. Fill in every field of the form. Tab moves to the next field; "
              "F5 plays the caller again.",
    },
    "call": {
        "nl": "U bent operator in een contactcenter. Bekijk eerst rustig het scherm en druk op Klaar voor de "
              "oproep (F1); dan gaat de telefoon: neem op (F1), zoek de klant, controleer de "
              "identiteit, help de klant met de bestelling of verbind door, beantwoord chatberichten met de "
              "kennisbank en schrijf na het gesprek een afsluitnotitie. Sneltoetsen staan op de knoppen.",
        "fr": "Vous êtes opérateur dans un centre de contact. Regardez d'abord l'écran, puis appuyez sur Prêt "
              "(F1) ; le téléphone sonne : décrochez (F1), cherchez le "
              "client, vérifiez son identité, traitez sa demande ou transférez, répondez au chat avec la base de "
              "connaissances et rédigez une note de clôture. Les raccourcis sont sur les boutons.",
        "en": "You are a contact-centre operator. Look at the screen first, then press Ready for the call (F1); "
              "the phone rings: pick up (F1), find the customer, check their "
              "identity, handle the order or transfer the call, answer chat messages from the knowledge base and "
              "write a wrap-up note after the call. Shortcuts are shown on the buttons.",
    },
}


class InstructionsScene(Scene):
    """What the next kind of task asks; Enter or Start begins it."""

    name = "instructions"

    def __init__(self, app: App, session: Session | None, kind: str) -> None:
        super().__init__(app)
        self.session = session
        self.kind = kind
        titles = {"copy-typing": "copy_title", "transcription": "trans_title", "data-entry": "entry_title",
                  "call": "call_title"}
        self.add(Label("title", app.tr(titles.get(kind, kind)), size=34))
        text = _INSTRUCTIONS.get(kind, {}).get(app.tr.lang, "")
        if kind == "call":  # how the operator "says" something: plainly, before the call
            text = f"{text} {app.tr('call_script_says')}"
        self.add(Label("text", text, size=24))
        self.add(Button("start", app.tr("start"), self._start, shortcut="Enter"))
        self.initial_focus = "start"

    def layout(self, theme: Theme) -> None:
        self.widget("title").set_rect(theme.rect(140, 100, 1000, 50))
        self.widget("text").set_rect(theme.rect(140, 180, 1000, 300))
        self.widget("start").set_rect(theme.rect(490, 560, 300, 54))

    def _start(self) -> None:
        if self.session is not None:
            self.session.next()

    def on_key(self, key: int, mod: int, t: float) -> bool:
        if key in (pygame.K_RETURN, pygame.K_KP_ENTER):
            self._start()
            return True
        return False


class NoAudioScene(Scene):
    """No audio device: the task waits until the proctor allows it without audio (Ctrl+Alt+P)."""

    name = "no-audio"

    def __init__(self, app: App, session: Session, make_task: Callable[[], Scene]) -> None:
        super().__init__(app)
        self.session = session
        self.make_task = make_task
        self.add(Label("text", app.tr("no_audio"), size=26))

    def layout(self, theme: Theme) -> None:
        self.widget("text").set_rect(theme.rect(140, 220, 1000, 200))

    def allowed(self) -> None:
        """The proctor allowed the task without audio: start it."""
        self.session.allow_without_audio()
        self.app.show(self.make_task())


class ClosingScene(Scene):
    """The end. What the candidate sees is a setting: nothing, or a summary of the scored tasks."""

    name = "closing"

    def __init__(self, app: App, session: Session | None) -> None:
        super().__init__(app)
        self.session = session
        self.add(Label("title", app.tr("closing_title"), size=34))
        self.add(Label("text", app.tr("closing_text"), size=24))
        self.add(Label("summary", self._summary(), size=22))
        self.add(Button("close", app.tr("close"), self._close, shortcut="Enter"))
        self.initial_focus = "close"

    def _summary(self) -> str:
        if self.session is None or self.app.settings.closing_screen != "summary":
            return ""
        tr = self.app.tr
        lines = []
        for r in self.session.results:
            if r.practice:
                continue
            wpm, er = r.metrics.get("net_wpm"), r.metrics.get("msd_error_rate")
            if wpm is not None and er is not None:
                lines.append(f"{r.item}: {wpm:.0f} {tr('wpm')}, {100 * er:.1f} % {tr('errors_left')}")
            elif r.actions:
                lines.append(f"{r.item}: {tr('summary')} ✓")
        return "\n".join(lines)

    def layout(self, theme: Theme) -> None:
        self.widget("title").set_rect(theme.rect(140, 100, 1000, 50))
        self.widget("text").set_rect(theme.rect(140, 170, 1000, 60))
        self.widget("summary").set_rect(theme.rect(140, 250, 1000, 280))
        self.widget("close").set_rect(theme.rect(490, 560, 300, 54))

    def _close(self) -> None:
        if self.session is not None:
            self.session.next()
        else:
            self.app.quit()

    def on_key(self, key: int, mod: int, t: float) -> bool:
        if key in (pygame.K_RETURN, pygame.K_KP_ENTER):
            self._close()
            return True
        return False
