"""The app in a real browser: `growth-plan serve --demo` on a free loopback
port, driven by playwright-core in Debian's headless Chromium.

Skips (with the reason) where Chromium or the node packages are missing;
`.ci/run` installs both, so in CI it runs.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
CHROMIUM = Path("/usr/bin/chromium")
SHOT = ROOT / "artifacts" / "browser.png"


def missing() -> str | None:
    if not CHROMIUM.exists():
        return f"{CHROMIUM} not installed (apt-get install chromium fonts-noto-cjk)"
    if shutil.which("node") is None:
        return "node not installed"
    if not (HERE / "node_modules" / "playwright-core").is_dir():
        return "playwright-core not installed (npm ci --prefix tests/browser)"
    return None


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_listening(port: int, server: subprocess.Popen, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise AssertionError(f"serve exited with {server.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.2)
    raise AssertionError(f"nothing listens on port {port} after {seconds}s")


@pytest.mark.skipif(missing() is not None, reason=missing() or "")
def test_serve_in_headless_chromium(tmp_path):
    port = free_port()
    log = tmp_path / "serve.log"
    SHOT.parent.mkdir(exist_ok=True)
    SHOT.unlink(missing_ok=True)
    with open(log, "wb") as out:
        server = subprocess.Popen(
            [sys.executable, "-m", "app", "--lang", "en", "--state-dir",
             str(tmp_path / "state"), "serve", "--demo", "--port", str(port)],
            cwd=ROOT,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its app processes go with it
        )  # fmt: skip
    try:
        wait_listening(port, server, 30)
        done = subprocess.run(
            ["node", str(HERE / "serve_test.mjs")],
            env={
                **os.environ,
                "GP_URL": f"http://127.0.0.1:{port}/",
                "GP_SHOT": str(SHOT),
            },
            capture_output=True,
            text=True,
            timeout=150,
        )
        assert done.returncode == 0, done.stdout + done.stderr + log.read_text()
        assert "ok: the self-test opened" in done.stdout
        assert SHOT.stat().st_size > 10_000
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()
    served = log.read_text(encoding="utf-8", errors="replace")
    assert f"http://127.0.0.1:{port}" in served
    assert "loopback only" in served
    # Demo mode: nothing was saved.
    assert not list((tmp_path / "state").glob("*.json"))
