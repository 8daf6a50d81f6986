"""Unit tests of the domain core: money split, cutoffs (also across US DST
for the LA-midnight variant), deadline, tier table, clock and replay."""

from __future__ import annotations

import dataclasses
from datetime import date, datetime
from pathlib import Path

import pytest

from app.core import money, timeutil
from app.core.engine import Account, ClockError, Engine
from app.core.errors import InputError
from app.core.rules import load_rules

ROOT = Path(__file__).resolve().parent.parent
RULES = load_rules()
LA_RULES = load_rules(ROOT / "content" / "rules" / "cutoff-la-midnight.yaml")


def bj(text: str) -> int:
    """`2026-07-01 09:00[:ss]` Beijing time -> epoch seconds."""
    return timeutil.parse_time(text, "test")


def account(**changes) -> Account:
    values = dict(
        first_p4p_date=date(2026, 7, 1),
        payment_date=date(2026, 7, 1),
        recharge=1_000_000,
        cash=1_000_000,
        info_score=300,
        products=30,
        keywords=50,
    )
    values.update(changes)
    return Account(**values)


def ready_engine(rules=RULES, clock="2026-07-01 09:00", **changes) -> Engine:
    engine = Engine(rules, account(**changes), bj(clock))
    engine.take_self_test(85)
    return engine


# ------------------------------------------------------------------- money


@pytest.mark.parametrize(
    ("amount", "cash", "red_packet", "expected"),
    [
        (1, 100, 100, (1, 0)),  # 0.5 / 0.5: the tie goes to cash
        (101, 1_000_000, 1_000_000, (51, 50)),  # 50.5 / 50.5
        (1001, 500_000, 500_000, (501, 500)),
        (2, 200, 100, (1, 1)),  # 1.333 / 0.667: red packet's remainder wins
        (50, 2_000_000, 1_000_000, (33, 17)),  # 33.33 / 16.67
        (1, 200, 100, (1, 0)),  # 0.667 / 0.333: cash's remainder wins
        (300, 200, 100, (200, 100)),  # exact
        (0, 100, 100, (0, 0)),
        (70, 100, 0, (70, 0)),  # no red packet
        (70, 0, 100, (0, 70)),  # no cash
        (5000, 7_000_000, 50_000, (4965, 35)),
    ],
)
def test_split(amount, cash, red_packet, expected):
    assert money.split(amount, cash, red_packet) == expected
    assert sum(expected) == amount


def test_split_red_packet_never_pays_more_than_its_balance():
    # Shares of 500 by 100:1 would be 495.05 / 4.95; the red packet holds 1.
    assert money.split(500, 100, 1) == (499, 1)
    assert money.split(150, 0, 100) == (50, 100)
    for amount in range(0, 400):
        cash_part, rp_part = money.split(amount, 250, 3)
        assert cash_part + rp_part == amount
        assert 0 <= rp_part <= 3


def test_engine_split_tie_follows_the_rule_file():
    to_red = dataclasses.replace(RULES, split_tie="red_packet")
    for rules, expected in ((RULES, (51, 50)), (to_red, (50, 51))):
        engine = Engine(rules, account(red_packet=1_000_000), bj("2026-07-01 09:00"))
        assert engine._split(101) == expected


@pytest.mark.parametrize(
    ("text", "fen"),
    [(150, 15000), ("150.00", 15000), ("1,000.5", 100050), (0, 0), ("0.01", 1)],
)
def test_parse_amount(text, fen):
    assert money.parse_amount(text, "x") == fen


@pytest.mark.parametrize("value", ["1.005", -1, "-0.01", True, None, "abc", "nan"])
def test_parse_amount_refuses(value):
    with pytest.raises(InputError, match="where"):
        money.parse_amount(value, "where")


def test_fmt():
    assert money.fmt(15000) == "150.00"
    assert money.fmt(1) == "0.01"
    assert money.fmt(-5) == "-0.05"
    assert money.fmt_grouped(3_000_000) == "30,000.00"


# ---------------------------------------------------------------- cutoffs


@pytest.mark.parametrize(
    ("at", "prev", "nxt"),
    [
        ("2026-07-01 09:00", "2026-06-30 16:00", "2026-07-01 16:00"),
        ("2026-07-01 15:59:59", "2026-06-30 16:00", "2026-07-01 16:00"),
        ("2026-07-01 16:00", "2026-07-01 16:00", "2026-07-02 16:00"),
        ("2026-07-01 16:00:01", "2026-07-01 16:00", "2026-07-02 16:00"),
        ("2026-12-31 23:59:59", "2026-12-31 16:00", "2027-01-01 16:00"),
    ],
)
def test_cutoffs_default(at, prev, nxt):
    assert RULES.prev_cutoff(bj(at)) == bj(prev)
    assert RULES.next_cutoff(bj(at)) == bj(nxt)


