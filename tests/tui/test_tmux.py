"""The real app in a real terminal: tmux runs `growth-plan`, keys go in
through the popup into the self-test, and the screen is read back."""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

pytestmark = pytest.mark.skipif(
    shutil.which("tmux") is None, reason="tmux is not installed"
)

ROOT = Path(__file__).resolve().parents[2]


#: Generous: under `pytest -n 2` on a loaded machine start-up can take long.
TIMEOUT = 90.0


def tmux(*args: str) -> str:
    done = subprocess.run(
        ["tmux", *args], capture_output=True, text=True, check=True, timeout=30
    )
    return done.stdout


def wait_for(
    session: str,
    text: str,
    *,
    absent: str | None = None,
    timeout: float = TIMEOUT,
) -> str:
    """The pane's text once it shows `text` (and, if given, no longer shows
    `absent`); polls capture-pane, fails with what it showed last."""
    deadline = time.monotonic() + timeout
    screen = ""
    while True:
        screen = tmux("capture-pane", "-p", "-t", session)
        if text in screen and (absent is None or absent not in screen):
            return screen
        if time.monotonic() > deadline:
            break
        time.sleep(0.25)
    why = f"{text!r} never showed" + (f" without {absent!r}" if absent else "")
    raise AssertionError(f"{why} in {timeout:.0f}s; the screen was:\n{screen}")


def wait_for_file(path: Path, timeout: float = TIMEOUT) -> None:
    deadline = time.monotonic() + timeout
    while not path.is_file():
        if time.monotonic() > deadline:
            raise AssertionError(f"{path} was never written")
        time.sleep(0.1)


def test_real_app_from_popup_into_the_self_test(tmp_path):
    session = f"gp-test-{uuid.uuid4().hex[:8]}"
    state = tmp_path / "state"
    tmux(
        "new-session", "-d", "-x", "100", "-y", "30", "-s", session, "-c", str(ROOT),
        "env", f"GROWTH_PLAN_STATE={state}", "TERM=xterm-256color",
        sys.executable, "-m", "app", "--lang", "en",
    )  # fmt: skip
    try:
        # The popup's last line (its buttons) drawn means the popup is mounted.
        screen = wait_for(session, "Start self-test")
        assert "Newcomer growth" in screen
        assert "Step 1 of 3" in screen
        tmux("send-keys", "-t", session, "s")
        screen = wait_for(session, "Question 1 of", absent="Start self-test")
        assert "Newcomer self-test" in screen
        assert "Start self-test" not in screen
        wait_for_file(state / "trainee.json")  # saved on the way in
    finally:
        subprocess.run(["tmux", "kill-session", "-t", session], capture_output=True)
