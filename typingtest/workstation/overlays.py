"""Modal dialogs: the Finish confirmation and a plain message."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pygame

from typingtest.workstation.recorder import FINISH_TARGET
from typingtest.workstation.scene import Overlay
from typingtest.workstation.theme import Theme
from typingtest.workstation.widgets import Button, Label

if TYPE_CHECKING:
    from typingtest.workstation.app import App
    from typingtest.workstation.scene import Scene

__all__ = ["FinishOverlay", "MessageOverlay"]


class FinishOverlay(Overlay):
    """"End the task? Enter confirms, Esc goes on." Its keys are logged with target ``finish``."""

    name = "finish-dialog"
    target = FINISH_TARGET
    box = (340, 240, 600, 200)

    def __init__(self, app: App, scene: Scene) -> None:
        super().__init__(app)
        self.scene = scene
        tr = app.tr
        warning = scene.finish_warning()
        text = tr("finish_confirm") if warning is None else f"{warning} {tr('finish_confirm')}"
        self.add(Label("finish-text", text, size=22))
        self.add(Button("finish-confirm", tr("finish"), lambda: self.scene.confirm_finish(app.clock.now()),
                        shortcut="Enter"))
        self.add(Button("finish-cancel", tr("cancel"), lambda: self.scene.cancel_finish(app.clock.now()),
                        shortcut="Esc"))

    def layout(self, theme: Theme) -> None:
        self.widget("finish-text").set_rect(theme.rect(370, 265, 540, 90))
        self.widget("finish-confirm").set_rect(theme.rect(370, 370, 250, 44))
        self.widget("finish-cancel").set_rect(theme.rect(660, 370, 250, 44))

    def on_key(self, key: int, mod: int, t: float) -> bool:
        if key in (pygame.K_RETURN, pygame.K_KP_ENTER):
            self.scene.confirm_finish(t)
            return True
        if key == pygame.K_ESCAPE:
            self.scene.cancel_finish(t)
            return True
        return False


class MessageOverlay(Overlay):
    """A message with one button (Enter or a click closes it)."""

    name = "message"
    target = "message"

    def __init__(self, app: App, text: str, button: str = "OK") -> None:
        super().__init__(app)
        self.add(Label("message-text", text, size=22))
        self.add(Button("message-ok", button, app.close_overlay, shortcut="Enter"))

    def layout(self, theme: Theme) -> None:
        self.widget("message-text").set_rect(theme.rect(370, 225, 540, 200))
        self.widget("message-ok").set_rect(theme.rect(515, 435, 250, 44))

    def on_key(self, key: int, mod: int, t: float) -> bool:
        if key in (pygame.K_RETURN, pygame.K_KP_ENTER, pygame.K_ESCAPE):
            self.app.close_overlay()
            return True
        return False
