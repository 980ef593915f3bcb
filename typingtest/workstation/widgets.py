"""Widgets: labels, buttons, text fields, list boxes, text panels.

A widget knows its ``name`` (the ``target`` of its events in the log and the key of
``App.widget_rect``), its ``rect`` in screen pixels, whether it needs drawing (``dirty``) and
how to draw itself. It never writes to the log: the app logs every input and asks the
widget what edit operation a key means (``TextField.key_op``), so logging lives in one place.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Callable, Sequence

import pygame

from typingtest.engine.textbuffer import TextBuffer
from typingtest.workstation.theme import Theme

__all__ = ["FUNCTION_KEYS", "Button", "Label", "ListBox", "PassagePanel", "TextField", "TextPanel", "Widget",
           "render_text", "shortcut_key", "wrap_text"]

#: The shortcuts a scene dispatches to their buttons by itself (``Scene.press_shortcut``): the
#: function keys. Other shortcuts shown on buttons (Enter, Esc, Ctrl+Enter) belong to the field or
#: dialog they act in, which handles them.
FUNCTION_KEYS: dict[str, int] = {f"F{n}": getattr(pygame, f"K_F{n}") for n in range(1, 13)}


def shortcut_key(shortcut: str) -> int | None:
    """The pygame key of a button's ``shortcut`` when the scene dispatches it (a function key), else None."""
    return FUNCTION_KEYS.get(shortcut)

_TOKEN = re.compile(r"\S+\s*|\s+")


def wrap_text(
    text: str, font: pygame.font.Font, width: int, cache: dict[str, int] | None = None
) -> list[tuple[int, str]]:
    """Lines of ``text`` that fit ``width`` pixels: ``(index of the first character, line)``.

    Breaks at spaces (a space stays at the end of its line) and at "\\n" (which ends its line);
    a word wider than the line is cut by characters.
    """
    cache = {} if cache is None else cache

    def w(s: str) -> int:
        v = cache.get(s)
        if v is None:
            v = cache[s] = font.size(s)[0]
        return v

    lines: list[tuple[int, str]] = []
    start = 0
    for para in text.split("\n"):
        line, line_start = "", start
        for tok in _TOKEN.findall(para):
            # measure the whole line: per-word widths are rounded and their sum falls short
            if line and tok.strip() and font.size((line + tok).rstrip())[0] > width:
                lines.append((line_start, line))
                line_start += len(line)
                line = ""
            while tok.strip() and w(tok.rstrip()) > width and not line:  # a very long word
                k = max(1, len(tok) - 1)
                while k > 1 and w(tok[:k]) > width:
                    k -= 1
                lines.append((line_start, tok[:k]))
                line_start += k
                tok = tok[k:]
            line += tok
        lines.append((line_start, line + ("\n" if start + len(para) < len(text) else "")))
        start += len(para) + 1
    return lines


_RENDERED: dict[tuple[int, str, tuple[int, int, int]], tuple[pygame.font.Font, pygame.Surface]] = {}


_WRAPPED: dict[tuple[int, str, int], tuple[pygame.font.Font, list[tuple[int, str]]]] = {}


def wrapped(text: str, font: pygame.font.Font, width: int) -> list[tuple[int, str]]:
    """``wrap_text(text, font, width)``, kept for static text (labels, panels: redrawn whole, rarely
    changed); the cache forgets all past 500 texts."""
    key = (id(font), text, width)
    hit = _WRAPPED.get(key)
    if hit is not None and hit[0] is font:
        return hit[1]
    if len(_WRAPPED) > 500:
        _WRAPPED.clear()
    lines = wrap_text(text, font, width)
    _WRAPPED[key] = (font, lines)
    return lines


def render_text(font: pygame.font.Font, text: str, color: tuple[int, int, int]) -> pygame.Surface:
    """``font.render(text, True, color)``, kept: a full redraw of the call desk renders some 60
    labels, captions and panel lines that rarely change (the cache forgets all past 2,000)."""
    key = (id(font), text, color)
    hit = _RENDERED.get(key)
    if hit is not None and hit[0] is font:  # the font itself is kept, so its id cannot be reused
        return hit[1]
    if len(_RENDERED) > 2000:
        _RENDERED.clear()
    img = font.render(text, True, color)
    _RENDERED[key] = (font, img)
    return img


def common_prefix_length(a: str, b: str) -> int:
    """Length of the longest common prefix of ``a`` and ``b`` (binary search on slices: C speed)."""
    lo, hi = 0, min(len(a), len(b))
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if a[:mid] == b[:mid]:
            lo = mid
        else:
            hi = mid - 1
    return lo


class Widget:
    """Something on screen with a name and a rectangle."""

    focusable = False
    #: True when ``draw`` covers its whole rectangle (the app then does not clear it first).
    opaque = False

    def draw_partial(self, surface: pygame.Surface, theme: Theme) -> list[pygame.Rect] | None:
        """Redraw only what changed since the last draw; None when a full ``draw`` is needed."""
        return None

    def __init__(self, name: str) -> None:
        self.name = name
        self.rect = pygame.Rect(0, 0, 1, 1)
        self.visible = True
        self.enabled = True
        self.dirty = True
        self.focused = False

    def set_rect(self, rect: pygame.Rect) -> None:
        """Place the widget (screen pixels)."""
        self.rect = pygame.Rect(rect)
        self.dirty = True

    def draw(self, surface: pygame.Surface, theme: Theme) -> None:
        """Draw into ``surface`` within ``rect`` (the background is already cleared)."""

    def on_click(self, pos: tuple[int, int], theme: Theme) -> list[tuple[str, int, int]]:
        """A click inside the widget; returns the edit operations it caused (text fields)."""
        return []

    def on_key(self, key: int, mod: int, theme: Theme) -> bool:
        """A key while focused (not text); True when it was used."""
        return False


