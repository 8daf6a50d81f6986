"""Benchmarks for `make bench`: `python scripts/bench.py [NAME ...]`.

Each benchmark is a function registered with `@bench("name")`; with no
arguments every one runs, in order. Other sections append their own
functions the same way. Each prints its figures and the target it checks;
the script exits 1 if a target was missed.
"""

from __future__ import annotations

import os
import platform
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

BENCHMARKS: dict[str, Callable[[], bool]] = {}


def bench(name: str) -> Callable[[Callable[[], bool]], Callable[[], bool]]:
    """Register a benchmark; it returns True when its targets are met."""

    def register(function: Callable[[], bool]) -> Callable[[], bool]:
        BENCHMARKS[name] = function
        return function

    return register


def best_of(runs: int, function: Callable[[], object]) -> float:
    """The fastest of `runs` timings of `function()`, in seconds (wall)."""
    return timed(runs, function)[0]


def timed(runs: int, function: Callable[[], object]) -> tuple[float, float]:
    """The fastest wall time and the fastest CPU time (this process) of
    `runs` calls. On a shared machine the CPU time shows the work itself."""
    wall = cpu = float("inf")
    for _ in range(runs):
        start, start_cpu = time.perf_counter(), time.process_time()
        function()
        wall = min(wall, time.perf_counter() - start)
        cpu = min(cpu, time.process_time() - start_cpu)
    return wall, cpu


def report(label: str, seconds: float, cpu: float | None = None) -> None:
    extra = "" if cpu is None else f"   (CPU {cpu * 1000:7.1f} ms)"
    print(f"  {label:<44} {seconds * 1000:9.1f} ms{extra}")


def check(label: str, ok: bool) -> bool:
    print(f"  target: {label:<36} {'ok' if ok else 'MISSED'}")
    return ok


# ------------------------------------------------------------------ simulate

SPEND_DAYS = 30
MINUTES = SPEND_DAYS * 24 * 60  # 43,200 spends and 43,200 advances


def write_minute_feed(path: Path) -> None:
    """A 30-day waiver (30k tier) with a spend every simulated minute."""
    head = """\
name: 30-day waiver, a spend every minute
description: 43,200 spends and 43,200 one-minute advances (bench).
clock: 2026-07-01 16:00
account:
  first_p4p_date: 2026-07-01
  payment_date: 2026-07-01
  recharge: 30000
  info_score: 3.0
  products: 30
  keywords: 50
actions:
  - self_test: {score: 90}
  - activate_waiver
"""
    body = "  - spend: 0.12\n  - advance: 1m\n" * MINUTES
    tail = f"""\
expect:
  stage: finished
  waiver.days_used: {SPEND_DAYS}
  ledger[29].spend: "172.80"
  ledger[29].waived: "100.00"
  ledger[29].cash: "72.80"
  balances.cash: "27816.00"
"""
    path.write_text(head + body + tail, encoding="utf-8")


@bench("simulate")
def bench_simulate() -> bool:
    import yaml

    from app.core import yamlio

    print(f"simulate: {MINUTES:,} spends + {MINUTES:,} advances (1m)")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "minute-feed.yaml"
        write_minute_feed(path)
        command = [str(Path(sys.executable).parent / "growth-plan")]
        if not Path(command[0]).exists():
            command = [sys.executable, "-m", "app"]
        command += ["simulate", str(path), "--json"]

        cpu: list[float] = []

        def simulate() -> None:
            before = os.times()
            done = subprocess.run(command, capture_output=True, cwd=ROOT)
            after = os.times()
            cpu.append(
                after.children_user
                - before.children_user
                + after.children_system
                - before.children_system
            )
            if done.returncode != 0:
                sys.exit(f"simulate failed ({done.returncode}): {done.stderr!r}")

        text = path.read_text(encoding="utf-8")
        loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
        parse, parse_cpu = timed(3, lambda: yaml.load(text, Loader=loader))
        parse_ours = timed(3, lambda: yamlio.load(path))
        run = best_of(3, simulate)
    report("yaml.load, CSafeLoader (parse only)", parse, parse_cpu)
    report("app.core.yamlio.load (full parser, only)", *parse_ours)
    report("growth-plan simulate --json (process)", run, min(cpu))
    print(
        f"  ratio simulate / parse: {run / parse:.2f} x wall, "
        f"{min(cpu) / parse_cpu:.2f} x CPU"
    )
    ok = check("simulate under 1.5 s", run < 1.5)
    return check("simulate within 3x the parse", run <= 3 * parse) and ok


