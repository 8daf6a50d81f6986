"""The calc functions behind worked numbers, against values worked out by
hand from the rules page (default rule file unless said otherwise)."""

from __future__ import annotations

import dataclasses
from decimal import Decimal
from pathlib import Path

import pytest

from app.core import calc
from app.core.errors import InputError
from app.core.rules import load_rules

ROOT = Path(__file__).resolve().parent.parent
RULES = load_rules()
LA_RULES = load_rules(ROOT / "content" / "rules" / "cutoff-la-midnight.yaml")


def ev(name: str, rules=RULES, **args: object) -> str:
    return calc.evaluate(name, args, rules)


@pytest.mark.parametrize(
    ("recharge", "cap", "days"),
    [
        ("10000", "100.00", "10"),
        ("20000", "100.00", "20"),
        ("30000", "100.00", "30"),
        ("35000", "100.00", "30"),  # between rows: the lower row
        ("39999.99", "100.00", "30"),
        ("40000", "200.00", "20"),
        ("45000", "200.00", "20"),
        ("50000", "200.00", "25"),
        ("60000", "200.00", "30"),
        ("1000000", "200.00", "30"),
        ("9999.99", "0.00", "0"),  # below the lowest row: no waiver
        ("0", "0.00", "0"),
    ],
)
def test_tier(recharge, cap, days):
    assert ev("tier_cap", recharge=recharge) == cap
    assert ev("tier_days", recharge=recharge) == days


@pytest.mark.parametrize(
    ("paid", "deadline"),
    [
        ("2026-03-01", "2026-03-31 23:59:59"),  # the rules page's example
        ("2026-07-01", "2026-07-31 23:59:59"),
        ("2026-02-01", "2026-03-03 23:59:59"),  # February 2026 has 28 days
        ("2026-12-15", "2027-01-14 23:59:59"),
    ],
)
def test_deadline(paid, deadline):
    assert ev("deadline", payment_date=paid) == deadline


@pytest.mark.parametrize(
    ("recharge", "spend", "waived"),
    [
        ("30000", "150", "100.00"),
        ("30000", "100.00", "100.00"),
        ("30000", "80.00", "80.00"),
        ("30000", "0", "0.00"),
        ("50000", "180.50", "180.50"),
        ("60000", "250.00", "200.00"),
        ("9000", "150.00", "0.00"),  # no tier, no waiver
    ],
)
def test_waived(recharge, spend, waived):
    assert ev("waived", recharge=recharge, spend=spend) == waived


def test_charged_split_by_balances():
    # Over the cap 60.00, cash : red packet = 9 : 1.
    args = {
        "recharge": "20000",
        "spend": "160.00",
        "cash": "9000",
        "red_packet": "1000",
    }
    assert ev("charged_cash", **args) == "54.00"
    assert ev("charged_red_packet", **args) == "6.00"


def test_charged_largest_remainder():
    # Over the cap 133.33 = 13333 fen at 2 : 1 -> 8888.67 / 4444.33: the
    # leftover fen goes to the larger remainder, cash.
    args = {
        "recharge": "60000",
        "spend": "333.33",
        "cash": "20000",
        "red_packet": "10000",
    }
    assert ev("charged_cash", **args) == "88.89"
    assert ev("charged_red_packet", **args) == "44.44"


def test_charged_split_tie():
    # Over the cap by 1 fen, equal balances: a tie, which goes to cash by
    # default and to the red packet under a rule file that says so.
    args = {"recharge": "10000", "spend": "100.01", "cash": "100", "red_packet": "100"}
    assert ev("charged_cash", **args) == "0.01"
    assert ev("charged_red_packet", **args) == "0.00"
    red_tie = dataclasses.replace(RULES, split_tie="red_packet")
    assert ev("charged_cash", red_tie, **args) == "0.00"
    assert ev("charged_red_packet", red_tie, **args) == "0.01"


def test_charged_without_red_packet_and_under_cap():
    args = {"recharge": "30000", "spend": "150.00", "cash": "30000", "red_packet": "0"}
    assert ev("charged_cash", **args) == "50.00"
    assert ev("charged_red_packet", **args) == "0.00"
    under = {**args, "spend": "99.99", "red_packet": "500"}
    assert ev("charged_cash", **under) == "0.00"
    assert ev("charged_red_packet", **under) == "0.00"


