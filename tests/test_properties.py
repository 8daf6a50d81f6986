"""Property tests: random accounts and action sequences keep every invariant
listed at the end of the rules page, and replay rebuilds the same state."""

from __future__ import annotations

import dataclasses
import itertools
from datetime import date, timedelta
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.core import money, timeutil
from app.core.engine import Account, ClockError, Engine
from app.core.errors import InputError
from app.core.rules import load_rules

ROOT = Path(__file__).resolve().parent.parent
RULES = load_rules()
LA_RULES = load_rules(ROOT / "content" / "rules" / "cutoff-la-midnight.yaml")
START = timeutil.parse_time("2026-07-01 00:00", "test")

SETTINGS = settings(
    max_examples=200,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)

fen = st.integers(min_value=0, max_value=5_000_000)
# Recharges at and around every tier boundary, in fen.
TIER_EDGES = (0, 999_999, 1_000_000, 1_500_000, 2_000_000, 3_500_000, 4_000_000)
TIER_EDGES_HIGH = (5_000_000, 5_999_999, 6_000_000, 6_500_000)
tier_edges = st.sampled_from((*TIER_EDGES, *TIER_EDGES_HIGH))

any_accounts = st.builds(
    Account,
    first_p4p_date=st.dates(date(2026, 6, 25), date(2026, 7, 10)),
    payment_date=st.dates(date(2026, 6, 28), date(2026, 7, 20)),
    recharge=st.one_of(tier_edges, fen),
    cash=st.one_of(st.integers(0, 30_000), fen),
    red_packet=st.one_of(st.just(0), st.integers(0, 30_000), fen),
    coupons=st.one_of(st.just(0), st.integers(0, 20_000)),
    other_promotion=st.booleans(),
    ran_p4p_before=st.booleans(),
    info_score=st.integers(0, 500),
    products=st.integers(0, 40),
    keywords=st.integers(0, 60),
)
# Accounts that can activate at once (after a passing self-test), so that
# most examples exercise the waiver itself.
ready_accounts = st.builds(
    Account,
    first_p4p_date=st.dates(date(2026, 7, 1), date(2026, 7, 3)),
    payment_date=st.dates(date(2026, 6, 28), date(2026, 7, 3)),
    recharge=st.sampled_from(TIER_EDGES[2:] + TIER_EDGES_HIGH),
    cash=st.one_of(st.integers(0, 30_000), fen),
    red_packet=st.one_of(st.just(0), st.integers(0, 30_000), fen),
    coupons=st.one_of(st.just(0), st.integers(0, 20_000)),
    info_score=st.integers(300, 500),
    products=st.integers(30, 40),
    keywords=st.integers(50, 60),
)
accounts = st.one_of(ready_accounts, ready_accounts, any_accounts)

# Hypothesis favours small integers; these keep the interesting sizes common.
spends = st.one_of(
    st.sampled_from([1, 5_000, 9_999, 10_000, 10_001, 15_000, 20_000, 20_001]),
    st.integers(0, 40_000),
)
durations = st.one_of(
    st.sampled_from([1, 3600, 6 * 3600, 86_399, 86_400, 86_401, 3 * 86_400]),
    st.sampled_from([10 * 86_400, 11 * 86_400, 20 * 86_400, 31 * 86_400]),
    st.integers(0, 3 * 86_400),
)
actions = st.one_of(
    st.tuples(st.just("day"), st.tuples(spends, durations)),  # spend, then wait
    st.tuples(st.just("day"), st.tuples(spends, durations)),
    st.tuples(st.just("spend"), spends),
    st.tuples(st.just("advance"), durations),
    st.tuples(
        st.just("top_up"),
        st.tuples(st.integers(0, 50_000), st.integers(0, 20_000), st.integers(0, 5000)),
    ),
    st.tuples(st.just("activate"), st.none()),
    st.tuples(st.just("self_test"), st.integers(0, 100)),
    st.tuples(st.just("products"), st.integers(-10, 10)),
    st.tuples(st.just("keywords"), st.integers(-10, 10)),
    st.tuples(st.just("info_score"), st.integers(0, 500)),
)

