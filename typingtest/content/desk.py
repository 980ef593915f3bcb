"""What the call desk shows that is worked out from the scenario: an order's lines and total,
its order number, the caller's telephone number. Pure functions, no pygame; amounts in euro,
summed in whole cents so that 3 x 6.50 + 44.95 is 64.45 exactly.
"""

from __future__ import annotations

import random
import re
import zlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from typingtest.content.model import Call, Field, Product, Shipping

__all__ = [
    "DEFAULT_SHIPPING",
    "OrderLine",
    "OrderSummary",
    "ShippingRule",
    "caller_number",
    "order_line_fields",
    "order_number",
    "shipping_rule",
    "summarise_order",
]


@dataclass(frozen=True)
class ShippingRule:
    """Shipping costs ``cost`` (euro) below an order value of ``free_from`` (euro); free from it."""

    cost: float
    free_from: float | None = None

    def charge(self, subtotal: float) -> float:
        """The shipping charged on a subtotal (euro); none on an empty order."""
        if subtotal <= 0 or (self.free_from is not None and subtotal >= self.free_from - 1e-9):
            return 0.0
        return self.cost


#: The rule the shipped knowledge base states (nl-call-01, article A1 "Verzendkosten": € 4,95,
#: free from € 50,00): the default for a call without a ``[shipping]`` table.
DEFAULT_SHIPPING = ShippingRule(cost=4.95, free_from=50.0)


def shipping_rule(shipping: Shipping | None) -> ShippingRule:
    """The rule of a call's ``[shipping]`` table (``Call.shipping``), else ``DEFAULT_SHIPPING``."""
    if shipping is None:
        return DEFAULT_SHIPPING
    return ShippingRule(cost=shipping.fee, free_from=shipping.free_from)


@dataclass(frozen=True)
class OrderLine:
    """One line of an order as entered: the code typed, the product it names (None: no such
    product), the quantity (None: not a whole number) and the line's amount (euro, None when
    either is missing)."""

    code: str
    quantity: int | None
    name: str | None = None
    unit_price: float | None = None
    amount: float | None = None


@dataclass(frozen=True)
class OrderSummary:
    """An order's lines, the value of the lines that could be priced, shipping and total (euro)."""

    lines: tuple[OrderLine, ...]
    subtotal: float
    shipping: float
    total: float

    @property
    def complete(self) -> bool:
        """Every line names a product and a quantity."""
        return bool(self.lines) and all(line.amount is not None for line in self.lines)


def _cents(euro: float) -> int:
    return round(euro * 100)


def _code_key(code: str) -> str:
    """A code as compared: letters and digits only, without case ("wk 171" is "WK-171")."""
    return "".join(ch for ch in code if ch.isalnum()).casefold()


def _quantity(text: str) -> int | None:
    text = text.strip()
    return int(text) if text.isdigit() and int(text) > 0 else None


def summarise_order(entries: Iterable[tuple[str, str]], products: Sequence[Product],
                    shipping: ShippingRule = DEFAULT_SHIPPING) -> OrderSummary:
    """The order of ``(code, quantity)`` texts as typed (empty pairs skipped) against the
    scenario's ``products`` (each with ``code``, ``name``, ``price``): codes compared on their
    letters and digits without case, quantities as whole numbers above 0."""
    by_code = {_code_key(p.code): p for p in products}
    lines: list[OrderLine] = []
    sub_cents = 0
    for code, qty_text in entries:
        if not code.strip() and not qty_text.strip():
            continue
        qty = _quantity(qty_text)
        p = by_code.get(_code_key(code))
        if p is None:
            lines.append(OrderLine(code.strip(), qty))
            continue
        amount = None
        if qty is not None:
            line_cents = _cents(p.price) * qty
            sub_cents += line_cents
            amount = line_cents / 100
        lines.append(OrderLine(p.code, qty, p.name, float(p.price), amount))
    subtotal = sub_cents / 100
    ship_cents = _cents(shipping.charge(subtotal))
    return OrderSummary(tuple(lines), subtotal, ship_cents / 100, (sub_cents + ship_cents) / 100)


def order_number(item_id: str, seed: int | None, today: str = "") -> str:
    """The order number the desk gives a placed order: "B-2026-48213" (the scenario's year, five
    digits fixed by the item and the seed, so a screenshot or a replay shows the same one)."""
    year = today[:4] if len(today) >= 4 and today[:4].isdigit() else "2026"
    digits = zlib.crc32(f"{item_id}:{seed}".encode()) % 90000 + 10000
    return f"B-{year}-{digits:05d}"


def caller_number(call: Call, seed: int | None) -> str:
    """The number an incoming call shows: the caller's record's phone, else a Belgian mobile
    number ("0476 28 13 90") drawn from the seed and the item (the same on every run)."""
    record_id = call.caller.record if call.caller is not None else ""
    for r in call.records:
        if record_id and r.id == record_id and r.phone:
            return r.phone
    rng = random.Random(f"{call.id}:{seed}")
    return f"04{rng.randint(70, 99)} {rng.randint(10, 99)} {rng.randint(10, 99)} {rng.randint(10, 99)}"


_ROW = re.compile(r"^(.*?)_?(\d+)$")


def order_line_fields(fields: Iterable[Field]) -> list[tuple[str, str]]:
    """The order form's lines as ``(code field, quantity field)`` names, by line number: fields of
    form "order" in a row (``Field.row``, else the number ending the name: ``order_code_2``), the
    column naming a code ("code") and the one naming a quantity ("qty", "quantity", "aantal")."""
    rows: dict[int, dict[str, str]] = {}
    for f in fields:
        if f.form != "order":
            continue
        m = _ROW.match(f.name)
        row = f.row if f.row is not None else (int(m.group(2)) if m else None)
        if row is None:
            continue
        column = f.name.removesuffix(f"_{row}").removesuffix(str(row)).casefold()
        kind = "code" if "code" in column else ("qty" if any(w in column for w in ("qty", "quantit", "aantal"))
                                               else None)
        if kind is not None:
            rows.setdefault(row, {})[kind] = f.name
    return [(cols["code"], cols["qty"]) for _, cols in sorted(rows.items()) if "code" in cols and "qty" in cols]
