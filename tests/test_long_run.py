"""Long runs: a year of simulated spend keeps memory flat, the profile small
and every simulated day as fast at the end as at the start.

Two drivers:
- the TUI's `FeedDriver` (a stand-in app, no Textual) at its highest speed:
  each 0.1 s tick moves the clock 360 simulated seconds, clicks are served
  through `Feed`, every settlement saves the profile through the real store;
- the engine alone, a seeded spend every simulated minute.

Bounds (checked; the measured figures are in docs/reliability.md, printed
with `-s`):
- memory: what is still allocated at the end, of what was allocated after
  the warm-up (day 30 of 365; tracemalloc), stays under MEMORY_BOUND;
- profile: the saved payload (compact JSON) stays under PROFILE_BOUND;
- speed: the CPU time of a simulated day over the last 30 days (lower
  quartile) is within SLOWDOWN times that over the 30 days after the
  warm-up (tracemalloc is on for both, which makes every day slower alike).

The normal suite runs 60 days (a few seconds); `RUN_SLOW=1` runs 365.
"""

from __future__ import annotations

import gc
import json
import os
import random
import shutil
import statistics
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import pytest
from test_clock import FakeApp, ManualMonotonic

from app.core import money, timeutil
from app.core.session import Session, default_account
from app.core.store import ProfileStore

START = timeutil.parse_time("2026-07-01 09:00", "tests")
DAY = 86400
MEMORY_BOUND = 1024 * 1024  # bytes retained of what was allocated after warm-up
PROFILE_BOUND = 256 * 1024  # bytes of saved payload after the run
SLOWDOWN = 1.5
SLOW = os.environ.get("RUN_SLOW") == "1"
slow = pytest.mark.skipif(not SLOW, reason="set RUN_SLOW=1 to run")


