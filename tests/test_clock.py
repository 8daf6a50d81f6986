"""Time: the simulated clock never moves backwards and never settles a window
twice, whatever the machine's clock does.

- `Engine.advance_to` an earlier time raises `ClockError` (an `InputError`,
  shown to the user as one line) and changes nothing.
- Random forward and backward requests: every cutoff is settled exactly
  once, in order, windows contiguous; ledger `window_end`s strictly rise.
- The spend feed (`app.core.feed.Feed`) and its TUI driver
  (`app.tui.feed_driver.FeedDriver`) run while `time.time()` jumps years
  backwards and forwards: the simulated clock stays monotonic and no window
  settles twice. The driver's ticks use `time.monotonic`; `time.time` is only
  read to catch up a real-time feed after a restart, and a machine clock set
  back never moves the simulated clock back.
- A saved profile whose clock lies in the machine's future or past reopens
  exactly at the saved simulated clock.
"""

from __future__ import annotations

import itertools
import random
import time
from dataclasses import replace
from types import SimpleNamespace
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.core import timeutil
from app.core.engine import ClockError, Engine
from app.core.errors import InputError
from app.core.feed import Feed, FeedSettings, generic_keywords
from app.core.session import Session, default_account
from app.core.store import ProfileStore

START = timeutil.parse_time("2026-07-01 09:00", "tests")
DAY = 86400
YEAR = 365 * DAY


def ready_session(name: str = "t", clock: int = START) -> Session:
    """A session whose waiver is active: the waiver days settle too."""
    account = default_account(timeutil.to_bj(clock).date())
    session = Session.in_memory(name, replace(account, keywords=0), clock)
    engine = session.engine
    engine.take_self_test(90)
    engine.set_info_score(engine.rules.info_score_required)
    engine.add_products(engine.rules.products_required)
    engine.add_keywords(engine.rules.keywords_required)
    assert engine.activate() is None
    return session