def test_charged_parts_sum_to_the_overage():
    args = {
        "recharge": "40000",
        "spend": "517.77",
        "cash": "3333.33",
        "red_packet": "77.77",
    }
    cash = Decimal(ev("charged_cash", **args))
    red = Decimal(ev("charged_red_packet", **args))
    assert cash + red == Decimal("317.77")


@pytest.mark.parametrize(
    ("spend", "coupons", "used"),
    [("120.00", "50.00", "50.00"), ("80.00", "200.00", "80.00"), ("80", "0", "0.00")],
)
def test_coupon_used(spend, coupons, used):
    assert ev("coupon_used", spend=spend, coupons=coupons) == used


@pytest.mark.parametrize(
    ("activated", "day1_end"),
    [
        ("2026-07-01 16:00", "2026-07-02 16:00"),  # at the cutoff: next window
        ("2026-07-10 09:00", "2026-07-10 16:00"),
        ("2026-07-10 15:30", "2026-07-10 16:00"),
        ("2026-07-10 15:59", "2026-07-10 16:00"),
        ("2026-07-10 20:00", "2026-07-11 16:00"),
        ("2026-07-31 23:59", "2026-08-01 16:00"),
    ],
)
def test_waiver_day1_end(activated, day1_end):
    assert ev("waiver_day1_end", activated=activated) == day1_end


@pytest.mark.parametrize(
    ("recharge", "activated", "last_end"),
    [
        ("10000", "2026-07-10 09:00", "2026-07-19 16:00"),  # days 1..10
        ("40000", "2026-07-30 20:00", "2026-08-19 16:00"),  # 07-31 .. 08-19
        ("60000", "2026-07-10 16:00", "2026-08-09 16:00"),  # 07-11 + 29 days
        ("20000", "2026-07-01 10:00", "2026-07-20 16:00"),
    ],
)
def test_last_waiver_day_end(recharge, activated, last_end):
    assert ev("last_waiver_day_end", recharge=recharge, activated=activated) == last_end


def test_cutoff_variant_moves_the_day_end():
    # Midnight in Los Angeles is 15:00 in Beijing in July (PDT), 16:00 in
    # January (PST).
    assert ev("waiver_day1_end", LA_RULES, activated="2026-07-10 09:00") == (
        "2026-07-10 15:00"
    )
    assert ev("waiver_day1_end", LA_RULES, activated="2027-01-10 15:30") == (
        "2027-01-10 16:00"
    )


def test_rule_variant_changes_the_numbers():
    tiers = (dataclasses.replace(RULES.tiers[0], daily_cap=15000),)
    rules = dataclasses.replace(RULES, tiers=tiers)
    assert ev("tier_cap", rules, recharge="30000") == "150.00"
    assert ev("waived", rules, recharge="30000", spend="150") == "150.00"
    assert ev("tier_days", rules, recharge="30000") == "10"


def test_yaml_typed_values_are_accepted():
    assert ev("waived", recharge=30000, spend=Decimal("150.00")) == "100.00"
    assert (
        calc.evaluate("tier_cap", {"recharge": "10,000"}) == "100.00"
    )  # default rules


@pytest.mark.parametrize(
    ("name", "args", "fragment"),
    [
        ("tier_kap", {"recharge": "1"}, "unknown calc 'tier_kap'"),
        ("tier_cap", {}, "missing argument 'recharge'"),
        ("tier_cap", {"recharge": "1", "spend": "2"}, "unknown argument 'spend'"),
        ("tier_cap", {"recharge": "abc"}, "is not an amount"),
        ("tier_cap", {"recharge": "1.234"}, "more than two decimals"),
        ("deadline", {"payment_date": "2026-02-30"}, "expected a date"),
        ("waiver_day1_end", {"activated": "tomorrow"}, "is not a time"),
        ("deadline", {"payment_date": "9999-12-30"}, "calc deadline:"),
        ("waiver_day1_end", {"activated": "9999-12-31 20:00"}, "calc waiver_day1_end:"),
        ("waived", {"recharge": True, "spend": "1"}, "is not a value"),
        (
            "last_waiver_day_end",
            {"recharge": "500", "activated": "2026-07-10 09:00"},
            "refuses activation",
        ),
        (
            "charged_cash",
            {"recharge": "10000", "spend": "150", "cash": "0", "red_packet": "10"},
            "more than cash + red packet",
        ),
    ],
)
def test_bad_calls_raise_input_error(name, args, fragment):
    with pytest.raises(InputError, match=fragment.replace("+", r"\+")):
        calc.evaluate(name, args, RULES)
