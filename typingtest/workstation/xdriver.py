"""Test helper (Linux only): a throwaway Xvfb display and xdotool key injection.

Used by the Xvfb end-to-end test and the keystroke-timing benchmark, never by the
workstation itself. ``key_names`` spells a text as the X keysym names xdotool presses on a
Belgian AZERTY layout ("ë" is the dead diaeresis then "e", as a candidate types it).
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import select
import shutil
import subprocess
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["KEYSYMS", "XTOOLS", "XKeyListener", "key_names", "missing_tools", "wait_for_attempt", "wait_for_window",
           "xvfb_display"]

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


def wait_for_attempt(results_dir: os.PathLike[str] | str, timeout: float = 60.0) -> bool:
    """Wait until the workstation has begun an attempt (its journal file exists under
    ``results_dir``): the task is on screen and its keys are recorded from then on."""
    from pathlib import Path

    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if any(Path(results_dir).rglob("*.ttj")):
            return True
        time.sleep(0.02)
    return False


class _XKeyEvent(ctypes.Structure):
    """Xlib's ``XKeyEvent`` (the fields up to ``keycode``), padded to the size of ``XEvent``."""

    _fields_ = [
        ("type", ctypes.c_int),
        ("serial", ctypes.c_ulong),
        ("send_event", ctypes.c_int),
        ("display", ctypes.c_void_p),
        ("window", ctypes.c_ulong),
        ("root", ctypes.c_ulong),
        ("subwindow", ctypes.c_ulong),
        ("time", ctypes.c_ulong),
        ("x", ctypes.c_int),
        ("y", ctypes.c_int),
        ("x_root", ctypes.c_int),
        ("y_root", ctypes.c_int),
        ("state", ctypes.c_uint),
        ("keycode", ctypes.c_uint),
        ("same_screen", ctypes.c_int),
        ("_pad", ctypes.c_long * 16),
    ]


class XKeyListener:
    """A second X client that receives the key events of a window (Xlib through ctypes).

    For the timing benchmark: each key press's X server time (``server_ms``, the time the
    server generated the event, in ms of its monotonic clock, which is the clock of
    ``time.perf_counter`` on Linux) and ``perf_counter`` when this client read it
    (``received_s``). Several clients may select key events on one window; each gets them.
    """

    KEY_PRESS, KEY_RELEASE = 2, 3

    def __init__(self, display: str, window: int | str) -> None:
        name = ctypes.util.find_library("X11") or "libX11.so.6"
        self._x = ctypes.CDLL(name)
        self._x.XOpenDisplay.restype = ctypes.c_void_p
        self._x.XOpenDisplay.argtypes = [ctypes.c_char_p]
        self._x.XSelectInput.argtypes = [ctypes.c_void_p, ctypes.c_ulong, ctypes.c_long]
        self._x.XPending.argtypes = [ctypes.c_void_p]
        self._x.XNextEvent.argtypes = [ctypes.c_void_p, ctypes.c_void_p]
        self._x.XFlush.argtypes = [ctypes.c_void_p]
        self._x.XConnectionNumber.argtypes = [ctypes.c_void_p]
        self._x.XCloseDisplay.argtypes = [ctypes.c_void_p]
        self._dpy = self._x.XOpenDisplay(display.encode())
        if not self._dpy:
            raise RuntimeError(f"cannot open X display {display}")
        self._x.XSelectInput(self._dpy, int(window, 0) if isinstance(window, str) else window, 1 | 2)
        self._x.XFlush(self._dpy)
        self.presses: list[tuple[int, float, int]] = []  # (server ms, perf_counter s, keycode)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="x-key-listener", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        fd = self._x.XConnectionNumber(self._dpy)
        event = _XKeyEvent()
        while not self._stop.is_set():
            if not self._x.XPending(self._dpy):
                select.select([fd], [], [], 0.05)
                continue
            while self._x.XPending(self._dpy):
                self._x.XNextEvent(self._dpy, ctypes.byref(event))
                received = time.perf_counter()
                if event.type == self.KEY_PRESS:
                    self.presses.append((int(event.time), received, int(event.keycode)))

    def close(self) -> list[tuple[int, float, int]]:
        """Stop listening; returns the key presses seen."""
        self._stop.set()
        self._thread.join(timeout=2)
        self._x.XCloseDisplay(self._dpy)
        return self.presses