class Label(Widget):
    """Static text, wrapped to its width; ``align`` "left", "center" or "right"."""

    def __init__(self, name: str, text: str = "", size: float = 20, color: str = "text", align: str = "left") -> None:
        super().__init__(name)
        self.text, self.size, self.color, self.align = text, size, color, align

    def set_text(self, text: str) -> None:
        """Change the text (marks the label for redrawing when it differs)."""
        if text != self.text:
            self.text = text
            self.dirty = True

    def draw(self, surface: pygame.Surface, theme: Theme) -> None:
        font = theme.font(self.size)
        y = self.rect.y
        for _, line in wrapped(self.text, font, self.rect.w):
            img = render_text(font, line.rstrip("\n"), theme.color(self.color))
            x = {"left": self.rect.x, "right": self.rect.right - img.get_width()}.get(
                self.align, self.rect.centerx - img.get_width() // 2)
            surface.blit(img, (x, y))
            y += font.get_linesize()
            if y > self.rect.bottom:
                break


class Button(Widget):
    """A push button; ``shortcut`` is shown on it (e.g. "F5", "Ctrl+Enter") after its label.

    A function-key shortcut is the button's own: the scene presses the visible button whose
    shortcut is the key pressed (``Scene.press_shortcut``), so the key, the caption and the
    action cannot disagree.
    """

    focusable = True

    def __init__(self, name: str, label: str, on_press: Callable[[], None] | None = None, shortcut: str = "",
                 size: float = 18) -> None:
        super().__init__(name)
        self.label, self.on_press, self.shortcut, self.size = label, on_press, shortcut, size
        self.active = False  # drawn highlighted (e.g. a ringing phone, a chosen option)

    @property
    def key(self) -> int | None:
        """The key that presses this button (its function-key ``shortcut``), or None."""
        return shortcut_key(self.shortcut)

    @property
    def caption(self) -> str:
        """What the button shows: its label and, when it has one, its shortcut in brackets."""
        return f"{self.label}  [{self.shortcut}]" if self.shortcut else self.label

    def set_label(self, label: str) -> None:
        """Change the caption."""
        if label != self.label:
            self.label = label
            self.dirty = True

    def press(self) -> None:
        """Run the button's action (when enabled)."""
        if self.enabled and self.visible and self.on_press is not None:
            self.on_press()

    def on_click(self, pos: tuple[int, int], theme: Theme) -> list[tuple[str, int, int]]:
        self.press()
        return []

    def on_key(self, key: int, mod: int, theme: Theme) -> bool:
        if key in (pygame.K_RETURN, pygame.K_KP_ENTER, pygame.K_SPACE):
            self.press()
            return True
        return False

    def draw(self, surface: pygame.Surface, theme: Theme) -> None:
        bg = theme.color("accent" if (self.enabled and not self.active) else ("ok" if self.active else "disabled"))
        pygame.draw.rect(surface, bg, self.rect, border_radius=theme.px(5))
        if self.focused:
            pygame.draw.rect(surface, theme.color("focus"), self.rect, width=theme.px(3), border_radius=theme.px(5))
        font = theme.font(self.size)
        img = render_text(font, self.caption, theme.color("accent_text") if self.enabled else theme.color("muted"))
        surface.blit(img, img.get_rect(center=self.rect.center))


class TextPanel(Widget):
    """A read-only block of wrapped text on a panel (a passage, an article, a record)."""

    def __init__(self, name: str, text: str = "", size: float = 20, title: str = "", fit: bool = False,
                 color: str = "text") -> None:
        super().__init__(name)
        self.text, self.size, self.title, self.fit, self.color = text, size, title, fit, color
        #: Drawn with a thick border in the theme's warning colour (a new chat: the scene blinks it).
        self.highlight = False
        self._cache: dict[int, dict[str, int]] = {}  # word widths per font (by id: fonts live as long as the theme)
        self._fitted: tuple[tuple[str, int, int], float] | None = None

    def _size(self, theme: Theme) -> float:
        """The font size used: ``size``, or with ``fit`` the largest (down to 60 %) at which the text fits."""
        if not self.fit:
            return self.size
        key = (self.text, self.rect.w, self.rect.h)
        if self._fitted is not None and self._fitted[0] == key:
            return self._fitted[1]
        pad = theme.px(8)
        size = self.size
        while size > self.size * 0.6:
            font = theme.font(size)
            lines = wrap_text(self.text, font, self.rect.w - 2 * pad, self._cache.setdefault(id(font), {}))
            if len(lines) * font.get_linesize() <= self.rect.h - 2 * pad:
                break
            size -= 1
        self._fitted = (key, size)
        return size

    def set_text(self, text: str, title: str | None = None) -> None:
        """Change what the panel shows."""
        if text != self.text or (title is not None and title != self.title):
            self.text = text
            if title is not None:
                self.title = title
            self.dirty = True

    def draw(self, surface: pygame.Surface, theme: Theme) -> None:
        pygame.draw.rect(surface, theme.color("panel"), self.rect)
        if self.highlight:
            pygame.draw.rect(surface, theme.color("warn"), self.rect, width=theme.px(4))
        else:
            pygame.draw.rect(surface, theme.color("border"), self.rect, width=1)
        pad = theme.px(8)
        y = self.rect.y + pad
        if self.title:
            tf = theme.font(self.size * 0.85)
            surface.blit(render_text(tf, self.title, theme.color("muted")), (self.rect.x + pad, y))
            y += tf.get_linesize() + pad // 2
        font = theme.font(self._size(theme))
        clip = surface.get_clip()
        surface.set_clip(self.rect.inflate(-2, -2))
        for _, line in wrapped(self.text, font, self.rect.w - 2 * pad):
            if y > self.rect.bottom:
                break
            surface.blit(render_text(font, line.rstrip("\n"), theme.color(self.color)), (self.rect.x + pad, y))
            y += font.get_linesize()
        surface.set_clip(clip)


class PassagePanel(Widget):
    """A copy-typing passage as written: its lines and paragraphs, scrolled to where the candidate is.

    ``text`` holds a "\\n" at each break (a paragraph or a line kept inside one, such as a
    signature's); after the breaks in ``paragraph_breaks`` (indices into ``text``) half a line is
    left blank, as between a letter's paragraphs. Lines wrap at spaces to the panel's width,
    each drawn as one string (the font's own spacing). The candidate's place (``follow``, an index
    into ``text``) stays in view: when its line reaches the last row shown, or leaves the view, the
    panel scrolls so that line is the second row (one line of what was just typed above it), so
    the text moves rarely and always to the same place. Small triangles at the right edge say
    that text is hidden above or below.
    """

    opaque = True

    def __init__(self, name: str, text: str = "", paragraph_breaks: Sequence[int] = (), size: float = 22,
                 color: str = "text") -> None:
        super().__init__(name)
        self.text, self.size, self.color = text, size, color
        self.paragraph_breaks = frozenset(paragraph_breaks)
        self.position = 0  # index into ``text`` of the next character to type
        self.top = 0  # first row shown
        self._widths: dict[int, dict[str, int]] = {}  # word widths per font (by id: fonts live as long as the theme)
        self._layout_key: tuple[object, ...] | None = None
        self._rows: list[tuple[int, str, int]] = []  # per row: first character, text, y (px below the first row)
        self._replace = False

    def _pad(self, theme: Theme) -> int:
        return theme.px(10)

    def rows(self, theme: Theme) -> list[tuple[int, str, int]]:
        """The wrapped rows: (index of the first character, text, top in pixels from the first row)."""
        font = theme.font(self.size)
        width = self.rect.w - 2 * self._pad(theme) - theme.px(14)  # room for the scroll marks
        key = (self.text, width, font.get_height(), id(font))
        if key != self._layout_key:
            lh, gap = font.get_linesize(), font.get_linesize() // 2
            rows, y = [], 0
            for start, line in wrap_text(self.text, font, width, self._widths.setdefault(id(font), {})):
                rows.append((start, line, y))
                y += lh
                if line.endswith("\n") and start + len(line) - 1 in self.paragraph_breaks:
                    y += gap
            self._rows, self._layout_key = rows, key
        return self._rows

    def row_of(self, index: int, theme: Theme) -> int:
        """The row holding character ``index`` (the last row for the end of the text)."""
        starts = [r[0] for r in self.rows(theme)]
        return max(0, bisect_left(starts, index + 1) - 1)

    def _last_shown(self, theme: Theme, top: int) -> int:
        """The last row wholly in view when row ``top`` is the first."""
        rows = self.rows(theme)
        if not rows:
            return 0
        lh = theme.font(self.size).get_linesize()
        room = self.rect.h - 2 * self._pad(theme)
        k = top
        while k + 1 < len(rows) and rows[k + 1][2] - rows[top][2] + lh <= room:
            k += 1
        return k

    def _max_top(self, theme: Theme) -> int:
        """The first row when the end of the text is at the bottom of the panel."""
        rows = self.rows(theme)
        top = len(rows) - 1
        while top > 0 and self._last_shown(theme, top - 1) >= len(rows) - 1:
            top -= 1
        return max(0, top)

    def follow(self, index: int, theme: Theme) -> None:
        """The candidate's place is character ``index``: scroll when its line is on the last row
        shown or out of view (marks the panel dirty only when it scrolls)."""
        self.position = index
        self._place(theme, force=False)

    def _place(self, theme: Theme, force: bool) -> None:
        rows = self.rows(theme)
        if not rows:
            self.top = 0
            return
        row = self.row_of(self.position, theme)
        last = self._last_shown(theme, min(self.top, len(rows) - 1))
        if force or row < self.top or (row >= last and last < len(rows) - 1):
            top = max(0, min(row - 1, self._max_top(theme)))
            if self._last_shown(theme, top) < row:  # a panel of one row: the candidate's row itself
                top = row
            if top != self.top:
                self.top = top
                self.dirty = True

    def set_rect(self, rect: pygame.Rect) -> None:
        super().set_rect(rect)
        self._layout_key = None
        self._replace = True  # new wrapping: find the candidate's row again when drawn

    def hidden(self, theme: Theme) -> tuple[int, int]:
        """Rows out of view: (above, below)."""
        rows = self.rows(theme)
        return (self.top, max(0, len(rows) - 1 - self._last_shown(theme, self.top))) if rows else (0, 0)

    def draw(self, surface: pygame.Surface, theme: Theme) -> None:
        pygame.draw.rect(surface, theme.color("panel"), self.rect)
        pygame.draw.rect(surface, theme.color("border"), self.rect, width=1)
        font = theme.font(self.size)
        pad = self._pad(theme)
        if self._replace:
            self._replace = False
            self._place(theme, force=True)
        rows = self.rows(theme)
        clip = surface.get_clip()
        surface.set_clip(self.rect.inflate(-2, -2))
        if rows:
            y0 = self.rect.y + pad - rows[self.top][2]
            color = theme.color(self.color)
            for k in range(self.top, self._last_shown(theme, self.top) + 1):
                _, line, y = rows[k]
                body = line.rstrip("\n")
                if body:
                    surface.blit(render_text(font, body, color), (self.rect.x + pad, y0 + y))
        above, below = self.hidden(theme)
        a, muted = theme.px(5), theme.color("muted")
        cx = self.rect.right - pad - a
        if above:
            cy = self.rect.y + pad + a
            pygame.draw.polygon(surface, muted, [(cx - a, cy + a // 2), (cx + a, cy + a // 2), (cx, cy - a)])
        if below:
            cy = self.rect.bottom - pad - a
            pygame.draw.polygon(surface, muted, [(cx - a, cy - a // 2), (cx + a, cy - a // 2), (cx, cy + a)])
        surface.set_clip(clip)


class TextField(Widget):
    """A text-entry field: one line, or several (wrapped) with ``multiline``.

    The caret is a steady bar (no blinking: a blink would redraw the screen twice a second
    for nothing). The field scrolls so the caret line stays visible. A keystroke re-wraps only
    from the line before the change and redraws only the lines whose text, selection or caret
    changed (``draw_partial``), so the cost of a keystroke does not grow with the text.

    With an ``error_marker`` (copy typing with ``show_errors``), the characters it names are drawn
    in the theme's error colour and underlined (readable in high contrast and for colour-blind
    candidates). The marker is asked only when the field is drawn and its text changed since the
    last answer, never in the keystroke path, so during a burst it runs once per frame at most.
    """

    focusable = True
    opaque = True

    def __init__(self, name: str, label: str = "", multiline: bool = False, max_length: int | None = None,
                 size: float = 20, placeholder: str = "") -> None:
        super().__init__(name)
        self.label, self.multiline, self.size, self.placeholder = label, multiline, size, placeholder
        self.buffer = TextBuffer(max_length=max_length)
        self.readonly = False
        #: Enter types a line break (notes); False for answers whose reference has none.
        self.newlines = multiline
        #: A search box: a click into it while it holds text (not all selected yet) selects it all,
        #: so typing replaces the old query, as contact-centre software does; a second click places the caret.
        self.select_on_click = False
        #: Copy typing with ``show_errors``: text -> indices of wrong characters (the engine's
        #: ``feedback.error_positions`` bound to the passage); None shows no marks.
        self.error_marker: Callable[[str], Sequence[int]] | None = None
        self._marks: list[int] = []
        self._marks_text: str | None = None
        self._widths: dict[int, dict[str, int]] = {}  # word widths per font (by id: fonts live as long as the theme)
        self._lines: list[tuple[int, str]] = []
        self._lines_text: str | None = None
        self._layout_key: tuple[int, int] | None = None
        self._surf_cache: dict[str, pygame.Surface] = {}
        self._top = 0  # first visible line
        self._drawn: dict[int, tuple[object, ...]] = {}  # screen row -> what it shows
        self._drawn_frame: tuple[object, ...] | None = None  # rect, focus, top, font, placeholder

    @property
    def text(self) -> str:
        """What the field holds now."""
        return self.buffer.text

    def insert(self, s: str) -> bool:
        """Type ``s`` at the caret."""
        if self.readonly:
            return False
        changed = self.buffer.insert(s)
        self.dirty |= changed
        return changed

    def apply(self, op: str, x: int = 0, y: int = 0) -> bool:
        """Apply an edit operation (see ``TextBuffer.apply``)."""
        if self.readonly and op in ("backspace", "delete", "word-backspace", "word-delete"):
            return False
        changed = self.buffer.apply(op, x, y)
        self.dirty |= changed
        return changed

    def set_text(self, text: str) -> None:
        """Prefill or reset (not an edit by the candidate)."""
        self.buffer.set_text(text)
        self.dirty = True

    def marked_indices(self) -> list[int]:
        """Indices of the characters drawn as wrong now (asks the marker if the text changed)."""
        if self.error_marker is None:
            return []
        text = self.buffer.text
        if text != self._marks_text:
            self._marks = sorted(int(i) for i in self.error_marker(text))
            self._marks_text = text
        return self._marks

    # layout -----------------------------------------------------------------------------
    def _inner(self, theme: Theme) -> pygame.Rect:
        pad = theme.px(6)
        return self.rect.inflate(-2 * pad, -2 * pad)

    def lines(self, theme: Theme) -> list[tuple[int, str]]:
        """The wrapped lines (index of the first character, text) as drawn now."""
        font = theme.font(self.size)
        inner = self._inner(theme)
        text = self.buffer.text
        key = (inner.w, font.get_height())
        if not self.multiline:
            if text != self._lines_text:
                self._lines, self._lines_text = [(0, text)], text
            return self._lines
        widths = self._widths.setdefault(id(font), {})
        if key != self._layout_key or self._lines_text is None:
            self._lines = wrap_text(text, font, inner.w, widths)
        elif text != self._lines_text:
            # re-wrap from the line before the first change (a deletion can pull a word back up)
            p = common_prefix_length(self._lines_text, text)
            k = max(0, self._line_of(self._lines, p) - 1)
            start = self._lines[k][0]
            tail = [(start + i, line) for i, line in wrap_text(text[start:], font, inner.w, widths)]
            self._lines = self._lines[:k] + tail
        self._layout_key, self._lines_text = key, text
        return self._lines

    @staticmethod
    def _line_of(lines: list[tuple[int, str]], i: int) -> int:
        """Index of the line holding character ``i`` (binary search on the line starts)."""
        lo, hi = 0, len(lines) - 1
        while lo < hi:
            mid = (lo + hi + 1) // 2
            if lines[mid][0] <= i:
                lo = mid
            else:
                hi = mid - 1
        return lo

    def index_at(self, pos: tuple[int, int], theme: Theme) -> int:
        """The character index nearest to a point (pixels) in the field."""
        font = theme.font(self.size)
        inner = self._inner(theme)
        lines = self.lines(theme)
        k = self._top + max(0, (pos[1] - inner.y) // font.get_linesize())
        k = min(k, len(lines) - 1)
        start, line = lines[k]
        body = line.rstrip("\n")
        best, best_d = 0, abs(pos[0] - inner.x - self._xoff(theme))
        for j in range(1, len(body) + 1):
            d = abs(pos[0] - inner.x - self._xoff(theme) - font.size(body[:j])[0])
            if d < best_d:
                best, best_d = j, d
        return start + best

    def _xoff(self, theme: Theme) -> int:
        """Horizontal scroll of a one-line field (pixels), so the caret stays in view."""
        if self.multiline:
            return 0
        font = theme.font(self.size)
        inner = self._inner(theme)
        cx = font.size(self.buffer.text[: self.buffer.caret])[0]
        return min(0, inner.w - 4 - cx)

    def key_op(self, key: int, mod: int, theme: Theme) -> tuple[str, int, int] | None:
        """The edit operation a key means here: ``(op, x, y)``, or None (not an editing key)."""
        ctrl = bool(mod & pygame.KMOD_CTRL)
        shift = bool(mod & pygame.KMOD_SHIFT)
        b = self.buffer
        if key == pygame.K_BACKSPACE:
            return ("word-backspace" if ctrl else "backspace", 0, 0)
        if key == pygame.K_DELETE:
            return ("word-delete" if ctrl else "delete", 0, 0)
        if key in (pygame.K_LEFT, pygame.K_RIGHT):
            op = ("word-" if ctrl else "") + ("left" if key == pygame.K_LEFT else "right")
            return (("select-" + op) if shift else op, 0, 0)
        if key == pygame.K_a and ctrl:
            return ("select-all", 0, 0)
        if key in (pygame.K_HOME, pygame.K_END, pygame.K_UP, pygame.K_DOWN):
            if not self.multiline:
                op = {pygame.K_HOME: "home", pygame.K_END: "end", pygame.K_UP: "up", pygame.K_DOWN: "down"}[key]
                if shift and op in ("home", "end"):
                    return ("select-" + op, 0, 0)
                return (op, 0, 0)
            target = self._vertical_target(key, ctrl, theme)
            if shift:
                return ("select", b.caret if b.anchor is None else b.anchor, target)
            return ("caret", target, 0)
        return None

    def _vertical_target(self, key: int, ctrl: bool, theme: Theme) -> int:
        b = self.buffer
        if ctrl and key in (pygame.K_HOME, pygame.K_END):
            return 0 if key == pygame.K_HOME else len(b.text)
        lines = self.lines(theme)
        k = self._line_of(lines, b.caret)
        start, line = lines[k]
        body_end = start + len(line.rstrip("\n") if k < len(lines) - 1 else line)
        if key == pygame.K_HOME:
            return start
        if key == pygame.K_END:
            return body_end if not line.endswith(" ") or k == len(lines) - 1 else body_end - 1
        font = theme.font(self.size)
        x = font.size(b.text[start : b.caret])[0]
        k2 = k - 1 if key == pygame.K_UP else k + 1
        if k2 < 0:
            return 0
        if k2 >= len(lines):
            return len(b.text)
        s2, l2 = lines[k2]
        body = l2.rstrip("\n")
        best, best_d = 0, x
        for j in range(1, len(body) + 1):
            d = abs(x - font.size(body[:j])[0])
            if d < best_d:
                best, best_d = j, d
        if k2 < len(lines) - 1 and best == len(l2) and best > 0:
            best -= 1
        return s2 + best

    def on_click(self, pos: tuple[int, int], theme: Theme) -> list[tuple[str, int, int]]:
        b = self.buffer
        if self.select_on_click and b.text and b.selection() != (0, len(b.text)):
            return [("select-all", 0, 0)]
        i = self.index_at(pos, theme)
        if i != self.buffer.caret or self.buffer.anchor is not None:
            return [("caret", i, 0)]
        return []

    # drawing ----------------------------------------------------------------------------
    def _render(self, s: str, font: pygame.font.Font, color: tuple[int, int, int]) -> pygame.Surface:
        key = f"{font.get_height()}|{color}|{s}"
        img = self._surf_cache.get(key)
        if img is None:
            if len(self._surf_cache) > 400:
                self._surf_cache.clear()
            img = self._surf_cache[key] = font.render(s, True, color)
        return img

    def _scroll(self, theme: Theme, lines: list[tuple[int, str]]) -> tuple[int, int]:
        """Keep the caret line visible; returns (caret line, visible rows)."""
        font = theme.font(self.size)
        visible = max(1, self._inner(theme).h // font.get_linesize())
        ck = self._line_of(lines, self.buffer.caret)
        if ck < self._top:
            self._top = ck
        elif ck >= self._top + visible:
            self._top = ck - visible + 1
        self._top = max(0, min(self._top, max(0, len(lines) - 1)))
        return ck, visible

    def _row_signature(self, k: int, lines: list[tuple[int, str]], ck: int) -> tuple[object, ...]:
        """What screen line ``k`` shows: its text, its part of the selection, the caret column,
        the columns marked wrong."""
        if k >= len(lines):
            return ("",)
        start, line = lines[k]
        sel = self.buffer.selection()
        part = None
        if sel is not None and sel[0] < start + len(line) and sel[1] > start:
            part = (max(sel[0], start) - start, min(sel[1], start + len(line.rstrip("\n"))) - start)
        caret = self.buffer.caret - start if (self.focused and k == ck) else None
        body = line.rstrip("\n")
        marks: tuple[int, ...] = ()
        if self.error_marker is not None:
            all_marks = self.marked_indices()
            lo, hi = bisect_left(all_marks, start), bisect_left(all_marks, start + len(body))
            marks = tuple(i - start for i in all_marks[lo:hi])
        return (body, part, caret, marks)

    def _frame_signature(self, theme: Theme) -> tuple[object, ...]:
        placeholder = bool(not self.buffer.text and self.placeholder and not self.focused)
        return (tuple(self.rect), self.focused, self._top, theme.font(self.size).get_height(), placeholder,
                self._xoff(theme), theme.high_contrast)

    def _draw_row(self, surface: pygame.Surface, theme: Theme, k: int, row: int, sig: tuple[object, ...]) -> None:
        font = theme.font(self.size)
        inner = self._inner(theme)
        lh = font.get_linesize()
        y = inner.y + row * lh
        xoff = self._xoff(theme)
        body = str(sig[0])
        part = sig[1] if len(sig) > 1 else None
        if part is not None:
            a, z = part  # type: ignore[misc]
            x0 = inner.x + xoff + font.size(body[:a])[0]
            x1 = inner.x + xoff + font.size(body[:z])[0]
            pygame.draw.rect(surface, theme.color("select"), (x0, y, max(2, x1 - x0), lh))
        marks = sig[3] if len(sig) > 3 else ()
        if body and marks:
            self._draw_marked(surface, theme, body, marks, inner.x + xoff, y)  # type: ignore[arg-type]
        elif body:
            surface.blit(self._render(body, font, theme.color("text")), (inner.x + xoff, y))
        caret = sig[2] if len(sig) > 2 else None
        if caret is not None:
            cx = inner.x + xoff + font.size(body[: int(caret)])[0]  # type: ignore[call-overload]
            pygame.draw.rect(surface, theme.color("caret"), (cx, y, max(2, theme.px(2)), lh))

    def _draw_marked(self, surface: pygame.Surface, theme: Theme, body: str, marks: Sequence[int], x: int,
                     y: int) -> None:
        """A line with some characters marked wrong: runs drawn in text or error colour, marked
        characters underlined (a wrong space shows as an underline alone)."""
        font = theme.font(self.size)
        lh = font.get_linesize()
        marked = set(marks)
        thick = max(2, theme.px(2))
        i = 0
        while i < len(body):
            bad = i in marked
            j = i + 1
            while j < len(body) and (j in marked) == bad:
                j += 1
            x0 = x + font.size(body[:i])[0]
            surface.blit(self._render(body[i:j], font, theme.color("error" if bad else "text")), (x0, y))
            if bad:
                x1 = x + font.size(body[:j])[0]
                pygame.draw.rect(surface, theme.color("error"), (x0, y + lh - thick, max(thick, x1 - x0), thick))
            i = j

    def draw(self, surface: pygame.Surface, theme: Theme) -> None:
        pygame.draw.rect(surface, theme.color("panel"), self.rect)
        border = theme.color("focus") if self.focused else theme.color("border")
        pygame.draw.rect(surface, border, self.rect, width=theme.px(2) if self.focused else 1)
        font = theme.font(self.size)
        inner = self._inner(theme)
        lines = self.lines(theme)
        ck, visible = self._scroll(theme, lines)
        clip = surface.get_clip()
        surface.set_clip(inner.inflate(theme.px(4), 0))
        if not self.buffer.text and self.placeholder and not self.focused:
            surface.blit(self._render(self.placeholder, font, theme.color("muted")), inner.topleft)
        self._drawn = {}
        for row in range(visible):
            sig = self._row_signature(self._top + row, lines, ck)
            self._drawn[row] = sig
            self._draw_row(surface, theme, self._top + row, row, sig)
        surface.set_clip(clip)
        self._drawn_frame = self._frame_signature(theme)

    def draw_partial(self, surface: pygame.Surface, theme: Theme) -> list[pygame.Rect] | None:
        lines = self.lines(theme)
        ck, visible = self._scroll(theme, lines)
        if self._frame_signature(theme) != self._drawn_frame or not self.multiline:
            return None
        font = theme.font(self.size)
        inner = self._inner(theme)
        lh = font.get_linesize()
        strip_x, strip_w = inner.x - theme.px(2), inner.w + theme.px(4)
        rects: list[pygame.Rect] = []
        clip = surface.get_clip()
        for row in range(visible):
            sig = self._row_signature(self._top + row, lines, ck)
            if self._drawn.get(row) == sig:
                continue
            strip = pygame.Rect(strip_x, inner.y + row * lh, strip_w, lh).clip(inner.inflate(theme.px(4), 0))
            surface.set_clip(strip)
            surface.fill(theme.color("panel"), strip)
            self._draw_row(surface, theme, self._top + row, row, sig)
            self._drawn[row] = sig
            rects.append(strip)
        surface.set_clip(clip)
        return rects


class ListBox(Widget):
    """A list of rows to choose from (search results, purposes, transfer targets, products).

    A click on a row chooses it (``on_choose(index)``); Up/Down move the highlight and Enter
    chooses it. Rows are addressable for drivers as ``<name>:<index>`` (``row_rect``). With
    ``wrap`` a row takes as many lines as its text needs (script lines); rows whose id is in
    ``marked`` get a tick in front (script lines already said). When rows are out of view a hint
    at the right edge says how many, above and below (the mouse wheel and Up/Down scroll).
    """

    focusable = True

    def __init__(self, name: str, rows: Sequence[str] = (), on_choose: Callable[[int], None] | None = None,
                 size: float = 18, row_height: float = 28, wrap: bool = False, marks: bool = False) -> None:
        super().__init__(name)
        self.rows = list(rows)
        self.on_choose = on_choose
        self.size, self.row_height, self.wrap, self.marks = size, row_height, wrap, marks
        self.highlight = -1
        self.chosen = -1
        self.top = 0  # first row shown
        self.row_ids: list[str] = []
        #: ids of the rows drawn with a tick (only with ``marks``)
        self.marked: set[str] = set()
        self._geometry_key: tuple[object, ...] | None = None
        self._geometry: list[tuple[int, int, list[str]]] = []  # per row: top (px from the first row), height, lines

    def set_rows(self, rows: Sequence[str], row_ids: Sequence[str] | None = None) -> None:
        """Replace the rows (``row_ids`` name each row in the log, e.g. ``record:C1042``)."""
        self.rows = list(rows)
        self.row_ids = list(row_ids) if row_ids is not None else [str(i) for i in range(len(self.rows))]
        self.highlight = 0 if self.rows else -1
        self.chosen = -1
        self.top = 0
        self.dirty = True

    def mark(self, row_id: str) -> None:
        """Draw a tick in front of row ``row_id`` from now on."""
        if row_id not in self.marked:
            self.marked.add(row_id)
            self.dirty = True

    # geometry -----------------------------------------------------------------------------
    def _indent(self, theme: Theme) -> int:
        return theme.px(6) + (theme.px(16) if self.marks else 0)

    def geometry(self, theme: Theme) -> list[tuple[int, int, list[str]]]:
        """Per row: its top (pixels below the first row's top), its height and its text lines."""
        font = theme.font(self.size)
        h = theme.px(self.row_height)
        key = (tuple(self.rows), self.rect.w, font.get_height(), h, self.wrap)
        if key != self._geometry_key:
            out, y = [], 0
            width = self.rect.w - self._indent(theme) - theme.px(34)  # room for the scroll hint
            pad = h - font.get_linesize()
            for row in self.rows:
                lines = [ln.rstrip("\n") for _, ln in wrap_text(row, font, width)] if self.wrap else [row]
                rh = max(h, len(lines) * font.get_linesize() + pad)
                out.append((y, rh, lines))
                y += rh
            self._geometry, self._geometry_key = out, key
        return self._geometry

    def row_rect(self, i: int, theme: Theme) -> pygame.Rect:
        """Screen rectangle of row ``i``."""
        g = self.geometry(theme)
        if not g:
            return pygame.Rect(self.rect.x, self.rect.y, self.rect.w, theme.px(self.row_height))
        i = max(0, min(i, len(g) - 1))
        top = g[min(self.top, len(g) - 1)][0]
        return pygame.Rect(self.rect.x, self.rect.y + g[i][0] - top, self.rect.w, g[i][1])

    def _last_full(self, theme: Theme, top: int) -> int:
        """The last row wholly in view when row ``top`` is the first (``top - 1`` when none is)."""
        g = self.geometry(theme)
        i = top
        while i < len(g) and g[i][0] - g[top][0] + g[i][1] <= self.rect.h:
            i += 1
        return i - 1

    def visible_rows(self, theme: Theme) -> int:
        """How many rows fit wholly from the current top (at least 1)."""
        if not self.rows:
            return max(1, self.rect.h // theme.px(self.row_height))
        return max(1, self._last_full(theme, min(self.top, len(self.rows) - 1)) - self.top + 1)

    def _max_top(self, theme: Theme) -> int:
        g = self.geometry(theme)
        top = len(g) - 1
        while top > 0 and g[-1][0] + g[-1][1] - g[top - 1][0] <= self.rect.h:
            top -= 1
        return max(0, top)

    def hidden(self, theme: Theme) -> tuple[int, int]:
        """How many rows are out of view: (above, below)."""
        if not self.rows:
            return (0, 0)
        return (self.top, len(self.rows) - 1 - self._last_full(theme, min(self.top, len(self.rows) - 1)))

    def scroll(self, rows: int, theme: Theme) -> None:
        """Scroll by ``rows`` (mouse wheel)."""
        top = max(0, min(self._max_top(theme), self.top + rows))
        if top != self.top:
            self.top = top
            self.dirty = True

    def _show(self, i: int, theme: Theme) -> None:
        top = self.top
        if i < top:
            top = i
        while top < i and self._last_full(theme, top) < i:
            top += 1
        if top != self.top:
            self.top = top
            self.dirty = True

    def row_at(self, pos: tuple[int, int], theme: Theme) -> int:
        """The row under a point, or -1."""
        if not self.rect.collidepoint(pos):
            return -1
        for i in range(self.top, len(self.rows)):
            r = self.row_rect(i, theme)
            if r.top > self.rect.bottom:
                break
            if r.top <= pos[1] < r.bottom:
                return i
        return -1

    # input ----------------------------------------------------------------------------------
    def choose(self, i: int) -> None:
        """Choose row ``i`` (as a click or Enter does)."""
        if 0 <= i < len(self.rows) and self.enabled:
            self.highlight = self.chosen = i
            self.dirty = True
            if self.on_choose is not None:
                self.on_choose(i)

    def on_click(self, pos: tuple[int, int], theme: Theme) -> list[tuple[str, int, int]]:
        self.choose(self.row_at(pos, theme))
        return []

    def on_key(self, key: int, mod: int, theme: Theme) -> bool:
        if not self.rows:
            return False
        if key in (pygame.K_UP, pygame.K_DOWN):
            step = -1 if key == pygame.K_UP else 1
            self.highlight = max(0, min(len(self.rows) - 1, self.highlight + step))
            self._show(self.highlight, theme)
            self.dirty = True
            return True
        if key in (pygame.K_RETURN, pygame.K_KP_ENTER):
            self.choose(self.highlight)
            return True
        return False

    # drawing ----------------------------------------------------------------------------------
    def _draw_tick(self, surface: pygame.Surface, theme: Theme, r: pygame.Rect) -> None:
        """A tick drawn with lines (the default font has no check-mark glyph)."""
        x, y, u = r.x + theme.px(5), r.y + theme.px(self.row_height) // 2, theme.px(1)
        points = [(x, y), (x + 4 * u, y + 4 * u), (x + 11 * u, y - 5 * u)]
        pygame.draw.lines(surface, theme.color("ok"), False, points, max(2, theme.px(2.5)))

    def _draw_hint(self, surface: pygame.Surface, theme: Theme) -> None:
        """"+N" with a triangle at the top right (rows above) and the bottom right (rows below)."""
        above, below = self.hidden(theme)
        font = theme.font(self.size * 0.85)
        for n, up in ((above, True), (below, False)):
            if n <= 0:
                continue
            label = render_text(font, f"+{n}", theme.color("accent_text"))
            w = label.get_width() + theme.px(16)
            h = max(label.get_height(), theme.px(12)) + theme.px(4)
            box = pygame.Rect(self.rect.right - w - theme.px(3), 0, w, h)
            box.top = self.rect.top + theme.px(3) if up else self.rect.bottom - h - theme.px(3)
            pygame.draw.rect(surface, theme.color("accent"), box, border_radius=theme.px(3))
            cx, cy, a = box.x + theme.px(6), box.centery, theme.px(4)
            tri = [(cx - a, cy + a // 2), (cx + a, cy + a // 2), (cx, cy - a)] if up else \
                [(cx - a, cy - a // 2), (cx + a, cy - a // 2), (cx, cy + a)]
            pygame.draw.polygon(surface, theme.color("accent_text"), tri)
            surface.blit(label, (box.x + theme.px(12), box.centery - label.get_height() // 2))

    def draw(self, surface: pygame.Surface, theme: Theme) -> None:
        pygame.draw.rect(surface, theme.color("panel"), self.rect)
        font = theme.font(self.size)
        clip = surface.get_clip()
        surface.set_clip(self.rect)
        g = self.geometry(theme)
        indent = self._indent(theme)
        pad_top = (theme.px(self.row_height) - font.get_linesize()) // 2
        for i in range(self.top, len(self.rows)):
            r = self.row_rect(i, theme)
            if r.top >= self.rect.bottom:
                break
            if i == self.chosen:
                pygame.draw.rect(surface, theme.color("select"), r)
            elif i == self.highlight and self.focused:
                pygame.draw.rect(surface, theme.color("bg"), r)
            if self.wrap and i > self.top:
                pygame.draw.line(surface, theme.color("disabled"), (r.x + indent, r.y), (r.right - indent, r.y))
            said = self.marks and i < len(self.row_ids) and self.row_ids[i] in self.marked
            if said:
                self._draw_tick(surface, theme, r)
            color = theme.color("muted" if said else "text")
            for k, line in enumerate(g[i][2]):
                surface.blit(render_text(font, line, color), (r.x + indent, r.y + pad_top + k * font.get_linesize()))
        self._draw_hint(surface, theme)
        surface.set_clip(clip)
        pygame.draw.rect(surface, theme.color("focus") if self.focused else theme.color("border"), self.rect,
                         width=theme.px(2) if self.focused else 1)
