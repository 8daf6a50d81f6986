"""Disk full and a read-only state folder while the app runs (issue 7):
a clear message, the app keeps running, nothing in memory is lost, and
saving works again once the fault is gone."""

from __future__ import annotations

import errno
import json
import os

import pytest

from app.core.session import Session
from app.core.store import ProfileStore
from app.tui.app import GrowthPlanApp
from tests.tui.conftest import FROZEN, SIZE


@pytest.mark.parametrize(
    ("code", "words"),
    [(errno.ENOSPC, "No space left"), (errno.EROFS, "Read-only file system")],
    ids=["disk-full", "read-only-folder"],
)
async def test_save_fault_is_reported_and_recovered(tmp_path, monkeypatch, code, words):
    store = ProfileStore(tmp_path / "state")
    session = Session.open(store, "amy", clock=FROZEN)
    app = GrowthPlanApp(session, lang="en", store=store, show_popup=False)
    real_write = os.write

    def failing_write(fd, data):
        raise OSError(code, os.strerror(code))

    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        monkeypatch.setattr(os, "write", failing_write)
        app.session.engine.take_self_test(85)
        app.changed()
        await pilot.pause()

        # Told, still running, nothing lost in memory, old file intact.
        messages = [n.message for n in app._notifications]
        assert any("not saved" in m and words in m for m in messages), messages
        assert app.is_running
        assert app.session.engine.self_test_passed
        saved = json.loads(store.path("amy").read_text())["payload"]
        assert not any(e["kind"] == "self_test" for e in saved["events"])
        assert not list((tmp_path / "state").glob("*.tmp*"))

        # Space is back: the next change saves everything kept in memory.
        monkeypatch.setattr(os, "write", real_write)
        app.session.engine.set_info_score(300)
        app.changed()
        await pilot.pause()
        messages = [n.message for n in app._notifications]
        assert any("saved again" in m for m in messages), messages

    saved = json.loads(store.path("amy").read_text())["payload"]
    kinds = [e["kind"] for e in saved["events"]]
    assert "self_test" in kinds
    assert "set_info_score" in kinds
    session.close()