class SettleLog:
    """Records every window the engine settles (also the silent ones)."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch | None = None) -> None:
        self.windows: list[tuple[int, int]] = []
        original = Engine._settle
        log = self

        def settle(engine: Engine):
            log.windows.append((engine.window_start, engine.window_end))
            return original(engine)

        self._patch = (original, settle)
        if monkeypatch is not None:
            monkeypatch.setattr(Engine, "_settle", settle)

    def __enter__(self) -> SettleLog:
        Engine._settle = self._patch[1]  # type: ignore[method-assign]
        return self

    def __exit__(self, *exc: object) -> None:
        Engine._settle = self._patch[0]  # type: ignore[method-assign]

    def check(self, engine: Engine, start: int) -> None:
        """Each window once, in order, contiguous, from the first one."""
        ends = [end for _, end in self.windows]
        assert ends == sorted(set(ends)), "a window settled twice or out of order"
        previous = engine.rules.prev_cutoff(start)
        for window_start, window_end in self.windows:
            assert window_start == previous, "a window was skipped"
            assert window_end == engine.rules.next_cutoff(window_start)
            previous = window_end
        assert engine.window_start == previous
        assert engine.window_start <= engine.clock < engine.window_end


def check_ledger(engine: Engine) -> None:
    ends = [row.window_end for row in engine.ledger]
    assert all(a < b for a, b in itertools.pairwise(ends)), ends
    assert all(row.window_start < row.window_end for row in engine.ledger)


# ------------------------------------------------------------------ engine


def test_going_back_raises_clock_error_and_changes_nothing():
    engine = ready_session().engine
    engine.spend(15000)
    engine.advance_to(START + 2 * DAY)
    before = (engine.clock, list(engine.ledger), engine.held, engine.days_used)
    events = len(engine.events)
    with pytest.raises(ClockError) as caught:
        engine.advance_to(START + 2 * DAY - 1)
    assert isinstance(caught.value, InputError)  # the user sees one line
    message = str(caught.value)
    assert "\n" not in message and "cannot go back" in message
    assert "2026-07-03 09:00:00" in message and "2026-07-03 08:59:59" in message
    assert (engine.clock, engine.ledger, engine.held, engine.days_used) == before
    assert len(engine.events) == events
    engine.advance_to(engine.clock)  # the same time does nothing
    assert (engine.clock, engine.ledger) == before[:2]


def test_clock_error_exits_2_from_a_scenario(tmp_path, capsys):
    from app import cli

    path = tmp_path / "back.yaml"
    path.write_text(
        "clock: 2026-07-01 09:00\n"
        "account: {first_p4p_date: 2026-07-01, payment_date: 2026-07-01, "
        "recharge: 30000}\n"
        "actions:\n  - advance: 1d\n  - at: 2026-07-01 10:00\n",
        encoding="utf-8",
    )
    assert cli.main(["simulate", str(path)]) == 2
    out, err = capsys.readouterr()
    assert out == "" and len(err.splitlines()) == 1
    assert str(path) in err and "actions[1]" in err and "cannot go back" in err


def test_clock_cannot_pass_the_supported_range():
    engine = ready_session().engine
    with pytest.raises(ClockError):
        engine.advance_to(timeutil.MAX_TS + 1)
    assert engine.clock == START
    with pytest.raises(InputError):
        Engine(engine.rules, engine.account, timeutil.MIN_TS - 1)


moves = st.lists(
    st.tuples(
        st.one_of(
            st.integers(-3 * DAY, 3 * DAY),  # relative, either way
            st.integers(-60, 60),  # around the current second
            st.sampled_from([-YEAR, 40 * DAY, DAY, 0]),
        ),
        st.integers(0, 50_000),  # spend in fen after the move
    ),
    max_size=60,
)


@settings(max_examples=150, deadline=None)
@given(moves=moves, cutoff_bias=st.booleans())
def test_random_forward_and_backward_moves(moves, cutoff_bias):
    """Whatever is asked, the clock only rises and each cutoff settles once."""
    session = ready_session()
    engine = session.engine
    with SettleLog() as log:
        for delta, fen in moves:
            target = engine.clock + delta
            if cutoff_bias and delta > 0:
                target = engine.rules.next_cutoff(engine.clock)  # exactly on it
            before = engine.clock
            if target < before:
                with pytest.raises(ClockError):
                    engine.advance_to(target)
                assert engine.clock == before
            else:
                engine.advance_to(target)
                assert engine.clock == target
            engine.spend(fen)
    log.check(engine, START)
    check_ledger(engine)
    tier = engine.tier
    assert tier is not None
    waiver_days = [row.waiver_day for row in engine.ledger if row.waiver_day]
    assert waiver_days == list(range(1, len(waiver_days) + 1))
    assert engine.days_used == min(len(log.windows), tier.days)
    # Replaying the events gives the same ledger: nothing settled twice.
    replayed = Engine.replay(
        engine.rules, engine.account, engine.start_clock, engine.events, engine.clock
    )
    assert replayed.ledger == engine.ledger and replayed.clock == engine.clock


# -------------------------------------------------------------------- feed


class JumpingClock:
    """Stands in for time.time: jumps years back and forth at random."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.real = time.time
        self.calls = 0
        self.values: list[float] = []

    def __call__(self) -> float:
        self.calls += 1
        value = self.real() + self.rng.choice(
            [-10 * YEAR, -DAY, -3600, -1, 0, 1, 3600, DAY, 10 * YEAR]
        )
        self.values.append(value)
        return value


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_feed_ignores_the_machine_clock(monkeypatch, seed):
    """Feed.run_to only ever sees simulated times: while time.time jumps,
    the feed's clock rises and each window settles once."""
    jumping = JumpingClock(seed)
    monkeypatch.setattr(time, "time", jumping)
    session = ready_session()
    engine = session.engine
    feed = Feed(engine, generic_keywords(50), FeedSettings(seed=seed, budget=50_000))
    rng = random.Random(seed)
    log = SettleLog(monkeypatch)
    clocks = [engine.clock]
    for _ in range(400):
        target = engine.clock + rng.choice([-DAY, -60, 0, 60, 3600, 5 * 3600, DAY])
        if target < engine.clock:
            with pytest.raises(ClockError):
                feed.run_to(target)
        else:
            feed.run_to(target)
        clocks.append(engine.clock)
    assert clocks == sorted(clocks)
    assert engine.clock - START > 30 * DAY  # it really ran
    log.check(engine, START)
    check_ledger(engine)
    assert sum(row.spend for row in engine.ledger) > 0


class FakeApp:
    """What FeedDriver needs of GrowthPlanApp, without Textual running."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.lang = "en"
        self.tick = 0
        self.revision = 0
        self.notes: list[str] = []

    def notify(self, message: str, **_: Any) -> None:
        self.notes.append(message)

    def changed(self) -> None:
        self.session.save()
        self.revision += 1

    def set_interval(self, *_: Any, **__: Any) -> SimpleNamespace:
        return SimpleNamespace(stop=lambda: None)


class ManualMonotonic:
    """A monotonic clock that moves only when the test says so."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def make_driver(session: Session, **kw: Any):
    from app.tui.feed_driver import FeedDriver

    return FeedDriver(FakeApp(session), **kw)  # type: ignore[arg-type]