scenarios = st.tuples(
    st.sampled_from([RULES, LA_RULES]),
    accounts,
    st.one_of(
        st.integers(2 * 86_400, 4 * 86_400),  # 3 to 5 July
        st.integers(0, 40 * 86_400),  # from 2026-07-01 00:00
    ),
    st.tuples(
        st.sampled_from(
            [
                [("self_test", 85), ("activate", None)],
                [("self_test", 85), ("activate", None)],
                [("activate", None), ("self_test", 80)],
                [],
            ]
        ),
        st.lists(actions, min_size=2, max_size=40),
    ).map(lambda parts: parts[0] + parts[1]),
)


def run(rules, account, offset, steps) -> Engine:
    engine = Engine(rules, account, START + offset)
    for step in steps:
        before = engine.clock
        run_step(engine, step)
        assert engine.clock >= before, "the clock went backwards"
        assert engine.window_start <= engine.clock < engine.window_end
        assert engine.cash >= 0 and engine.red_packet >= 0
        assert 0 <= engine.held <= engine.cash + engine.red_packet
    return engine


def run_step(engine: Engine, step) -> None:
    kind, value = step
    if kind == "spend":
        engine.spend(value)
    elif kind == "day":
        engine.spend(value[0])
        engine.advance_by(value[1])
    elif kind == "advance":
        engine.advance_by(value)
    elif kind == "top_up":
        engine.top_up(*value)
    elif kind == "activate":
        engine.activate()
    elif kind == "self_test":
        engine.take_self_test(value)
    elif kind == "products" and engine.products + value >= 0:
        engine.add_products(value)
    elif kind == "keywords" and engine.keywords + value >= 0:
        engine.add_keywords(value)
    elif kind == "info_score":
        engine.set_info_score(value)


def state(engine: Engine) -> tuple:
    return (
        [dataclasses.astuple(row) for row in engine.ledger],
        engine.cash,
        engine.red_packet,
        engine.coupons,
        engine.held,
        engine.stage,
        engine.clock,
        engine.days_used,
        engine.activated_at,
        [(a.at, a.score) for a in engine.attempts],
        engine.task_status(),
        [(r.code, r.at) for r in engine.refusals],
    )


@SETTINGS
@given(scenarios)
def test_invariants_hold_on_random_scenarios(case):
    rules, account, offset, steps = case
    engine = run(rules, account, offset, steps)
    tier = engine.tier
    ledger = engine.ledger

    # Windows are settled once each, in order (window_end strictly rising).
    for row in ledger:
        assert row.window_start < row.window_end <= engine.clock
        assert row.window_start == rules.prev_cutoff(row.window_end - 1)
    for earlier, later in itertools.pairwise(ledger):
        assert earlier.window_end < later.window_end
        assert earlier.window_end <= later.window_start

    for row in ledger:
        # waived + coupon + cash + red packet == spend, for every window.
        assert row.waived + row.coupon + row.cash + row.red_packet == row.spend
        assert min(row.waived, row.coupon, row.cash, row.red_packet) >= 0
        if row.waiver_day is None:
            assert row.waived == 0
        else:
            assert tier is not None and engine.activated_at is not None
            assert row.waived <= tier.daily_cap
            assert row.waived == min(row.spend, tier.daily_cap)
            assert row.coupon == 0  # R19
            # No waiver for a window that closed before the activation.
            assert row.window_end > engine.activated_at

    waiver_rows = [row for row in ledger if row.waiver_day is not None]
    if engine.activated_at is None:
        assert not waiver_rows
        assert engine.days_used == 0
    else:
        assert tier is not None
        assert engine.eligible and engine.account.recharge >= tier.recharge
        # Days run consecutively from the window holding the activation.
        assert [row.waiver_day for row in waiver_rows] == list(
            range(1, len(waiver_rows) + 1)
        )
        assert len(waiver_rows) == engine.days_used <= tier.days
        if waiver_rows:
            first = waiver_rows[0]
            assert first.window_start <= engine.activated_at < first.window_end
            for earlier, later in itertools.pairwise(waiver_rows):
                assert later.window_start == earlier.window_end
            # No waiver after the last day.
            last_end = waiver_rows[-1].window_end
            assert all(
                row.waiver_day is None for row in ledger if row.window_end > last_end
            )
        total_waived = sum(row.waived for row in ledger)
        assert total_waived <= tier.daily_cap * tier.days
        assert engine.stage in ("waiver", "finished")
        assert (engine.stage == "finished") == (engine.days_used == tier.days)

    # Balances: never negative, and every fen accounted for.
    topped = [e for e in engine.events if e["kind"] == "top_up"]
    assert engine.cash == account.cash + sum(e["cash"] for e in topped) - sum(
        row.cash for row in ledger
    )
    assert engine.red_packet == account.red_packet + sum(
        e["red_packet"] for e in topped
    ) - sum(row.red_packet for row in ledger)
    assert engine.coupons == account.coupons + sum(e["coupons"] for e in topped) - sum(
        row.coupon for row in ledger
    )
    assert min(engine.cash, engine.red_packet, engine.coupons, engine.held) >= 0
    spent = sum(e["fen"] for e in engine.events if e["kind"] == "spend")
    assert spent == sum(row.spend for row in ledger) + engine.held

    # Replaying the saved events rebuilds the same state, to the fen.
    again = Engine.replay(rules, account, START + offset, engine.events, engine.clock)
    assert state(again) == state(engine)


