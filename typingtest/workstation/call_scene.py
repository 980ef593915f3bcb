"""The call simulation: a contact-centre desktop around the ``CallTask`` state machine.

Layout (design grid 1280x720): the phone bar on top (status, call timer, Pick up / Dial, Hold,
Transfer, Hang up, Finish); left: customer search, results, the customer record, identity
buttons, call purposes; middle: the script steps and the tabs Order (product lookup with stock,
order lines, Place order), Contact form, Call-back (slots, Plan) and Wrap-up (the note, Save);
right: knowledge base (search, articles, article) and the chat panel with its reply box. Tab
moves through the fields, Enter searches or chooses. Each button's key is its ``shortcut``,
shown on it and pressed by the scene (``Scene.press_shortcut``): the keys are written once,
where the buttons are made (the tabs' in ``TAB_KEYS``).

The desk answers as a real one does: the ringing phone shows the caller's number; placing the
order shows its number, lines and total (``content.desk``: the arithmetic is content's, not the
scene's); saving, planning a call-back and transferring confirm in place; a product is put on an
order line from the list; a new chat blinks its panel and plays a short tone; script lines wrap and the said ones are
ticked; money and dates are written the Belgian way (``content.formatting``).

Widget names differ from the scoring's targets on purpose: the app logs a click on widget
``results`` row ``K2`` as CLICK ``results:K2``; the task state then logs what it means
(SCREEN ``record-opened``, target ``record:K2``), once, whether it came from mouse or keys.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pygame

from typingtest.content.desk import caller_number, order_line_fields, order_number, shipping_rule, summarise_order
from typingtest.content.formatting import format_date, format_date_short, format_datetime, format_money
from typingtest.content.model import PURPOSE_LABELS  # the desk and `content explain` name purposes alike
from typingtest.engine.events import EventKind
from typingtest.workstation.registry import register_task
from typingtest.workstation.rules import match_words, search_records
from typingtest.workstation.scene import Overlay
from typingtest.workstation.task_scenes import TaskScene, format_clock
from typingtest.workstation.tasks import CallTask
from typingtest.workstation.theme import Theme
from typingtest.workstation.widgets import Button, Label, ListBox, TextField, TextPanel, Widget

if TYPE_CHECKING:
    from typingtest.workstation.app import App
    from typingtest.workstation.session import Session, TaskSpec

__all__ = ["CallScene", "TransferOverlay", "search_records"]

#: The middle panel's tabs (a tab is shown when the scenario has something for it) and their keys.
TAB_FORMS = ("order", "contact", "callback", "wrap-up")
TAB_KEYS = {"order": "F8", "contact": "F9", "callback": "F10", "wrap-up": "F11"}


class TransferOverlay(Overlay):
    """The transfer dialog: choose who takes the call."""

    name = "transfer-dialog"
    target = "transfer-dialog"
    box = (340, 160, 600, 400)

    def __init__(self, app: App, scene: CallScene) -> None:
        super().__init__(app)
        self.scene = scene
        transfers = scene.item.transfers
        self.add(Label("transfer-title", app.tr("transfer_to"), size=24))
        self.list = self.add(ListBox("transfer-targets", size=18, row_height=44, on_choose=lambda i: None))
        assert isinstance(self.list, ListBox)
        self.list.set_rows([f"{t.name} — {t.handles}" for t in transfers], [t.id for t in transfers])
        self.list.highlight = -1  # nothing chosen until the operator chooses (no answer suggested)
        self.add(Button("transfer-do", app.tr("transfer"), self._do, shortcut="Enter"))
        self.add(Button("transfer-cancel", app.tr("cancel"), app.close_overlay, shortcut="Esc"))
        self.initial_focus = "transfer-targets"

    def layout(self, theme: Theme) -> None:
        self.widget("transfer-title").set_rect(theme.rect(370, 180, 540, 34))
        self.widget("transfer-targets").set_rect(theme.rect(370, 220, 540, 260))
        self.widget("transfer-do").set_rect(theme.rect(370, 496, 250, 44))
        self.widget("transfer-cancel").set_rect(theme.rect(660, 496, 250, 44))

    def on_show(self) -> None:
        self.app.set_focus(self.list)

    def _do(self) -> None:
        i = self.list.chosen if self.list.chosen >= 0 else self.list.highlight
        if 0 <= i < len(self.list.row_ids):  # nothing chosen yet: the dialog stays open
            self.scene.do_transfer(self.list.row_ids[i])
            self.app.close_overlay()

    def on_key(self, key: int, mod: int, t: float) -> bool:
        if key in (pygame.K_RETURN, pygame.K_KP_ENTER):
            self._do()
        elif key == pygame.K_ESCAPE:
            self.app.close_overlay()
        elif key in (pygame.K_UP, pygame.K_DOWN):
            self.list.on_key(key, mod, self.app.theme)
        return True


class CallScene(TaskScene):
    """The contact-centre desktop."""

    name = "call"
    title_key = "call_title"
    help_key = ""

    def __init__(self, app: App, session: Session | None, spec: TaskSpec, state: CallTask) -> None:
        super().__init__(app, session, spec, state)
        self.call: CallTask = state
        self.item = item = spec.item
        tr = app.tr
        lang = tr.lang
        self.widget("title").visible = False
        self.widget("help").visible = False
        self.widget("timer").size = 20
        # phone bar
        self.add(Label("phone-status", tr("idle"), size=19))
        self.caller_number = caller_number(item, spec.seed)
        self.add(Label("today", tr("today", date=format_date(item.today, lang)) if item.today else "", size=14,
                       color="muted", align="right"))
        self.add(Label("call-timer", "", size=22))
        outbound = getattr(item, "direction", "inbound") == "outbound"
        self.add(Button("pickup", tr("call_dial") if outbound else tr("pickup"), self._pickup, shortcut="F1"))
        self.add(Button("hold", tr("hold"), self._hold, shortcut="F2"))
        self.add(Button("transfer", tr("transfer"), self._transfer, shortcut="F3"))
        self.add(Button("hangup", tr("hangup"), self._hangup, shortcut="F4"))
        # left: customers
        self.add(Label("customers-label", tr("customer_search"), size=16, color="muted"))
        self.add(TextField("search:records", size=18))
        self.add(Button("search-records", tr("search"), self._search_records, shortcut="Enter", size=16))
        self.results = self._list(ListBox("results", size=15, row_height=26, on_choose=self._open_record))
        self.add(TextPanel("record", "", size=16, title=tr("record")))
        self.add(Button("identity-ok", tr("verify_ok"), lambda: self._identity(True), shortcut="F6", size=15))
        self.add(Button("identity-fail", tr("verify_fail"), lambda: self._identity(False), shortcut="F7", size=15))
        self.add(Label("purposes-label", tr("purpose"), size=16, color="muted"))
        labels = PURPOSE_LABELS.get(lang, PURPOSE_LABELS["en"])
        self.purposes = self._list(ListBox("purposes", size=15, row_height=22, on_choose=self._purpose))
        self.purposes.set_rows([labels.get(p, p) for p in item.purposes], list(item.purposes))
        # middle: script and tabs
        self.add(Label("script-label", tr("script_hint"), size=14, color="muted"))
        self.script = self._list(ListBox("script", size=15, row_height=22, on_choose=self._say, wrap=True,
                                         marks=True))
        self.script.set_rows([s.text for s in item.script], [s.id for s in item.script])
        self.form_fields: dict[str, list[Any]] = {}
        for f in item.fields:
            self.form_fields.setdefault(getattr(f, "form", "contact"), []).append(f)
        self.tabs = [t for t in TAB_FORMS if t == "wrap-up" or self.form_fields.get(t)
                     or (t == "order" and item.products) or (t == "callback" and item.callback_slots)]
        tab_labels = {"order": tr("order"), "contact": tr("contact"), "callback": tr("callback"),
                      "wrap-up": tr("wrapup")}
        for tab in self.tabs:
            self.add(Button(f"tab-{tab}", tab_labels[tab], lambda t=tab: self.show_tab(t), shortcut=TAB_KEYS[tab],
                            size=14))
        self.tab_widgets: dict[str, list[str]] = {f: [] for f in TAB_FORMS}
        self._tabbed(self.tab_widgets["order"], [
            TextField("search:products", size=17, placeholder=tr("products")),
            Button("search-products", tr("search"), self._search_products, shortcut="Enter", size=15),
        ])
        self.products = self._list(ListBox("products", size=15, row_height=22, on_choose=self._open_product))
        self.tab_widgets["order"].append("products")
        self._tabbed(self.tab_widgets["order"], [TextPanel("product", "", size=15),
                                                 Button("add-line", tr("add_line"), self._add_line, size=14)])
        self.order_lines = order_line_fields(item.fields)
        if not self.order_lines:
            self.widget("add-line").enabled = False
        self.slots = self._list(ListBox("callback-slots", size=15, row_height=22, on_choose=lambda i: None))
        self.slots.set_rows([format_datetime(s, lang) for s in item.callback_slots], list(item.callback_slots))
        self.tab_widgets["callback"].append("callback-slots")
        self._tabbed(self.tab_widgets["callback"], [Button("callback-plan", tr("callback"), self._plan, size=15)])
        for form in TAB_FORMS:
            for f in self.form_fields.get(form, ()):
                multi = f.type == "note"
                self._tabbed(self.tab_widgets[form], [Label(f"label:{f.name}", f.label, size=15),
                                                      TextField(f.name, multiline=multi, size=17, max_length=2000)])
            if form != "callback":
                caption = tr("place_order") if form == "order" else tr("save")
                self._tabbed(self.tab_widgets[form], [Button(f"submit-{form}", caption,
                                                             lambda fm=form: self._submit(fm), size=15)])
        # right: knowledge base and chat
        self.add(TextField("search:articles", size=17, placeholder=tr("kb")))
        self.add(Button("search-articles", tr("search"), self._search_articles, shortcut="Enter", size=15))
        for name in ("search:records", "search:products", "search:articles"):
            self.widget(name).select_on_click = True  # type: ignore[attr-defined]  # a click selects the old query
        self.articles = self._list(ListBox("articles", size=15, row_height=24, on_choose=self._open_article))
        self.add(TextPanel("article", "", size=15))
        self.chat_log = TextPanel("chat-log", "", size=15, title=tr("chat"))
        self.add(self.chat_log)
        # each chat's reply box is the field its chat-reply action reads (default chat_<id>)
        self.chat_fields = {c.id: f"chat_{c.id}" for c in item.chats}
        for e in item.expect:
            params = getattr(e, "params", {}) or {}
            if e.action == "chat-reply" and params.get("chat") in self.chat_fields and params.get("field"):
                self.chat_fields[params["chat"]] = str(params["field"])
        for cid, fname in self.chat_fields.items():
            fld = self.add(TextField(fname, multiline=True, size=16, max_length=500))
            fld.newlines = False  # type: ignore[attr-defined]  # Enter sends (the scene's on_key)
            fld.visible = False
            del cid
        self.add(Button("chat-send", tr("send"), self._send_chat, shortcut="Enter", size=15))
        # the desk's answers: each form confirms in place under its fields (the order with its lines
        # and total); shown once there is something to confirm
        self.confirm: dict[str, Label | TextPanel] = {}
        for form in ("order", "contact", "callback", "wrap-up"):
            if form in self.tabs:
                self.confirm[form] = (TextPanel(f"confirm-{form}", "", size=14, color="ok") if form == "order"
                                      else Label(f"confirm-{form}", "", size=15, color="ok"))
                self.add(self.confirm[form])
        self.saves: dict[str, int] = {}
        self.order_no = order_number(item.id, spec.seed, item.today)
        self.transferred_to = ""
        self.chat_alert_since: float | None = None
        self.tab = self.tabs[0]
        self._shown_call_clock = ""
        self._records_shown: list[Any] = []
        self._products_shown: list[Any] = list(item.products)
        self._articles_shown: list[Any] = list(item.articles)
        self.products.set_rows([self._product_row(p) for p in item.products], [p.id for p in item.products])
        self.articles.set_rows([a.title for a in item.articles], [a.id for a in item.articles])
        self.chat_active: str | None = None
        self._phone_seen = ""
        self._hold_tone = False  # the hold tone is playing (``_sync_hold_tone``)
        self._chats_in_log: list[str] = []
        self.initial_focus = None
        # the call's flow: "ready" before the phone can ring, the end-of-time warning, captions
        self.add(Button("ready", tr("call_ready"), self._ready, shortcut="F1", size=18))
        self.widget("ready").visible = False  # shown with the desk (``on_show``) until the call starts
        self.add(Label("time-warning", "", size=14, color="warn", align="center"))
        self.add(TextPanel("captions", "", size=15, fit=True))
        self.widget("captions").visible = False

    # construction helpers ---------------------------------------------------------------------
    def _list(self, lb: ListBox) -> ListBox:
        self.add(lb)
        return lb

    def _tabbed(self, names: list[str], widgets: list[Widget]) -> None:
        for w in widgets:
            self.add(w)
            names.append(w.name)

    def _product_row(self, p: Any) -> str:
        return f"{p.code}  {p.name}  ·  {format_money(p.price, self.app.tr.lang)}"

    # layout ---------------------------------------------------------------------------------------
    def layout(self, theme: Theme) -> None:
        r = theme.rect
        self.widget("timer").set_rect(r(1110, 14, 160, 30))
        self.widget("finish").set_rect(r(1110, 670, 160, 40))
        self.widget("phone-status").set_rect(r(12, 4, 300, 52))
        self.widget("call-timer").set_rect(r(312, 14, 110, 32))
        for i, name in enumerate(("pickup", "hold", "transfer", "hangup")):
            self.widget(name).set_rect(r(430 + i * 168, 8, 160, 42))
        # left column
        self.widget("customers-label").set_rect(r(10, 60, 410, 20))
        self.widget("search:records").set_rect(r(10, 82, 300, 34))
        self.widget("search-records").set_rect(r(316, 82, 104, 34))
        self.widget("results").set_rect(r(10, 122, 410, 132))
        self.widget("record").set_rect(r(10, 260, 410, 232))
        self.widget("identity-ok").set_rect(r(10, 498, 202, 34))
        self.widget("identity-fail").set_rect(r(218, 498, 202, 34))
        self.widget("purposes-label").set_rect(r(10, 538, 410, 20))
        self.widget("purposes").set_rect(r(10, 558, 410, 156))
        # middle column
        self.widget("script-label").set_rect(r(432, 62, 216, 18))
        self.widget("today").set_rect(r(648, 62, 198, 18))
        self.widget("script").set_rect(r(432, 82, 414, 158))
        tab_w = 414 // max(1, len(self.tabs))
        for i, tab in enumerate(self.tabs):
            self.widget(f"tab-{tab}").set_rect(r(432 + i * tab_w, 246, tab_w - 4, 28))
        y0 = 280
        self.widget("search:products").set_rect(r(432, y0, 300, 30))
        self.widget("search-products").set_rect(r(738, y0, 108, 30))
        self.widget("products").set_rect(r(432, y0 + 34, 414, 116))
        self.widget("product").set_rect(r(432, y0 + 154, 282, 48))
        self.widget("add-line").set_rect(r(718, y0 + 154, 128, 48))
        self._layout_fields(theme, self.form_fields.get("order", []), y0 + 206, 2)
        slots_h = min(22 * max(1, len(self.item.callback_slots)) + 2, 200)
        self.widget("callback-slots").set_rect(r(432, y0, 414, slots_h))
        self.widget("callback-plan").set_rect(r(432, y0 + slots_h + 6, 260, 34))
        y_cb = y0 + slots_h + 46  # callback fields, their notes ending above the confirmation (y 622)
        self._layout_fields(theme, self.form_fields.get("callback", []), y_cb, 2, note_h=max(34, 614 - y_cb - 20))
        for form in ("contact", "wrap-up"):
            fields = self.form_fields.get(form, [])
            notes = sum(f.type == "note" for f in fields)
            note_h = max(60, (330 - 60 * len(fields)) // max(1, notes))
            self._layout_fields(theme, fields, y0, 1, note_h=note_h)
        for form, w in self.confirm.items():
            w.set_rect(r(432, 608, 414, 58) if form == "order" else r(432, 622, 414, 44))
        for form in ("order", "contact", "wrap-up"):
            self.widget(f"submit-{form}").set_rect(r(432, 670, 260, 40))
        # right column
        self.widget("search:articles").set_rect(r(858, 60, 300, 34))
        self.widget("search-articles").set_rect(r(1164, 60, 106, 34))
        self.widget("articles").set_rect(r(858, 100, 412, 100))
        self.widget("article").set_rect(r(858, 206, 412, 190))
        self.widget("chat-log").set_rect(r(858, 404, 412, 152))
        for fname in self.chat_fields.values():
            self.widget(fname).set_rect(r(858, 560, 412, 60))
        self.widget("chat-send").set_rect(r(858, 626, 200, 36))
        self._layout_flow(theme)
        self._apply_tab()

    def _layout_fields(self, theme: Theme, fields: list[Any], y: int, cols: int, note_h: int = 120) -> None:
        col_w = (414 - 6 * (cols - 1)) // cols
        for i, f in enumerate(fields):
            c, row = i % cols, i // cols
            h = note_h if f.type == "note" else 34
            yy = y + i * (h + 26) if cols == 1 else y + row * 58
            x = 432 + c * (col_w + 6)
            self.widget(f"label:{f.name}").set_rect(theme.rect(x, yy, col_w, 20))
            self.widget(f.name).set_rect(theme.rect(x, yy + 20, col_w, h))

    def show_tab(self, tab: str) -> None:
        """Switch the middle panel to ``order``, ``callback`` or ``wrap-up``."""
        self.tab = tab
        self._apply_tab()
        first = next((n for n in self.tab_widgets[tab] if isinstance(self.widget(n), TextField)), None)
        if first is not None:
            self.app.set_focus(self.widget(first))

    def _apply_tab(self) -> None:
        for tab, names in self.tab_widgets.items():
            for n in names:
                self.widget(n).visible = tab == self.tab
        for form, w in self.confirm.items():
            w.visible = form == self.tab and bool(w.text)
        for tab in self.tabs:
            self.widget(f"tab-{tab}").active = tab == self.tab
            self.widget(f"tab-{tab}").dirty = True
        self.app.invalidate()
        if self.app.focus is not None and not self.app.focus.visible:
            self.app.set_focus(None)

    # the phone ------------------------------------------------------------------------------------
    def _now(self) -> float:
        return self.app.clock.now()

    def _pickup(self) -> None:
        if self.call.waiting_for_ready:  # F1 before the call: "ready"
            self._ready()
            return
        t = self._now()
        if self.call.direction == "outbound":
            if self.call.record_opened:
                self.call.dial(self.call.record_opened, t)
            elif self.call.phone == "idle":  # the candidate sees why nothing happens (the status returns on dialling)
                self.widget("phone-status").set_text(self.app.tr("call_dial_no_record"))  # type: ignore[attr-defined]
        else:
            self.call.pickup(t)
        self.drain()

    def _hold(self) -> None:
        if self.call.toggle_hold(self._now()):
            self.drain()

    def drain(self) -> None:
        """The hold tone follows the call first (the operator's hold, or the caller away), then the
        state's rows are logged and the lines it asks for are played."""
        self._sync_hold_tone()
        super().drain()

    def _sync_hold_tone(self) -> None:
        """The hold tone (``CallerAudio.hold``) plays while the operator holds the caller or the caller
        is away (a ``hold`` cue)."""
        want = self.call.phone == "hold" or self.call.caller_away
        if want == self._hold_tone:
            return
        self._hold_tone = want
        if self.session is not None and self.session.audio is not None:
            self.session.audio.hold(want)

    def _transfer(self) -> None:
        if self.call.phone in ("connected", "hold") and self.item.transfers:
            self.app.open_overlay(TransferOverlay(self.app, self))

    def do_transfer(self, target: str) -> None:
        """The transfer dialog chose ``target``."""
        if self.call.transfer(target, self._now()):
            self.transferred_to = next((t.name for t in self.item.transfers if t.id == target), target)
        self.drain()
        self.show_tab("wrap-up")

    def _hangup(self) -> None:
        if self.call.hangup(self._now()):
            self.drain()
            self.show_tab("wrap-up")

    # the desktop ------------------------------------------------------------------------------------
    def _search_records(self) -> None:
        q = self.widget("search:records").text  # type: ignore[attr-defined]
        self._records_shown = search_records(self.item.records, q)
        self.results.set_rows([f"{r.name} · {r.postcode} {r.municipality} · {r.customer_number}"
                               for r in self._records_shown], [r.id for r in self._records_shown])
        self.app.log(EventKind.SCREEN, self._now(), text="search-results", target=f"records:{len(self._records_shown)}")

    def _open_record(self, i: int) -> None:
        r = self._records_shown[i]
        self.widget("record").set_text(self._record_text(r))  # type: ignore[attr-defined]
        self.call.open_record(r.id, self._now())
        self.drain()

    def _record_text(self, r: Any) -> str:
        """The customer record with its fields labelled and its dates in the desk's language."""
        tr, lang = self.app.tr, self.app.tr.lang
        lines = [r.name, f"{tr('rec_address')}: {r.street}, {r.postcode} {r.municipality}",
                 f"{tr('rec_customer_number')}: {r.customer_number}", f"{tr('rec_phone')}: {r.phone}",
                 f"{tr('rec_email')}: {r.email}"]
        if r.birth_date:
            lines.append(f"{tr('rec_birth_date')}: {format_date(r.birth_date, lang, weekday=False)}")
        if r.segment:
            lines.append(f"{tr('rec_segment')}: {r.segment}")
        if r.history:
            lines.append(f"{tr('rec_history')}:")
            for h in r.history:  # "2025-09-14 bestelling ...": the date as the desk writes dates
                date, _, rest = h.partition(" ")
                try:
                    lines.append(f"  {format_date_short(date)}  {rest}")
                except ValueError:
                    lines.append(f"  {h}")
        return "\n".join(lines)

    def _identity(self, ok: bool) -> None:
        self.call.set_identity(ok, self._now())
        self.widget("identity-ok").active = ok
        self.widget("identity-fail").active = not ok
        self.widget("identity-ok").dirty = self.widget("identity-fail").dirty = True
        self.drain()

    def _purpose(self, i: int) -> None:
        self.call.choose_purpose(self.purposes.row_ids[i], self._now())
        self.drain()

    def _say(self, i: int) -> None:
        self.call.say(self.script.row_ids[i], self._now())
        self.drain()

    def _search_products(self) -> None:
        q = self.widget("search:products").text  # type: ignore[attr-defined]
        self._products_shown = [p for p in self.item.products if match_words(f"{p.code} {p.name}", q)]
        self.products.set_rows([self._product_row(p) for p in self._products_shown],
                               [p.id for p in self._products_shown])

    def _open_product(self, i: int) -> None:
        p = self._products_shown[i]
        tr = self.app.tr
        self.widget("product").set_text(  # type: ignore[attr-defined]
            f"{p.code}  ·  {format_money(p.price, tr.lang)}  ·  {tr('stock', n=p.stock)}  ·  "
            f"{tr('delivery', n=p.delivery_days)}\n{p.name}")
        self.call.open_product(p.id, self._now())
        self.drain()

    def _add_line(self) -> None:
        """Put the product shown into the first empty order line and move to its quantity.

        The code goes in as the app's text path puts typed text (one TEXT row in the field, after
        the CLICK on ``add-line``), so the scoring's replay of the field sees it."""
        i = self.products.chosen
        if not (0 <= i < len(self._products_shown)):
            return
        for code_name, qty_name in self.order_lines:
            code = self.widget(code_name)
            if not self._field_text(code_name).strip():
                t = self._now()
                self.app.set_focus(code, t)
                self.app.handle(pygame.event.Event(pygame.TEXTINPUT, text=self._products_shown[i].code), t)
                self.app.set_focus(self.widget(qty_name), t)
                return
        self._confirm("order", self.app.tr("order_full"))

    def _search_articles(self) -> None:
        q = self.widget("search:articles").text  # type: ignore[attr-defined]
        self._articles_shown = [a for a in self.item.articles
                                if match_words(f"{a.title} {' '.join(a.keywords)} {a.text}", q)]
        self.articles.set_rows([a.title for a in self._articles_shown], [a.id for a in self._articles_shown])

    def _open_article(self, i: int) -> None:
        a = self._articles_shown[i]
        self.widget("article").set_text(a.text, title=a.title)  # type: ignore[attr-defined]
        self.call.open_article(a.id, self._now())
        self.drain()

    def _plan(self) -> None:
        i = self.slots.chosen if self.slots.chosen >= 0 else self.slots.highlight
        if 0 <= i < len(self.slots.row_ids):
            self.call.plan_callback(self.slots.row_ids[i], self._now())
            self.drain()
            self._confirm("callback", self.app.tr("callback_planned", slot=self.slots.rows[i]))

    def _submit(self, form: str) -> None:
        self.call.submit(form, self._now())
        self.drain()
        self.saves[form] = n = self.saves.get(form, 0) + 1
        tr = self.app.tr
        if form == "order":
            self._confirm(form, self._order_text(n))
        else:
            self._confirm(form, tr("saved") if n == 1 else tr("saved_again", n=n))

    def _order_text(self, n: int) -> str:
        """The order as placed: its number, one line per order line, subtotal, shipping and total."""
        tr, lang = self.app.tr, self.app.tr.lang
        entries = [(self._field_text(c), self._field_text(q)) for c, q in self.order_lines]
        summary = summarise_order(entries, self.item.products, shipping_rule(self.item.shipping))
        if not summary.lines:
            return tr("order_empty")
        head = tr("order_placed" if n == 1 else "order_changed", number=self.order_no)
        parts = []
        for line in summary.lines:
            qty = str(line.quantity) if line.quantity is not None else tr("order_bad_qty")
            if line.name is None:
                parts.append(f"{qty} × {line.code} ({tr('order_unknown')})")
            else:
                amount = format_money(line.amount, lang) if line.amount is not None else "?"
                parts.append(f"{qty} × {line.code} {amount}")
        totals = tr("order_totals", subtotal=format_money(summary.subtotal, lang),
                    shipping=format_money(summary.shipping, lang), total=format_money(summary.total, lang))
        return "\n".join([head, "  ·  ".join(parts), totals])

    def _field_text(self, name: str) -> str:
        """What the form field ``name`` holds now (as shown; the scoring replays the log)."""
        w = self.widget(name)
        return w.text if isinstance(w, TextField) else ""

    def _confirm(self, form: str, text: str) -> None:
        """Show ``text`` as the form's confirmation, in place under its fields."""
        w = self.confirm.get(form)
        if w is None:
            return
        w.set_text(text)
        if not w.visible and form == self.tab:
            w.visible = True  # on free ground: drawn alone, no full redraw
            w.dirty = True

    def _send_chat(self) -> None:
        if self.chat_active is None:
            return
        self.call.reply_chat(self.chat_active, self._now())
        fname = self.chat_fields[self.chat_active]
        text = self.widget(fname).text  # type: ignore[attr-defined]
        log = self.chat_log
        log.set_text(log.text + f"\n> {text}")
        self.widget(fname).visible = False
        self.app.invalidate()
        self._chat_attended()
        pending = [c for c in self.call.chats_shown if c not in self.call.chat_replies]
        self.chat_active = pending[0] if pending else None
        if self.chat_active:
            self.widget(self.chat_fields[self.chat_active]).visible = True
        self.drain()

    # input and time ----------------------------------------------------------------------------------
    def on_submit(self, widget: Widget, t: float) -> bool:
        actions = {"search:records": self._search_records, "search:products": self._search_products,
                   "search:articles": self._search_articles}
        if widget.name in actions:
            actions[widget.name]()
            return True
        if widget.name in self.chat_fields.values():
            self._send_chat()
            return True
        return False

    def on_key(self, key: int, mod: int, t: float) -> bool:
        focus = self.app.focus
        if key in (pygame.K_RETURN, pygame.K_KP_ENTER) and focus is not None \
                and focus.name in self.chat_fields.values():
            self._send_chat()  # the reply box wraps its lines; Enter sends it
            return True
        return False

    def on_audio(self, kind: EventKind, line: str, t: float) -> None:
        self.call.on_audio(kind, line, t)
        if kind == EventKind.AUDIO_ONSET:  # captions: the line's words as it starts
            text = next((ln.text for ln in self.item.lines if ln.id == line), "")
            self.widget("captions").set_text(" ".join(text.split()))  # type: ignore[attr-defined]

    def update(self, dt: float, now: float) -> None:
        super().update(dt, now)
        self._update_flow(now)
        call = self.call
        if call.stop_audio:
            call.stop_audio = False
            if self.session is not None and self.session.audio is not None:
                self.session.audio.stop_all()
        phone = "hold" if call.caller_away and call.phone == "connected" else call.phone  # the caller's hold
        if phone != self._phone_seen:
            self._phone_seen = phone
            tr = self.app.tr
            status = {"idle": tr("idle"), "ringing": tr("ringing"), "connected": tr("connected"),
                      "hold": tr("on_hold"), "ended": tr("ended")}[phone]
            if call.phone == "ringing":
                status += "\n" + tr("caller_number", number=self.caller_number)
            elif call.phone == "ended" and self.transferred_to:
                status = tr("transferred_to", name=self.transferred_to)
            self.widget("phone-status").set_text(status)
            self.widget("pickup").active = call.phone == "ringing"
            self.widget("pickup").dirty = True
            self.widget("hold").set_label(tr("unhold") if call.phone == "hold" else tr("hold"))
            if call.phone == "ended" and self.tab != "wrap-up":
                self.show_tab("wrap-up")
        t_pick = call.happened("pickup")
        if t_pick is None:
            t_pick = call.happened("dial")
        if t_pick is not None:
            t_end = call.happened("hangup")
            t_end = now if t_end is None else t_end
            shown = format_clock(max(0.0, t_end - t_pick) - 0.999)
            if shown != self._shown_call_clock:
                self._shown_call_clock = shown
                self.widget("call-timer").set_text(shown)
        for step in call.said:
            self.script.mark(step)
        self._blink_chat(now)
        new = [c for c in call.chats_shown if c not in self._chats_in_log]
        for cid in new:
            self._chats_in_log.append(cid)
            chat = next(c for c in self.item.chats if c.id == cid)
            log = self.chat_log
            log.set_text((log.text + "\n" if log.text else "") + f"{chat.sender}: {chat.text}",
                         title=self.app.tr("chat_new"))
            self.chat_alert_since = now
            self._chat_tone(cid, now)
            if self.chat_active is None:
                self.chat_active = cid
                self.widget(self.chat_fields[cid]).visible = True
                self.app.invalidate()

    #: A new chat blinks its panel's border (half a second on, half off) this long (seconds), then
    #: keeps it lit until the operator goes to the reply box; it also plays a short tone.
    CHAT_BLINK_S = 6.0

    def _chat_tone(self, chat_id: str, now: float) -> None:
        """The new chat's tone: a desk sound (``CallerAudio.play_tone``), never a caller line, so no
        AUDIO_ONSET row; logged as SCREEN ``tone`` (target ``chat:<id>``), which no scoring reads."""
        audio = self.session.audio if self.session is not None else None
        if audio is None:
            return
        audio.play_tone("chat")
        self.app.log(EventKind.SCREEN, now, text="tone", target=f"chat:{chat_id}")

    def _blink_chat(self, now: float) -> None:
        if self.chat_alert_since is None:
            return
        focus = self.app.focus
        if focus is not None and focus.name in self.chat_fields.values():
            self._chat_attended()
            return
        since = now - self.chat_alert_since
        lit = since >= self.CHAT_BLINK_S or int(since / 0.5) % 2 == 0
        panel = self.chat_log
        if panel.highlight != lit:
            panel.highlight = lit
            panel.dirty = True

    def _chat_attended(self) -> None:
        """The operator went to the chat: the panel stops calling."""
        self.chat_alert_since = None
        panel = self.chat_log
        panel.set_text(panel.text, title=self.app.tr("chat"))
        if panel.highlight:
            panel.highlight = False
            panel.dirty = True

    # the call's flow: the ready step, the end-of-time warning, captions -------------------------------
    def on_show(self) -> None:
        """The desk appears and the attempt is recorded from now; the call (the task's clock, the
        timeline, the ring) starts at "ready" (F1 or the button), or by itself after
        ``CallTask.preview_limit_s`` seconds."""
        now = self.app.clock.now()
        if self.session is not None:
            self.session.begin_attempt(self, now)
        self.call.show_desk(now)
        self.drain()
        self._update_flow(now)

    def _ready(self) -> None:
        if self.call.ready(self._now()):
            self.drain()
            self._update_flow(self._now())

    def _layout_flow(self, theme: Theme) -> None:
        r = theme.rect
        self.widget("ready").set_rect(r(430, 8, 664, 42))
        self.widget("time-warning").set_rect(r(1110, 44, 160, 16))
        self.widget("captions").set_rect(r(700, 666, 404, 48))

    def _update_flow(self, now: float) -> None:
        """Show what the call's state says: the ready step (instead of the phone's buttons), the
        warning before the end (``CallTask.warned_at``), the captions when the session has them on."""
        call, tr = self.call, self.app.tr
        waiting = call.waiting_for_ready
        if self.widget("ready").visible != waiting:
            self.widget("ready").visible = waiting
            for name in ("pickup", "hold", "transfer", "hangup"):
                self.widget(name).visible = not waiting
            if not waiting:
                self._phone_seen = ""  # the call started (F1, the button or the preview limit): the phone's state again
            self.app.invalidate()
        if waiting:
            self._phone_seen = call.phone  # the phone bar's own status waits for "ready"
            self.widget("phone-status").set_text(tr("call_not_ready"))  # type: ignore[attr-defined]
        warning = self.widget("time-warning")
        if call.warned_at is not None and not warning.text and not call.done:  # type: ignore[attr-defined]
            warning.set_text(tr("call_time_warning"))  # type: ignore[attr-defined]
            self.widget("timer").color = "warn"  # type: ignore[attr-defined]
            self.widget("timer").dirty = True
        on = self.session.captions if self.session is not None else bool(self.app.settings.captions)
        panel = self.widget("captions")
        if call.phone == "ended" and panel.text:  # type: ignore[attr-defined]
            panel.set_text("")  # type: ignore[attr-defined]
        shown = on and bool(panel.text)  # type: ignore[attr-defined]
        if panel.visible != shown:
            panel.visible = shown
            self.app.invalidate()


def _call(app: App, session: Session | None, spec: TaskSpec) -> CallScene:
    item = spec.item
    return CallScene(app, session, spec, CallTask(item.id, item.timeline, spec.time_limit_s, direction=item.direction))


register_task("call", _call)
