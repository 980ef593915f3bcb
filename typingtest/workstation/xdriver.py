"""Test helper (Linux only): a throwaway Xvfb display and xdotool key injection.

Used by the Xvfb end-to-end test and the keystroke-timing benchmark, never by the
workstation itself. ``key_names`` spells a text as the X keysym names xdotool presses on a
Belgian AZERTY layout ("ë" is the dead diaeresis then "e", as a candidate types it).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["KEYSYMS", "XTOOLS", "key_names", "missing_tools", "wait_for_window", "xvfb_display"]

#: The programs this helper needs.
XTOOLS = ("Xvfb", "xdotool", "setxkbmap")

KEYSYMS = {
    " ": ["space"], ",": ["comma"], ".": ["period"], ":": ["colon"], ";": ["semicolon"], "'": ["apostrophe"],
    "@": ["at"], "!": ["exclam"], "?": ["question"], "-": ["minus"], "é": ["eacute"], "è": ["egrave"],
    "à": ["agrave"], "ç": ["ccedilla"], "ë": ["dead_diaeresis", "e"], "ï": ["dead_diaeresis", "i"],
    "ê": ["dead_circumflex", "e"], "€": ["EuroSign"],
}


def missing_tools() -> list[str]:
    """The programs of ``XTOOLS`` not on the PATH."""
    return [t for t in XTOOLS if shutil.which(t) is None]


def key_names(text: str) -> list[str]:
    """The keysym names that type ``text`` (letters and digits are their own names)."""
    out: list[str] = []
    for ch in text:
        if ch in KEYSYMS:
            out.extend(KEYSYMS[ch])
        elif ch.isascii() and ch.isalnum():
            out.append(ch)
        else:
            raise ValueError(f"no key for {ch!r}; add it to KEYSYMS")
    return out


@contextmanager
def xvfb_display(size: str = "1280x720", layout: str = "be") -> Iterator[str]:
    """Start Xvfb on a free display with keyboard ``layout``; yields ``":N"``; stops it after."""
    read_fd, write_fd = os.pipe()
    proc = subprocess.Popen(["Xvfb", "-displayfd", str(write_fd), "-screen", "0", f"{size}x24", "-nolisten", "tcp"],
                            pass_fds=(write_fd,), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    os.close(write_fd)
    try:
        with os.fdopen(read_fd) as fh:
            number = fh.readline().strip()
        if not number:
            raise RuntimeError("Xvfb did not report a display number")
        display = f":{number}"
        subprocess.run(["setxkbmap", "-display", display, layout], check=True, timeout=30)
        yield display
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:  # pragma: no cover
            proc.kill()


def wait_for_window(display: str, name: str = "typingtest", timeout: float = 180.0) -> str | None:
    """The X window id of the window called ``name`` once it is shown (None after ``timeout`` s)."""
    env = dict(os.environ, DISPLAY=display)
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        # SDL names its window in _NET_WM_NAME only, which `xdotool search --name` misses: list
        # every window with a class and read each one's name
        res = subprocess.run(["xdotool", "search", "--class", "."], env=env, capture_output=True, text=True)
        for wid in res.stdout.split():
            got = subprocess.run(["xdotool", "getwindowname", wid], env=env, capture_output=True, text=True)
            if got.stdout.strip() == name:
                return wid
        time.sleep(0.5)
    return None