# ------------------------------------------------------------------- replay

REPLAY_EVENTS = 100_000


def build_profile_engine():
    """An engine with 100,000 events, built by the engine itself: top-ups,
    self-test retakes, task changes and info scores, and spends spread over
    many windows (one spend event per settled window survives merging)."""
    from datetime import date

    from app.core.engine import Account, Engine
    from app.core.rules import load_rules
    from app.core.timeutil import parse_time

    rules = load_rules()
    account = Account(
        first_p4p_date=date(2026, 7, 1),
        payment_date=date(2026, 7, 1),
        recharge=6_000_000,
        cash=6_000_000,
        info_score=300,
        products=30,
        keywords=50,
    )
    engine = Engine(rules, account, parse_time("2026-07-01 09:00", "bench"))
    engine.take_self_test(90)
    engine.activate()
    step = 0
    while len(engine.events) < REPLAY_EVENTS:
        kind = step % 10
        if kind < 4:
            engine.top_up(cash=100, red_packet=7, coupons=1)
        elif kind < 6:
            engine.take_self_test(70 + step % 31)
        elif kind == 6:
            engine.add_products(1)
        elif kind == 7:
            engine.add_keywords(1)
        elif kind == 8:
            engine.set_info_score(300 + step % 200)
        else:
            engine.spend(1_234 + step % 100)
        engine.advance_by(1_800 if step % 50 == 0 else 30)
        step += 1
    return rules, engine


@bench("replay")
def bench_replay() -> bool:
    from app.core.engine import Engine
    from app.core.session import Session
    from app.core.store import ProfileStore

    print(f"replay: a profile of {REPLAY_EVENTS:,} events")
    start = time.perf_counter()
    rules, engine = build_profile_engine()
    built = time.perf_counter() - start
    events = engine.events
    spends = sum(1 for e in events if e["kind"] == "spend")

    def replay() -> Engine:
        return Engine.replay(
            rules, engine.account, engine.start_clock, events, engine.clock
        )

    seconds, seconds_cpu = timed(3, replay)
    again = replay()
    same = (again.ledger, again.cash, again.red_packet, again.stage) == (
        engine.ledger,
        engine.cash,
        engine.red_packet,
        engine.stage,
    )
    with tempfile.TemporaryDirectory() as folder:
        store = ProfileStore(Path(folder))
        saved = Session("bench", rules, engine)
        saved.save_new(store)
        saved.close()
        size = store.path("bench").stat().st_size

        def open_profile() -> None:
            Session.open(store, "bench", read_only=True).close()

        opened, opened_cpu = timed(3, open_profile)
    report(f"build by the engine ({len(events):,} events)", built)
    report(f"Engine.replay ({spends:,} spend events)", seconds, seconds_cpu)
    report(f"Session.open, read-only ({size / 1e6:.1f} MB)", opened, opened_cpu)
    ok = check("replay gives the same ledger", same)
    ok = check("replay under 0.5 s", seconds < 0.5) and ok
    return check("saved profile opens under 0.5 s", opened < 0.5) and ok


# --------------------------------------------------------------------- feed

FEED_PRESSES = 200
FEED_DAYS = 365


