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

        opened = best_of(3, open_profile)
    report(f"build by the engine ({len(events):,} events)", built)
    report(f"Engine.replay ({spends:,} spend events)", seconds)
    report(f"Session.open, read-only ({size / 1e6:.1f} MB)", opened)
    ok = check("replay gives the same ledger", same)
    ok = check("replay under 0.5 s", seconds < 0.5) and ok
    return check("saved profile opens under 0.5 s", opened < 0.5) and ok


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