@dataclass
class Run:
    """What a long run measured."""

    days: int
    warm_up: int  # days before memory is traced and the speed baseline taken
    traced: bool  # tracemalloc on after the warm-up (memory), or off (speed)
    day_seconds: list[float] = field(default_factory=list)  # CPU, saves included
    save_seconds: list[float] = field(default_factory=list)  # CPU in saves
    payload_at: dict[int, int] = field(default_factory=dict)  # day -> bytes
    retained: int = 0  # bytes still held of what was allocated after warm-up
    peak: int = 0
    payload_bytes: int = 0
    file_bytes: int = 0
    events: int = 0
    ledger_rows: int = 0
    spend: int = 0
    clicks: int = 0
    top: list[str] = field(default_factory=list)  # where retained memory is

    @property
    def span(self) -> int:
        """Days in each of the two speed samples (30 in a year's run)."""
        return min(30, (self.days - self.warm_up) // 3)

    @property
    def samples(self) -> tuple[range, range]:
        first = range(self.warm_up, self.warm_up + self.span)
        return first, range(self.days - self.span, self.days)

    @staticmethod
    def typical(values: list[float], days: range) -> float:
        """The lower quartile of the days' CPU times. CPU time, not wall
        time: other processes on a shared machine must not count; the lower
        quartile because they still disturb caches, and a real slowdown
        moves it as much as the median."""
        return statistics.quantiles([values[d] for d in days], n=4)[0]

    def per_day(self, what: str) -> tuple[float, float]:
        """(start, end) CPU seconds per day: "work" (clicks, settlement, the
        driver: all but saving), "save" or "total"."""
        if what == "work":
            pairs = zip(self.day_seconds, self.save_seconds, strict=True)
            values = [total - save for total, save in pairs]
        elif what == "save":
            values = self.save_seconds
        else:
            values = self.day_seconds
        first, last = self.samples
        return self.typical(values, first), self.typical(values, last)

    def ratio(self, what: str) -> float:
        start, end = self.per_day(what)
        return end / start if start else 1.0

    @property
    def save_per_byte_ratio(self) -> float:
        """Save cost per byte of profile, end over start: 1 when saving is
        linear in the profile's size (its only growth)."""
        first, last = self.samples
        size_start = self.payload_at[first[len(first) // 2]]
        size_end = self.payload_at[last[len(last) // 2]]
        return self.ratio("save") * size_start / size_end

    def summary(self, label: str) -> str:
        head = f"{label}: {self.days} days"
        if self.traced:
            return (
                f"{head}, {self.clicks} clicks, spend "
                f"{money.fmt_grouped(self.spend)}, {self.events} events, "
                f"{self.ledger_rows} ledger rows; retained after day "
                f"{self.warm_up}: {self.retained / 1024:.1f} KiB (peak "
                f"{self.peak / 1024:.1f} KiB); payload "
                f"{self.payload_bytes / 1024:.1f} KiB, file "
                f"{self.file_bytes / 1024:.1f} KiB"
            )
        parts = [head, "CPU ms per day, start -> end (lower quartiles):"]
        for what in ("work", "save", "total"):
            start, end = self.per_day(what)
            parts.append(
                f"{what} {start * 1000:.2f} -> {end * 1000:.2f} "
                f"(x{self.ratio(what):.2f})"
            )
        parts.append(f"save per byte x{self.save_per_byte_ratio:.2f};")
        parts.append(f"CPU total {sum(self.day_seconds):.1f} s")
        return " ".join(parts)


class TimedSaves:
    """Counts the CPU time spent in `session.save`."""

    def __init__(self, session: Session) -> None:
        self.seconds = 0.0
        original = session.save

        def save() -> str | None:
            began = time.process_time()
            try:
                return original()
            finally:
                self.seconds += time.process_time() - began

        session.save = save  # type: ignore[method-assign]


def open_session(tmp_path: Path) -> Session:
    """A saved profile with the waiver active and money for a year of the
    default budget (CNY 300 a day)."""
    store = ProfileStore(tmp_path)
    account = default_account(timeutil.to_bj(START).date())
    account = replace(account, cash=money.parse_amount(200_000, "test"))
    session = Session.open(store, "longrun", account=account, clock=START)
    engine = session.engine
    engine.take_self_test(90)
    engine.set_info_score(engine.rules.info_score_required)
    engine.add_products(engine.rules.products_required)
    engine.add_keywords(engine.rules.keywords_required)
    assert engine.activate() is None
    session.save()
    return session


def payload_size(session: Session) -> int:
    payload = session.payload()
    return len(json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode())


def measure(
    days: int, session: Session, run_day: Callable[[int], int], traced: bool
) -> Run:
    """Run `days` simulated days, one `run_day(day_end)` each. Traced: memory
    from the end of the warm-up (30 days in a year's run, 10 in 60 days).
    Not traced: CPU time per day, and in saves."""
    run = Run(days, warm_up=30 if days >= 180 else 10, traced=traced)
    engine = session.engine
    saves = TimedSaves(session)
    middles = {days[len(days) // 2] for days in run.samples}
    for day in range(1, days + 1):
        if traced and day == run.warm_up + 1:
            gc.collect()
            tracemalloc.start()
        saved = saves.seconds
        began = time.process_time()
        run.clicks += run_day(START + day * DAY)
        run.day_seconds.append(time.process_time() - began)
        run.save_seconds.append(saves.seconds - saved)
        if not traced and day - 1 in middles:
            run.payload_at[day - 1] = payload_size(session)
    if traced:
        try:
            gc.collect()
            run.retained, run.peak = tracemalloc.get_traced_memory()
            snapshot = tracemalloc.take_snapshot()
        finally:
            tracemalloc.stop()
        run.top = [str(stat) for stat in snapshot.statistics("lineno")[:5]]
    assert START + days * DAY <= engine.clock < START + days * DAY + 3600
    session.save()
    run.payload_bytes = payload_size(session)
    assert session.handle is not None
    run.file_bytes = session.handle.path.stat().st_size
    run.events = len(engine.events)
    run.ledger_rows = len(engine.ledger)
    run.spend = sum(row.spend for row in engine.ledger)
    return run


def check(runner: Callable[[Path, int, bool], Run], folder: Path, days: int) -> None:
    label = (runner.__doc__ or runner.__name__).splitlines()[0].rstrip(".")
    memory = runner(folder / "traced", days, True)
    print("\n" + memory.summary(label))
    assert memory.ledger_rows == days  # a row per day: there was spend daily
    assert memory.retained < MEMORY_BOUND, [memory.summary(label), *memory.top]
    assert memory.payload_bytes < PROFILE_BOUND, memory.summary(label)
    speed = runner(folder / "timed", days, False)
    print(speed.summary(label))
    # Clicks, settlement and the driver: as fast on the last day as the first.
    assert speed.ratio("work") < SLOWDOWN, speed.summary(label)
    # Saving grows with the profile only (linear), not with anything else.
    assert speed.save_per_byte_ratio < SLOWDOWN, speed.summary(label)


# ------------------------------------------------------------------ drivers


def feed_run(tmp_path: Path, days: int, traced: bool) -> Run:
    """Feed driver at 3600x, tick by tick, saving as the app does."""
    from app.tui import feed_driver

    session = open_session(tmp_path)
    app = FakeApp(session)
    wall = ManualMonotonic()
    driver = feed_driver.FeedDriver(app, wall=wall)  # type: ignore[arg-type]
    driver.settings.speed = max(feed_driver.SPEEDS)
    driver.settings.playing = True
    engine = session.engine

    clicks = [0]
    report = driver._report

    def counting_report(step: Any) -> None:
        clicks[0] += step.clicks
        report(step)

    driver._report = counting_report  # type: ignore[method-assign]

    def run_day(day_end: int) -> int:
        before = clicks[0]
        while engine.clock < day_end:
            wall.now += feed_driver.TICK
            driver._on_tick()
        return clicks[0] - before

    run = measure(days, session, run_day, traced)
    recent = driver.feed.recent
    assert recent.maxlen is not None and len(recent) <= recent.maxlen
    assert app.revision >= days  # every settlement went through changed()
    session.close()
    return run


def engine_run(tmp_path: Path, days: int, traced: bool) -> Run:
    """Engine alone, a seeded spend (1 to 60 fen) every simulated minute."""
    session = open_session(tmp_path)
    engine = session.engine
    rng = random.Random(20260701)

    def run_day(day_end: int) -> int:
        count = 0
        while engine.clock + 60 <= day_end:
            engine.advance_to(engine.clock + 60)
            engine.spend(rng.randint(1, 60))
            count += 1
        session.save()  # once a simulated day
        return count

    run = measure(days, session, run_day, traced)
    session.close()
    return run


# -------------------------------------------------------------------- tests


@pytest.fixture
def state_dir(tmp_path, monkeypatch):
    """Saves go through the real store but to a RAM disk where there is one
    (/dev/shm), and skip fsync: a save's disk latency (5 to 30 ms here for
    fsync and rename, varying with the other processes) is the same on day
    1 and day 365 and would drown what these tests measure."""
    monkeypatch.setattr(os, "fsync", lambda fd: None)
    shm = Path("/dev/shm")
    if not (shm.is_dir() and os.access(shm, os.W_OK)):
        yield tmp_path
        return
    folder = Path(tempfile.mkdtemp(prefix="growth-plan-longrun-", dir=shm))
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def test_feed_60_days(state_dir):
    check(feed_run, state_dir, 60)


def test_engine_every_minute_60_days(state_dir):
    check(engine_run, state_dir, 60)


@slow
@pytest.mark.slow
def test_feed_365_days(state_dir):
    check(feed_run, state_dir, 365)


@slow
@pytest.mark.slow
def test_engine_every_minute_365_days(state_dir):
    check(engine_run, state_dir, 365)
