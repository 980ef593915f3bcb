"""Money and dates in the Belgian Dutch/French forms; the desk's order total, order number and
caller number worked out from the scenario (values checked by hand; weekdays with
``datetime.date(2026, 3, 17).strftime("%A")`` = Tuesday)."""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from typingtest.content import load_item
from typingtest.content.desk import DEFAULT_SHIPPING, ShippingRule, caller_number, order_number, summarise_order
from typingtest.content.formatting import (
    format_date,
    format_date_short,
    format_datetime,
    format_money,
    parse_moment,
)
from typingtest.content.model import Product

NBSP = "\u00a0"


@pytest.mark.parametrize(("amount", "lang", "expected"), [
    (4.95, "nl", "€ 4,95"),
    (34.95, "nl", "€ 34,95"),
    (50, "nl", "€ 50,00"),
    (1234.5, "nl", "€ 1.234,50"),
    (1234567.891, "nl", "€ 1.234.567,89"),
    (0.0, "nl", "€ 0,00"),
    (-4.95, "nl", "€ -4,95"),
    (4.95, "fr", f"4,95{NBSP}€"),
    (1234.5, "fr", f"1{NBSP}234,50{NBSP}€"),
    (4.95, "en", "€4.95"),
    (1234.5, "en", "€1,234.50"),
    (26.845, "nl", "€ 26,84"),  # 26.845 is 26.84499... as a float: rounded as stored
])
def test_money(amount: float, lang: str, expected: str) -> None:
    assert format_money(amount, lang) == expected


@pytest.mark.parametrize(("value", "lang", "expected"), [
    ("2026-03-17T14:30", "nl", "dinsdag 17 maart 2026 14:30"),
    ("2026-03-17T14:30", "fr", "mardi 17 mars 2026 14h30"),
    ("2026-03-17T14:30", "en", "Tuesday 17 March 2026 14:30"),
    ("2026-03-12", "nl", "donderdag 12 maart 2026"),
    ("2026-03-01T09:05", "fr", "dimanche 1er mars 2026 09h05"),
    ("2026-08-03 10:00", "fr", "lundi 3 août 2026 10h00"),
])
def test_datetime(value: str, lang: str, expected: str) -> None:
    assert format_datetime(value, lang) == expected


def test_dates_without_weekday_and_short() -> None:
    assert format_date("1968-11-21", "nl", weekday=False) == "21 november 1968"
    assert format_date(dt.date(1968, 11, 21), "fr", weekday=False) == "21 novembre 1968"
    assert format_date_short("2025-09-14") == "14/09/2025"
    assert format_datetime(dt.datetime(2026, 12, 31, 23, 59), "nl") == "donderdag 31 december 2026 23:59"


def test_an_unknown_language_falls_back_to_english() -> None:
    assert format_datetime("2026-03-17T14:30", "de") == "Tuesday 17 March 2026 14:30"


def test_bad_moments_are_refused() -> None:
    with pytest.raises(ValueError):
        parse_moment("17/03/2026")


# ----------------------------------------------------------------------------- the desk

PRODUCTS = (
    Product("P2", "WK-171", "Waterkoker Aqua Plus", 44.95, 18, 2),
    Product("P3", "OT-030", "Ontkalkingstabletten, pak van 30", 6.50, 240, 2),
    Product("P5", "OT-060", "Ontkalkingsvloeistof", 8.95, 35, 2),
)


def test_the_caller_s_order_in_either_order_costs_the_same() -> None:
    # nl-call-01, line l6: one Aqua Plus and three packs of tablets: 44.95 + 3 x 6.50 = 64.45,
    # above 50.00 so no shipping
    a = summarise_order([("WK-171", "1"), ("OT-030", "3")], PRODUCTS)
    b = summarise_order([("ot-030 ", " 3"), ("wk 171", "1")], PRODUCTS)
    for s in (a, b):
        assert (s.subtotal, s.shipping, s.total) == (64.45, 0.0, 64.45)
        assert s.complete
    assert [(line.code, line.quantity, line.amount) for line in b.lines] == [("OT-030", 3, 19.5), ("WK-171", 1, 44.95)]