@settings(SETTINGS, max_examples=100)
@given(scenarios, st.lists(actions, max_size=15))
def test_replay_then_continue_equals_continuing(case, more):
    """A profile reopened mid-way (after spend events were merged) behaves
    exactly like the session that never closed."""
    rules, account, offset, steps = case
    engine = run(rules, account, offset, steps)
    again = Engine.replay(rules, account, START + offset, engine.events, engine.clock)
    for current in (engine, again):
        for step in more:
            run_step(current, step)
    assert state(again) == state(engine)
    third = Engine.replay(rules, account, START + offset, engine.events, engine.clock)
    assert state(third) == state(engine)


@settings(SETTINGS, max_examples=50)
@given(scenarios, st.integers(1, 10**7))
def test_the_clock_never_goes_backwards(case, back):
    rules, account, offset, steps = case
    engine = run(rules, account, offset, steps)
    before = state(engine)
    try:
        engine.advance_to(engine.clock - back)
    except ClockError:
        pass
    else:
        raise AssertionError("moving the clock back was accepted")
    assert state(engine) == before
    assert isinstance(ClockError("x"), InputError)


@SETTINGS
@given(
    st.integers(0, 10**9),
    st.integers(0, 10**9),
    st.integers(0, 10**9),
    st.sampled_from(["cash", "red_packet"]),
)
def test_split_is_exact_and_fair(amount, cash, red_packet, tie):
    total = cash + red_packet
    amount = amount % (total + 1)  # the engine never splits more than it holds
    if tie == "cash":
        cash_part, rp_part = money.split(amount, cash, red_packet)
    else:
        rp_part, cash_part = money.split(amount, red_packet, cash)
    assert cash_part + rp_part == amount
    assert 0 <= cash_part <= cash and 0 <= rp_part <= red_packet
    if total and amount:
        # Each part is its exact share floored, or that plus the one fen.
        assert amount * cash // total <= cash_part <= -(-amount * cash // total)
        assert amount * red_packet // total <= rp_part
        assert rp_part <= -(-amount * red_packet // total)


@SETTINGS
@given(st.sampled_from([RULES, LA_RULES]), st.integers(0, 800 * 86_400))
def test_cutoffs_bracket_every_instant(rules, offset):
    ts = START + offset
    prev, nxt = rules.prev_cutoff(ts), rules.next_cutoff(ts)
    assert prev <= ts < nxt
    assert 23 * 3600 <= nxt - prev <= 25 * 3600
    assert rules.next_cutoff(prev) == nxt
    assert rules.prev_cutoff(nxt - 1) == prev


def test_deadline_is_the_last_second_of_day_thirty():
    for days in range(0, 400, 7):
        paid = date(2026, 7, 1) + timedelta(days=days)
        deadline = RULES.deadline_for(paid)
        local = timeutil.to_bj(deadline)
        assert local.date() == paid + timedelta(days=30)
        assert (local.hour, local.minute, local.second) == (23, 59, 59)