def _feed_session():
    """A ready, activated 30k-tier account at the tests' frozen clock."""
    from datetime import date

    from app.core.engine import Account
    from app.core.session import Session
    from app.core.timeutil import parse_time

    account = Account(
        first_p4p_date=date(2026, 7, 1),
        payment_date=date(2026, 7, 1),
        recharge=3_000_000,
        cash=3_000_000,
        red_packet=500_000,
        info_score=300,
        products=30,
        keywords=50,
    )
    session = Session.in_memory(
        "bench", account, parse_time("2026-07-01 09:00", "bench")
    )
    session.engine.take_self_test(90)
    session.engine.activate()
    return session


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def _key_latency(
    play: bool = True,
) -> tuple[list[float], list[float], list[float], int]:
    """Key presses (down / up, scrolling the waiver screen) while the feed
    plays at 1 hour per second, inside Pilot's test harness.

    Two figures per press. *Handled*: from the moment the terminal driver
    hands the key to the app until the bound action has run, which is what a
    person waits for. *Round trip*: `pilot.press`, which also waits until the
    whole process is idle; with a feed ticking every 50 ms that wait measures
    the feed's duty cycle as much as the key, so it is shown for reference.
    Also returns the time of each feed tick.
    """
    import asyncio

    from textual import events

    from app.tui.app import GrowthPlanApp
    from app.tui.feed_driver import TICK

    handled: list[float] = []
    round_trips: list[float] = []
    ticks: list[float] = []

    async def run() -> int:
        app = GrowthPlanApp(_feed_session(), show_popup=False)
        async with app.run_test(size=(100, 30)) as pilot:
            await pilot.press("3")
            driver = app.feed
            real_tick = driver._on_tick

            def timed_tick() -> None:
                start = time.perf_counter()
                real_tick()
                ticks.append(time.perf_counter() - start)

            driver._timer.stop()
            app.set_interval(TICK, timed_tick)
            driver.set_speed(3600)
            if play:
                driver.toggle()
            start_clock = app.session.engine.clock

            # Time stamp the bound actions themselves: wrap the scroll
            # actions of every node on the screen that has them.
            done: list[float] = []
            for node in [app.screen, *app.screen.walk_children()]:
                for name in ("action_scroll_down", "action_scroll_up"):
                    original = getattr(node, name, None)
                    if original is None:
                        continue

                    def stamped(original=original) -> None:
                        original()
                        done.append(time.perf_counter())

                    setattr(node, name, stamped)

            await asyncio.sleep(0.5)
            for index in range(FEED_PRESSES):
                key = "down" if index % 2 else "up"
                before = len(done)
                start = time.perf_counter()
                if index % 4 < 2:
                    app._driver.send_message(events.Key(key, None))
                    while len(done) == before:
                        await asyncio.sleep(0)
                    handled.append(done[-1] - start)
                else:
                    await pilot.press(key)
                    round_trips.append(time.perf_counter() - start)
                await asyncio.sleep(0.02)
            return app.session.engine.clock - start_clock

    moved = asyncio.run(run())
    return handled, round_trips, ticks, moved


def _memory_over_a_year() -> tuple[list[tuple[int, float]], int, int, int]:
    """365 simulated days of feed in the driver's slices (6 simulated
    minutes, one tick at 1 hour per second): traced memory every 30 days,
    clicks, and the saved profile's size."""
    import tracemalloc

    from app.core.feed import Feed, FeedSettings, promoted_keywords
    from app.core.store import ProfileStore

    session = _feed_session()
    engine = session.engine
    feed = Feed(engine, promoted_keywords({}, engine.keywords), FeedSettings())
    clicks = 0
    samples: list[tuple[int, float]] = []
    tracemalloc.start()
    end = engine.clock + FEED_DAYS * 86400
    day = 0
    while engine.clock < end:
        step = feed.run_to(min(engine.clock + 360, end))
        clicks += step.clicks
        if step.went_offline:  # a user tops up; keep the clicks coming
            engine.top_up(cash=3_000_000)
        if step.cutoffs:
            day += step.cutoffs
            if day % 30 == 0 or engine.clock >= end:
                samples.append((day, tracemalloc.get_traced_memory()[0] / 1e6))
    tracemalloc.stop()
    with tempfile.TemporaryDirectory() as folder:
        store = ProfileStore(Path(folder))
        session.save_new(store)
        session.close()
        size = store.path("bench").stat().st_size
    return samples, clicks, size, len(engine.events)


