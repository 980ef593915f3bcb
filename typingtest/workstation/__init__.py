"""typingtest.workstation: the pygame-ce front end a candidate sits at (see docs/workstation.md).

Scenes (``scene``, ``task_scenes``, ``call_scene``, ``intake``, ``flow_scenes``, ``proctor``,
``replay``) run in one window (``app.App``); task logic lives in plain state objects
(``tasks``); ``session`` records every attempt in the store and asks the engine for its
figures (``scoring``); ``driver`` runs it headless.
"""

import os as _os

# pygame prints a banner on import; the command line and the logs do not want it
_os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")
