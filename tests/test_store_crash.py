"""Crash safety: SIGKILL a process that saves in a loop, hundreds of times,
and two processes racing for one profile. Figures go to docs/reliability.md;
run with ``-s`` to see them printed."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from app.core.store import ProfileStore

WORKER = Path(__file__).with_name("helpers_store_worker.py")
# At least 200 kills in all (issue 7); GROWTH_PLAN_CRASH_KILLS raises it.
KILLS_PER_SIZE = max(100, int(os.environ.get("GROWTH_PLAN_CRASH_KILLS", 0)) // 2)

pytestmark = pytest.mark.slow


def _damaged_or_temp(store: ProfileStore) -> tuple[list[str], list[str]]:
    names = [p.name for p in store.state_dir.iterdir()]
    return (
        [n for n in names if ".damaged-" in n],
        [n for n in names if n.endswith(".tmp")],
    )


def _args(store: ProfileStore, progress: Path, kb: int) -> list[str]:
    return [str(store.state_dir), "p", str(progress), str(kb)]


def _read_progress(path: Path) -> int:
    raw = path.read_bytes()
    return int(raw) if raw.strip() else 0


@pytest.mark.parametrize(
    ("kb", "max_wait"),
    [(4, 0.03), (400, 0.06)],
    ids=["small-4KB", "large-400KB"],
)
def test_sigkill_during_save_loop(tmp_path, kb, max_wait):
    """Kill the saver at random moments: the profile always loads, is never
    set aside, and loses at most the one save in flight."""
    seed = random.randrange(1 << 30)
    rng = random.Random(seed)
    store = ProfileStore(tmp_path / "state")
    progress = tmp_path / "progress"
    progress.write_bytes(b"0")
    server = subprocess.Popen(
        [sys.executable, str(WORKER), "serve", *_args(store, progress, kb)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    started = time.perf_counter()
    last_loaded = 0
    mid_write = lost_one = 0
    try:
        for kill in range(KILLS_PER_SIZE):
            # The new worker continues from what is on disk; reset its report
            # so an unreported save of the previous one is not counted twice.
            progress.write_bytes(str(last_loaded).encode())
            server.stdin.write("spawn\n")
            server.stdin.flush()
            word, pid = server.stdout.readline().split()
            assert word == "pid"
            # Start the random wait once the worker is inside its save loop:
            # on a loaded machine start-up alone can outlast max_wait, and a
            # kill before the first save would test nothing.
            _wait_for_first_save(progress, last_loaded)
            time.sleep(rng.uniform(0.001, max_wait))
            os.kill(int(pid), signal.SIGKILL)
            word, dead, status = server.stdout.readline().split()
            assert (word, dead) == ("dead", pid)
            # It died of our SIGKILL, not of an error of its own.
            assert os.WIFSIGNALED(int(status)), f"kill {kill}: worker failed"
            assert os.WTERMSIG(int(status)) == signal.SIGKILL

            reported = _read_progress(progress)
            damaged, temps = _damaged_or_temp(store)
            assert damaged == [], f"kill {kill} (seed {seed}): set aside"
            mid_write += bool(temps)
            with store.open("p") as handle:  # the dead worker's lock is free
                payload = handle.load()
                assert handle.set_aside_notice is None
            loaded = payload["counter"] if payload else 0
            msg = f"kill {kill} (seed {seed}): loaded {loaded}, reported {reported}"
            # Every reported save survived; only the one in flight may be
            # on disk without its report yet.
            assert reported <= loaded <= reported + 1, msg
            assert loaded >= last_loaded, msg
            assert payload is None or payload["summary"] == {"counter": loaded}
            lost_one += loaded == reported + 1
            last_loaded = loaded
            assert _damaged_or_temp(store)[1] == []  # open() cleaned up
    finally:
        server.stdin.close()
        server.wait(timeout=10)
        server.stdout.close()
    elapsed = time.perf_counter() - started
    print(
        f"\n[crash {kb}KB] kills={KILLS_PER_SIZE} saves={last_loaded} "
        f"killed-mid-write={mid_write} saved-but-unreported={lost_one} "
        f"time={elapsed:.1f}s seed={seed}"
    )
    # Most kills must land in the save loop, not before the first save, and
    # with small saves many hit one in progress (about half, measured).
    assert last_loaded >= KILLS_PER_SIZE // 2
    if kb < 100:
        assert mid_write > 0, "no kill hit a save in progress"


def _wait_for_first_save(progress, before: int, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while _read_progress(progress) <= before and time.monotonic() < deadline:
        time.sleep(0.0005)


def _racer(store: ProfileStore, tag: str) -> subprocess.Popen:
    proc = subprocess.Popen(
        [sys.executable, str(WORKER), "race", str(store.state_dir), "p", tag],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout.readline().strip() == "ready"
    return proc


def test_two_processes_race_for_one_profile(tmp_path):
    """Exactly one of two simultaneous opens wins; the loser is told the
    winner's pid; killing the winner while it holds the lock and saves
    leaves a readable profile that opens at once."""
    store = ProfileStore(tmp_path / "state")
    rounds = 12
    for rnd in range(rounds):
        procs = {tag: _racer(store, tag) for tag in "ab"}
        for proc in procs.values():
            proc.stdin.write("go\n")
        for proc in procs.values():
            proc.stdin.flush()
        lines = {tag: proc.stdout.readline().strip() for tag, proc in procs.items()}
        winners = [t for t, line in lines.items() if line.startswith("won ")]
        assert len(winners) == 1, lines
        winner = winners[0]
        loser = "b" if winner == "a" else "a"
        win_pid = lines[winner].split()[1]
        assert lines[loser].startswith("locked "), lines
        assert f"pid {win_pid}" in lines[loser] and "read-only" in lines[loser]
        assert procs[loser].wait(timeout=10) == 0

        time.sleep(random.uniform(0.0, 0.02))  # let the winner save a while
        killed = rnd % 2 == 0
        if killed:  # killed while holding the lock, mid-loop
            procs[winner].send_signal(signal.SIGKILL)
        else:
            procs[winner].stdin.write("release\n")
            procs[winner].stdin.flush()
        procs[winner].wait(timeout=10)
        for proc in procs.values():
            proc.stdin.close()
            proc.stdout.close()

        with store.open("p") as handle:  # a stale lock never blocks
            payload = handle.load()
            assert handle.set_aside_notice is None, f"round {rnd}"
        assert payload["writer"] == winner
        assert _damaged_or_temp(store)[0] == []