@bench("feed")
def bench_feed() -> bool:
    print(f"feed: {FEED_PRESSES} key presses at 1 hour per second (Pilot)")
    handled, round_trips, ticks, moved = _key_latency()
    p95 = _percentile(handled, 0.95)
    report("key press handled, median", _percentile(handled, 0.5))
    report("key press handled, 95th percentile", p95)
    report("key press handled, worst", max(handled))
    report(
        "pilot.press round trip (waits for idle), median", _percentile(round_trips, 0.5)
    )
    report(f"feed tick, 95th percentile ({len(ticks)} ticks)", _percentile(ticks, 0.95))
    print(f"  {'simulated time while pressing':<44} {moved / 3600:9.1f} h")
    # The same presses with the feed paused: what the screen costs without
    # the feed, so the feed's own share can be read off.
    paused, _, _, _ = _key_latency(play=False)
    report("the same, feed paused, median", _percentile(paused, 0.5))
    report("the same, feed paused, 95th percentile", _percentile(paused, 0.95))
    ok = check("key press handled, p95 under 50 ms", p95 < 0.050)

    print(f"feed: {FEED_DAYS} simulated days in 6-minute slices")
    start = time.perf_counter()
    samples, clicks, size, events = _memory_over_a_year()
    seconds = time.perf_counter() - start
    report(f"{FEED_DAYS} days, {clicks:,} clicks (tracemalloc on)", seconds)
    for day, megabytes in samples:
        label = f"traced memory after day {day}"
        print(f"  {label:<44} {megabytes:9.2f} MB")
    label = f"saved profile after {FEED_DAYS} days ({events} events)"
    print(f"  {label:<44} {size / 1e3:9.1f} kB")
    growth = samples[-1][1] - samples[0][1]
    ok = check("memory grows < 1 MB, day 30 to 365", growth < 1.0) and ok
    return check("profile under 500 kB after a year", size < 500_000) and ok


# ------------------------------------------------------------------ startup

STARTUP_RUNS = 5

BARE_APP = """\
import os
from textual.app import App
from textual.widgets import Footer

class Bare(App):
    def compose(self):
        yield Footer()

    def on_mount(self):
        if os.environ.get("GROWTH_PLAN_BENCH_EXIT") == "1":
            self.call_after_refresh(self.exit)

Bare().run()
"""

# Runs inside tmux (a real terminal): starts each app in turn, bare and ours
# alternating, and writes each run's wall time and peak memory (wait4 gives
# the rusage of that one child) as JSON lines.
STARTUP_CHILD = """\
import json, os, subprocess, sys, time
out, runs, bare, ours = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4:]
with open(out, "w") as report:
    for run in range(runs + 1):  # run 0 warms the caches and is dropped
        for name, command in (("bare", [sys.executable, bare]), ("ours", ours)):
            start = time.perf_counter()
            child = subprocess.Popen(command)
            _, status, usage = os.wait4(child.pid, 0)
            seconds = time.perf_counter() - start
            if run:
                row = {"app": name, "seconds": seconds, "status": status,
                       "cpu": usage.ru_utime + usage.ru_stime,
                       "maxrss_kb": usage.ru_maxrss}
                report.write(json.dumps(row) + "\\n")
"""