@pytest.mark.parametrize("seed", [1, 2])
def test_driver_ticks_while_the_machine_clock_jumps(monkeypatch, seed):
    """The driver at its highest speed, ticking, while time.time jumps ten
    years either way on every read (the driver's own `now` is left at its
    default, so it reads the patched time.time)."""
    from app.tui import feed_driver

    jumping = JumpingClock(seed)
    monkeypatch.setattr(time, "time", jumping)
    session = ready_session()
    engine = session.engine
    wall = ManualMonotonic()
    driver = make_driver(session, wall=wall, now=time.time)
    driver.settings.speed = feed_driver.SPEEDS[-1]
    driver.settings.playing = True
    log = SettleLog(monkeypatch)
    clocks = [engine.clock]
    for _ in range(3000):  # 0.1 s each at 3600x: 360 s per tick, 12.5 days
        wall.now += 0.1
        driver._on_tick()
        clocks.append(engine.clock)
    assert clocks == sorted(clocks)
    # Moved by the monotonic clock alone: 3000 ticks x 0.1 s x 3600.
    assert engine.clock - START == pytest.approx(3000 * 0.1 * 3600, abs=2)
    log.check(engine, START)
    check_ledger(engine)
    assert jumping.calls > 0  # the machine clock was read (saves) and ignored


def test_driver_with_real_monotonic_and_a_jumping_machine_clock(monkeypatch):
    """Default clocks: real time.monotonic, a time.time that jumps."""
    from app.tui import feed_driver

    monkeypatch.setattr(time, "time", JumpingClock(7))
    session = ready_session()
    engine = session.engine
    driver = make_driver(session)  # defaults: wall=time.monotonic, now=time.time
    driver.settings.speed = feed_driver.SPEEDS[-1]
    driver.settings.playing = True
    log = SettleLog(monkeypatch)
    clocks = [engine.clock]
    started = time.monotonic()
    while time.monotonic() - started < 0.6:
        driver._on_tick()
        clocks.append(engine.clock)
        time.sleep(0.005)
    elapsed = time.monotonic() - started
    assert clocks == sorted(clocks)
    moved = engine.clock - START
    assert 0 < moved <= (elapsed + 0.05) * feed_driver.SPEEDS[-1]
    log.check(engine, START)


@pytest.mark.parametrize(
    ("machine_shift", "moves"),
    [(-10 * YEAR, False), (-60, False), (0, False), (3600, True), (10 * YEAR, True)],
)
def test_catch_up_after_restart_never_goes_back(monkeypatch, machine_shift, moves):
    """A feed left playing in real time catches up the real gap since the
    last save; a machine clock set back (a negative gap) does nothing, and a
    huge gap is capped at MAX_JUMP."""
    from app.tui import feed_driver

    session = ready_session()
    engine = session.engine
    saved_wall = 2_000_000_000
    session.workspace["feed"] = {
        "seed": 1, "budget": 30000, "speed": 1, "playing": True, "wall": saved_wall,
    }  # fmt: skip
    monkeypatch.setattr(time, "time", lambda: saved_wall + machine_shift)
    driver = make_driver(session, now=time.time)
    log = SettleLog(monkeypatch)
    before = engine.clock
    driver._catch_up()
    driver.run_pending()
    if moves:
        gap = min(machine_shift, feed_driver.MAX_JUMP)
        assert engine.clock == before + gap
    else:
        assert engine.clock == before
    log.check(engine, before)


# ------------------------------------------------------------- reopening


@pytest.mark.parametrize(
    "machine_offset",
    [-50 * YEAR, -YEAR, -DAY, 0, DAY, YEAR, 30 * YEAR],
    ids=lambda v: f"{v // DAY:+d}d",
)
@pytest.mark.parametrize(
    "saved", ["2026-07-01 09:00", "2031-02-03 04:05:06", "1999-12-31 23:59:59"]
)
def test_reopen_resumes_at_the_saved_clock(
    tmp_path, monkeypatch, machine_offset, saved
):
    """Whether the machine's clock is before or after the saved simulated
    clock, reopening resumes exactly there: nothing settled, no time added."""
    clock = timeutil.parse_time(saved, "test")
    store = ProfileStore(tmp_path)
    session = Session.open(store, "p", clock=clock)
    engine = session.engine
    engine.take_self_test(90)
    engine.spend(12345)
    engine.advance_to(clock + 2 * DAY + 7)
    session.save()
    expected = (engine.clock, engine.ledger, engine.held, engine.days_used)
    session.close()

    monkeypatch.setattr(time, "time", lambda: clock + machine_offset)
    again = Session.open(ProfileStore(tmp_path), "p")
    try:
        reopened = again.engine
        got = (reopened.clock, reopened.ledger, reopened.held, reopened.days_used)
        assert got == expected
        assert reopened.clock == clock + 2 * DAY + 7
    finally:
        again.close()
