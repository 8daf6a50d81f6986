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


def tmux(*args: str) -> str:
    done = subprocess.run(
        ["tmux", *args], capture_output=True, text=True, check=True, timeout=10
    )
    return done.stdout


def wait_for(session: str, text: str, timeout: float = 20.0) -> str:
    """The pane's text once it shows `text` (fails with what it showed)."""
    deadline = time.monotonic() + timeout
    screen = ""
    while time.monotonic() < deadline:
        screen = tmux("capture-pane", "-p", "-t", session)
        if text in screen:
            return screen
        time.sleep(0.2)
    raise AssertionError(f"{text!r} never showed; the screen was:\n{screen}")


def test_real_app_from_popup_into_the_self_test(tmp_path):
    session = f"gp-test-{uuid.uuid4().hex[:8]}"
    state = tmp_path / "state"
    tmux(
        "new-session", "-d", "-x", "100", "-y", "30", "-s", session, "-c", str(ROOT),
        "env", f"GROWTH_PLAN_STATE={state}", "TERM=xterm-256color",
        sys.executable, "-m", "app", "--lang", "en",
    )  # fmt: skip
    try:
        screen = wait_for(session, "Start self-test")
        assert "Newcomer growth" in screen
        assert "Step 1 of 3" in screen
        tmux("send-keys", "-t", session, "s")
        screen = wait_for(session, "Question 1 of")
        assert "Newcomer self-test" in screen
        assert "Start self-test" not in screen
        assert (state / "trainee.json").is_file()  # saved on the way in
    finally:
        subprocess.run(["tmux", "kill-session", "-t", session], capture_output=True)