@pytest.mark.parametrize(
    ("at", "prev", "nxt"),
    [
        # Summer (PDT): LA midnight is 15:00 Beijing.
        ("2026-07-01 09:00", "2026-06-30 15:00", "2026-07-01 15:00"),
        ("2026-07-01 15:00", "2026-07-01 15:00", "2026-07-02 15:00"),
        ("2026-07-01 15:30", "2026-07-01 15:00", "2026-07-02 15:00"),
        # Winter (PST): 16:00 Beijing.
        ("2026-12-01 15:30", "2026-11-30 16:00", "2026-12-01 16:00"),
        # DST ends on Sunday 1 Nov 2026: a 25-hour window.
        ("2026-11-02 09:00", "2026-11-01 15:00", "2026-11-02 16:00"),
        # DST starts on Sunday 14 Mar 2027: a 23-hour window.
        ("2027-03-15 09:00", "2027-03-14 16:00", "2027-03-15 15:00"),
    ],
)
def test_cutoffs_la_midnight(at, prev, nxt):
    assert LA_RULES.prev_cutoff(bj(at)) == bj(prev)
    assert LA_RULES.next_cutoff(bj(at)) == bj(nxt)


def test_la_windows_are_23_24_or_25_hours_and_land_on_la_midnight():
    ts = bj("2026-07-01 09:00")
    lengths = set()
    for _ in range(400):
        nxt = LA_RULES.next_cutoff(ts)
        assert nxt > ts
        local = datetime.fromtimestamp(nxt, LA_RULES.cutoff_tz)
        assert (local.hour, local.minute, local.second) == (0, 0, 0)
        if LA_RULES.prev_cutoff(ts) != ts:
            assert LA_RULES.prev_cutoff(ts) < ts
        lengths.add(nxt - LA_RULES.prev_cutoff(ts))
        assert LA_RULES.prev_cutoff(nxt) == nxt
        ts = nxt
    assert lengths == {23 * 3600, 24 * 3600, 25 * 3600}


# ------------------------------------------------------ deadline and tiers


def test_deadline_counts_the_arrival_day_as_day_zero():
    assert RULES.deadline_for(date(2026, 3, 1)) == bj("2026-03-31 23:59:59")
    assert RULES.deadline_for(date(2026, 7, 1)) == bj("2026-07-31 23:59:59")
    counted = dataclasses.replace(RULES, payment_day=1)
    assert counted.deadline_for(date(2026, 7, 1)) == bj("2026-07-30 23:59:59")


def test_deadline_last_second_and_one_later():
    engine = ready_engine(clock="2026-07-31 23:59:59")
    assert engine.activation_check() is None
    engine.advance_by(1)
    assert engine.activation_check().code == "deadline_passed"
    assert engine.stage == "lapsed"


@pytest.mark.parametrize(
    ("recharge", "row"),
    [
        (0, None),
        (999_999, None),
        (1_000_000, 10_000),
        (1_500_000, 10_000),
        (1_999_999, 10_000),
        (2_000_000, 20_000),
        (3_500_000, 30_000),
        (4_000_000, 40_000),
        (5_999_999, 50_000),
        (6_000_000, 60_000),
        (6_500_000, 60_000),
        (10**12, 60_000),
    ],
)
def test_tier_for(recharge, row):
    tier = RULES.tier_for(recharge)
    if row is None:
        assert tier is None
    else:
        assert tier is not None and tier.recharge == row * 100