def test_shipping_below_the_free_threshold_and_at_it() -> None:
    s = summarise_order([("OT-030", "1")], PRODUCTS)
    assert (s.subtotal, s.shipping, s.total) == (6.5, 4.95, 11.45)
    # three bottles at 8.95 = 26.85 exactly (in floats 3 * 8.95 is 26.849999999999998)
    s = summarise_order([("OT-060", "3")], PRODUCTS)
    assert (s.subtotal, s.total) == (26.85, 31.8)
    rule = ShippingRule(cost=4.95, free_from=26.85)
    assert summarise_order([("OT-060", "3")], PRODUCTS, rule).shipping == 0.0
    assert DEFAULT_SHIPPING.charge(49.99) == 4.95 and DEFAULT_SHIPPING.charge(50.0) == 0.0


def test_unknown_codes_and_bad_quantities_are_lines_without_an_amount() -> None:
    s = summarise_order([("XX-999", "2"), ("OT-030", "drie"), ("", ""), ("WK-171", "0")], PRODUCTS)
    assert [(line.code, line.name is not None, line.quantity, line.amount) for line in s.lines] == [
        ("XX-999", False, 2, None), ("OT-030", True, None, None), ("WK-171", True, None, None)]
    assert not s.complete
    assert (s.subtotal, s.shipping, s.total) == (0.0, 0.0, 0.0)
    assert not summarise_order([], PRODUCTS).complete


def test_order_numbers_are_fixed_by_item_and_seed() -> None:
    n = order_number("nl-call-01", 7, "2026-03-12")
    assert n == order_number("nl-call-01", 7, "2026-03-12")
    assert n.startswith("B-2026-") and len(n) == len("B-2026-12345") and n[7:].isdigit()
    assert order_number("nl-call-01", 8, "2026-03-12") != n
    assert order_number("nl-call-01", 7, "").startswith("B-2026-")


def test_the_caller_s_number_comes_from_the_record_or_the_seed() -> None:
    call = load_item("nl-call-01")
    assert caller_number(call, 7) == "0476 28 13 90"  # record K2's phone
    stranger = dataclasses.replace(call, caller=dataclasses.replace(call.caller, record=""))
    n = caller_number(stranger, 7)
    assert n == caller_number(stranger, 7) != caller_number(stranger, 8)
    digits = n.replace(" ", "")
    assert digits.startswith("04") and len(digits) == 10 and digits.isdigit()


def test_order_line_fields_pair_codes_and_quantities_by_line() -> None:
    from typingtest.content.desk import order_line_fields
    from typingtest.content.model import Field

    fields = [Field("order_qty_2", "Aantal 2", form="order"), Field("order_code_1", "Artikel 1", form="order"),
              Field("order_qty_1", "Aantal 1", form="order"), Field("order_code_2", "Artikel 2", form="order"),
              Field("order_code_3", "Artikel 3", form="order"),  # no quantity: not a line
              Field("name_1", "Naam", form="contact")]
    assert order_line_fields(fields) == [("order_code_1", "order_qty_1"), ("order_code_2", "order_qty_2")]
    assert order_line_fields(load_item("nl-call-01").fields) == [("order_code_1", "order_qty_1"),
                                                                 ("order_code_2", "order_qty_2")]


def _reference_total(entries: list[tuple[str, int]]) -> tuple[str, str, str]:
    """The slow, obviously correct sum: Decimal euro amounts, shipping by the rule's words."""
    prices = {p.code: Decimal(str(p.price)) for p in PRODUCTS}
    subtotal = sum((prices[code] * qty for code, qty in entries), Decimal("0"))
    shipping = Decimal("4.95") if 0 < subtotal < Decimal("50") else Decimal("0")
    return str(subtotal), str(shipping), str(subtotal + shipping)


@given(st.lists(st.tuples(st.sampled_from([p.code for p in PRODUCTS]), st.integers(1, 400)), max_size=6))
def test_order_totals_match_a_decimal_reference(entries: list[tuple[str, int]]) -> None:
    s = summarise_order([(code, str(qty)) for code, qty in entries], PRODUCTS)
    want = _reference_total(entries)
    got = tuple(Decimal(f"{v:.2f}") for v in (s.subtotal, s.shipping, s.total))
    assert got == tuple(Decimal(w) for w in want)
    assert s.total == round(s.total, 2)  # whole cents, no float residue
