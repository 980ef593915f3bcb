"""Which scene shows what: task kinds and the flow's screens, by name.

The session asks here for the scene of a task kind (``task_scene``) or of a step of the flow
(``screen``: ``intake``, ``instructions``, ``ready``, ``practice-result``, ``time-up``,
``no-audio``, ``closing``, ``consent-refused``) and imports no scene module itself. A scene
module registers its factories when it is imported (``register_task``, ``register_screen``);
the modules of ``BUILTIN`` are imported at the first look-up.

A newcomer adds a task kind by writing its task state (``workstation.tasks``), its scene, and
``register_task("kind", factory)`` at the end of the scene's module, listed in ``BUILTIN``.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from typingtest.workstation.app import App
    from typingtest.workstation.scene import Scene

__all__ = ["BUILTIN", "TaskSceneFactory", "register_screen", "register_task", "screen", "task_kinds", "task_scene"]

#: The modules whose scenes register themselves (imported at the first look-up).
BUILTIN = (
    "typingtest.workstation.task_scenes",
    "typingtest.workstation.call_scene",
    "typingtest.workstation.flow_scenes",
    "typingtest.workstation.intake",
    "typingtest.workstation.drill_scenes",
)

#: ``factory(app, session, spec)``: the scene (with its task state) of one task.
TaskSceneFactory = Callable[["App", Any, Any], "Scene"]

_TASKS: dict[str, TaskSceneFactory] = {}
_SCREENS: dict[str, Callable[..., Scene]] = {}
_loaded = False


def register_task(kind: str, factory: TaskSceneFactory) -> None:
    """The scene of task kind ``kind`` (``content`` item kind: ``copy-typing``, ``call``...)."""
    _TASKS[kind] = factory


def register_screen(factory: Callable[..., Scene], name: str | None = None) -> None:
    """A screen of the flow under ``name`` (default: the scene class's ``name``)."""
    _SCREENS[name or str(getattr(factory, "name", ""))] = factory


def _load() -> None:
    global _loaded
    if not _loaded:
        _loaded = True
        for module in BUILTIN:
            importlib.import_module(module)


def task_scene(kind: str) -> TaskSceneFactory:
    """The factory of ``kind``'s scene; ``ValueError`` naming the known kinds when there is none."""
    _load()
    try:
        return _TASKS[kind]
    except KeyError:
        raise ValueError(f"unknown task kind {kind!r}; known: {', '.join(sorted(_TASKS))}") from None


def task_kinds() -> tuple[str, ...]:
    """The task kinds with a scene."""
    _load()
    return tuple(_TASKS)


def screen(name: str) -> Callable[..., Scene]:
    """The factory (scene class) of the flow's screen ``name``."""
    _load()
    return _SCREENS[name]