def startup_figures(runs: int = STARTUP_RUNS) -> dict[str, dict[str, float]]:
    """Best time and peak memory of each app over `runs` starts in tmux."""
    import json
    import shutil
    import uuid

    if shutil.which("tmux") is None:
        sys.exit("startup: tmux is needed (a real terminal)")
    with tempfile.TemporaryDirectory() as folder:
        bare = Path(folder) / "bare_app.py"
        bare.write_text(BARE_APP, encoding="utf-8")
        child = Path(folder) / "child.py"
        child.write_text(STARTUP_CHILD, encoding="utf-8")
        out = Path(folder) / "startup.jsonl"
        done = Path(folder) / "done"
        ours = [sys.executable, "-m", "app", "--lang", "en"]
        session = f"gp-bench-{uuid.uuid4().hex[:8]}"
        shell = (
            f"{sys.executable} {child} {out} {runs} {bare} {' '.join(ours)}"
            f"; touch {done}"
        )
        subprocess.run(
            ["tmux", "new-session", "-d", "-x", "100", "-y", "30", "-s", session,
             "-c", str(ROOT), "env", f"GROWTH_PLAN_STATE={folder}/state",
             "GROWTH_PLAN_BENCH_EXIT=1", "TERM=xterm-256color", "sh", "-c", shell],
            check=True,
        )  # fmt: skip
        try:
            deadline = time.monotonic() + 120
            while not done.exists() and time.monotonic() < deadline:
                time.sleep(0.1)
        finally:
            subprocess.run(["tmux", "kill-session", "-t", session], capture_output=True)
        rows = [json.loads(line) for line in out.read_text().splitlines()]
    failed = [row for row in rows if row["status"] != 0]
    if not rows or failed:
        sys.exit(f"startup: a run failed or none finished: {failed or rows}")
    return {
        name: {
            "seconds": min(r["seconds"] for r in rows if r["app"] == name),
            "cpu": min(r["cpu"] for r in rows if r["app"] == name),
            "maxrss_mb": max(r["maxrss_kb"] for r in rows if r["app"] == name) / 1024,
        }
        for name in ("bare", "ours")
    }


@bench("startup")
def bench_startup() -> bool:
    print(
        f"startup: to the first screen in tmux 100x30, best of {STARTUP_RUNS}; "
        "peak memory (maxrss)"
    )
    # Textual's modules were compiled to bytecode when pip installed them;
    # ours are an editable install, compiled on first import unless Python
    # may not write bytecode (PYTHONDONTWRITEBYTECODE, set on some machines),
    # in which case every start would compile them again. Compile them the
    # way `make run` does, so both apps start from bytecode.
    import compileall

    compileall.compile_dir(str(ROOT / "app"), quiet=1)
    figures = startup_figures()
    bare, ours = figures["bare"], figures["ours"]
    report("bare Textual app with a Footer", bare["seconds"], bare["cpu"])
    report("growth-plan (Marketing Center + popup)", ours["seconds"], ours["cpu"])
    time_ratio = ours["seconds"] / bare["seconds"]
    memory_ratio = ours["maxrss_mb"] / bare["maxrss_mb"]
    print(f"  peak memory: bare {bare['maxrss_mb']:.1f} MB, ours "
          f"{ours['maxrss_mb']:.1f} MB")  # fmt: skip
    cpu_ratio = ours["cpu"] / bare["cpu"]
    print(
        f"  ratio time {time_ratio:.2f} x (CPU {cpu_ratio:.2f} x), "
        f"memory {memory_ratio:.2f} x"
    )
    ok = check("time at most 1.3x the bare app", time_ratio <= 1.3)
    return check("memory at most 1.5x the bare app", memory_ratio <= 1.5) and ok


def main(argv: list[str]) -> int:
    names = argv or list(BENCHMARKS)
    unknown = [name for name in names if name not in BENCHMARKS]
    if unknown:
        print(f"unknown benchmark {', '.join(unknown)}; have {', '.join(BENCHMARKS)}")
        return 2
    print(
        f"python {platform.python_version()}, {os.cpu_count()} cores, "
        f"{platform.machine()}, load average {os.getloadavg()[0]:.2f}"
    )
    if os.getloadavg()[0] > (os.cpu_count() or 1):
        print("  note: the machine is busy; wall times are inflated, see CPU")
    results = [BENCHMARKS[name]() for name in names]
    return 0 if all(results) else 1


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