def test_tier_table_values():
    rows = [(t.recharge // 100, t.daily_cap // 100, t.days) for t in RULES.tiers]
    assert rows == [
        (10000, 100, 10),
        (20000, 100, 20),
        (30000, 100, 30),
        (40000, 200, 20),
        (50000, 200, 25),
        (60000, 200, 30),
    ]


def test_top_up_never_changes_the_tier():
    engine = ready_engine()
    engine.top_up(cash=10_000_000)
    assert engine.tier == RULES.tiers[0]


# ------------------------------------------------------------------ clock


def test_clock_never_goes_back():
    engine = ready_engine()
    engine.advance_by(3600)
    with pytest.raises(ClockError):
        engine.advance_to(engine.clock - 1)
    engine.advance_to(engine.clock)  # equal: nothing happens
    assert engine.clock == bj("2026-07-01 10:00")


def test_settling_twice_changes_nothing():
    engine = ready_engine()
    engine.activate()
    engine.spend(15000)
    engine.advance_to(bj("2026-07-01 16:00"))
    before = (list(engine.ledger), engine.cash, engine.days_used)
    engine.advance_to(bj("2026-07-01 16:00"))
    engine.advance_by(0)
    assert (list(engine.ledger), engine.cash, engine.days_used) == before
    assert len(engine.ledger) == 1


def test_activation_exactly_at_the_cutoff_belongs_to_the_next_window():
    engine = ready_engine(clock="2026-07-01 16:00")
    engine.activate()
    assert engine.waiver_day_window(1) == (
        bj("2026-07-01 16:00"),
        bj("2026-07-02 16:00"),
    )


def test_spend_beyond_available_is_not_accrued():
    engine = ready_engine(cash=10_000)
    assert engine.spend(8_000) == 8_000
    assert engine.spend(5_000) == 2_000
    assert engine.spend(1) == 0
    assert [r.code for r in engine.refusals] == ["no_balance", "no_balance"]
    assert not engine.ads_online
    engine.top_up(coupons=100_000)
    assert not engine.ads_online  # coupons do not keep ads online
    engine.top_up(red_packet=1)
    assert engine.spend(5) == 1


# ----------------------------------------------------------------- replay


def snapshot(engine: Engine) -> dict:
    return {
        "ledger": [dataclasses.astuple(row) for row in engine.ledger],
        "balances": (engine.cash, engine.red_packet, engine.coupons, engine.held),
        "stage": engine.stage,
        "clock": engine.clock,
        "days_used": engine.days_used,
        "activated_at": engine.activated_at,
        "window": (engine.window_start, engine.window_end),
        "attempts": [(a.at, a.score, a.passed) for a in engine.attempts],
        "tasks": engine.task_status(),
        "refusals": [(r.code, r.at) for r in engine.refusals],
    }


def busy_engine() -> Engine:
    engine = Engine(
        RULES,
        account(recharge=2_000_000, cash=50_000, red_packet=30_000, coupons=5_000),
        bj("2026-07-01 09:00"),
    )
    engine.activate()  # refused: no self-test yet
    engine.take_self_test(70)
    engine.take_self_test(90)
    for minute in range(300):
        engine.spend(17 + minute % 7)
        engine.advance_by(60)
    engine.add_products(-1)
    engine.activate()  # refused: tasks
    engine.add_products(1)
    engine.activate()
    engine.spend(12_345)
    engine.advance_by(86_400)
    engine.top_up(cash=1_000, red_packet=333, coupons=50)
    for _ in range(50):
        engine.spend(40_000)  # runs dry: no_balance
        engine.advance_by(7 * 3600)
    engine.top_up(cash=500_000)
    engine.advance_by(25 * 86_400)
    engine.spend(99)
    engine.advance_by(3600)
    return engine


def test_replay_rebuilds_the_same_state():
    engine = busy_engine()
    again = Engine.replay(
        RULES, engine.account, engine.start_clock, engine.events, engine.clock
    )
    assert snapshot(again) == snapshot(engine)
    assert engine.stage == "finished"
    assert any(r.code == "no_balance" for r in engine.refusals)


def test_spend_events_of_a_settled_window_are_merged():
    engine = busy_engine()
    spends = [e for e in engine.events if e["kind"] == "spend"]
    settled = [e for e in spends if e["at"] < engine.window_start]
    windows = [RULES.prev_cutoff(e["at"]) for e in settled]
    assert len(windows) == len(set(windows)), "one spend event per settled window"
    assert len(spends) < 100
    total = sum(e["fen"] for e in spends)
    assert total == sum(row.spend for row in engine.ledger) + engine.held


def test_replay_then_carry_on_matches_carrying_on():
    engine = busy_engine()
    again = Engine.replay(
        RULES, engine.account, engine.start_clock, engine.events, engine.clock
    )
    for current in (engine, again):
        current.top_up(cash=10_000)
        for _ in range(5):
            current.spend(1_234)
            current.advance_by(3600)
        current.advance_by(2 * 86_400)
    assert snapshot(again) == snapshot(engine)
    third = Engine.replay(
        RULES, engine.account, engine.start_clock, engine.events, engine.clock
    )
    assert snapshot(third) == snapshot(engine)
    assert again.events == engine.events


def test_replay_to_a_later_clock_settles_missed_cutoffs():
    engine = ready_engine()
    engine.activate()
    engine.spend(25_000)
    later = engine.clock + 3 * 86_400
    again = Engine.replay(
        RULES, engine.account, engine.start_clock, engine.events, later
    )
    engine.advance_to(later)
    assert snapshot(again) == snapshot(engine)
    assert engine.days_used == 3


def test_replay_refuses_a_bad_event():
    with pytest.raises(InputError, match="event 0"):
        Engine.replay(RULES, account(), bj("2026-07-01 09:00"), [{"kind": "fly"}])
    with pytest.raises(InputError, match="event 0"):
        Engine.replay(
            RULES, account(), bj("2026-07-01 09:00"), [{"kind": "spend", "at": "x"}]
        )
