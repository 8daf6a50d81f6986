"""Worker processes for the store tests (run as a script, not collected).

    hold  DIR NAME               open NAME, save once, print "held <pid>",
                                 then keep the lock until stdin closes
    race  DIR NAME TAG           print "ready", wait for "go" on stdin, try to
                                 open NAME: print "won <pid>" and save in a
                                 loop until "release" or stdin closes, or
                                 print "locked <message>" and exit
    serve DIR NAME PROGRESS KB   fork server for the crash test: on "spawn"
                                 fork a child that saves NAME in a loop
                                 (counter +1 each time, about KB kilobytes)
                                 and writes the last saved counter into
                                 PROGRESS; print "pid <child>", wait for the
                                 child to die (the test SIGKILLs it), print
                                 "dead <child> <status>"

Forking from an already-started server keeps each kill cheap (no interpreter
start-up), so hundreds of kills fit in a few seconds.
"""

from __future__ import annotations

import os
import select
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from app.core.store import ProfileLocked, ProfileStore


def _say(line: str) -> None:
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def hold(state_dir: str, name: str) -> None:
    handle = ProfileStore(Path(state_dir)).open(name)
    handle.load()
    handle.save({"holder": os.getpid(), "summary": {"who": "holder"}})
    _say(f"held {os.getpid()}")
    sys.stdin.read()  # until the test closes stdin or kills us
    handle.close()


def race(state_dir: str, name: str, tag: str) -> None:
    store = ProfileStore(Path(state_dir))
    _say("ready")
    if sys.stdin.readline().strip() != "go":
        return
    try:
        handle = store.open(name)
    except ProfileLocked as exc:
        _say(f"locked {exc}")
        return
    payload = handle.load() or {}
    n = payload.get("n", 0)
    _say(f"won {os.getpid()}")
    while True:
        n += 1
        handle.save({"writer": tag, "n": n, "bulk": ["y" * 64] * 500})
        ready, _, _ = select.select([sys.stdin], [], [], 0)
        if ready:
            break  # "release" or EOF
    handle.close()


def _payload(n: int, kb: int) -> dict:
    # Varied content (CJK, nesting, numbers) so the JSON is not trivial.
    events = [
        {"kind": "spend", "at": 1_780_000_000 + i, "fen": i * 7, "note": "点击"}
        for i in range(max(1, kb * 1024 // 80))
    ]
    return {"counter": n, "summary": {"counter": n}, "events": events}


def _save_loop(store: ProfileStore, name: str, progress: str, kb: int) -> None:
    handle = store.open(name)
    loaded = handle.load()
    if handle.set_aside_notice is not None:
        return  # the test sees the set-aside file and fails
    n = loaded["counter"] if loaded else 0
    fd = os.open(progress, os.O_WRONLY | os.O_CREAT, 0o644)
    while True:
        n += 1
        handle.save(_payload(n, kb))
        # Reported only after save() returned, i.e. once the save is durable.
        # A SIGKILL loses no written bytes (they are in the kernel), so no
        # fsync is needed for this side file.
        os.pwrite(fd, f"{n:020d}".encode(), 0)


def serve(state_dir: str, name: str, progress: str, kb: str) -> None:
    store = ProfileStore(Path(state_dir))
    for line in sys.stdin:
        if line.strip() != "spawn":
            break
        pid = os.fork()
        if pid == 0:
            try:
                _save_loop(store, name, progress, int(kb))
            finally:
                os._exit(3)  # only reached if the loop failed
        _say(f"pid {pid}")
        _, status = os.waitpid(pid, 0)
        _say(f"dead {pid} {status}")


if __name__ == "__main__":
    modes = {"hold": hold, "race": race, "serve": serve}
    modes[sys.argv[1]](*sys.argv[2:])
