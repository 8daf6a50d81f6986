"""Saved progress: round trip, atomic writes, damaged files, schema, locking,
disk faults, names. Every test works in tmp_path, never in state/."""

from __future__ import annotations

import errno
import json
import os
import signal
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.core import store as store_mod
from app.core.store import (
    SCHEMA_VERSION,
    BadProfileName,
    ProfileDamaged,
    ProfileLocked,
    ProfileReadOnly,
    ProfileStore,
    ProfileTooNew,
    SaveError,
    StoreError,
    default_state_dir,
    valid_profile_name,
)

WORKER = Path(__file__).with_name("helpers_store_worker.py")


@pytest.fixture(autouse=True)
def _isolated_state(tmp_path, monkeypatch):
    # Anything that falls back to the default folder lands in tmp_path.
    monkeypatch.setenv("GROWTH_PLAN_STATE", str(tmp_path / "default-state"))


@pytest.fixture
def store(tmp_path) -> ProfileStore:
    return ProfileStore(tmp_path / "state")


def _files(store: ProfileStore) -> list[str]:
    return sorted(p.name for p in store.state_dir.iterdir())


def _temps(store: ProfileStore) -> list[str]:
    return [n for n in _files(store) if n.endswith(".tmp")]


class Holder:
    """A separate process holding a profile's lock."""

    def __init__(self, store: ProfileStore, name: str) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, str(WORKER), "hold", str(store.state_dir), name],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        line = self.proc.stdout.readline().split()
        assert line[:1] == ["held"], line
        self.pid = int(line[1])

    def kill(self) -> None:
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(timeout=10)
        self.proc.stdout.close()
        self.proc.stdin.close()

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.kill()


@pytest.fixture
def holder(store):
    made: list[Holder] = []

    def start(name: str) -> Holder:
        made.append(Holder(store, name))
        return made[-1]

    yield start
    for h in made:
        h.stop()


# --------------------------------------------------------------------------
# Round trip and file format


def test_round_trip_and_format(store):
    payload = {"summary": {"stage": "活动中"}, "events": [{"kind": "x", "at": 1}]}
    with store.open("张三") as handle:
        assert handle.load() is None  # no file yet
        handle.save(payload)
        assert handle.load() == payload
    text = store.path("张三").read_text("utf-8")
    doc = json.loads(text)
    assert doc["schema"] == SCHEMA_VERSION
    assert doc["payload"] == payload
    saved_at = datetime.fromisoformat(doc["saved_at"])
    assert saved_at.utcoffset().total_seconds() == 0
    assert abs((datetime.now(UTC) - saved_at).total_seconds()) < 60
    # Compact and readable: no spaces after separators, CJK not escaped.
    assert ", " not in text and '": ' not in text and "活动中" in text
    with store.open("张三", read_only=True) as again:
        assert again.load() == payload


def test_save_leaves_no_temp_and_lock_goes_on_close(store):
    with store.open("a") as handle:
        for i in range(20):
            handle.save({"i": i})
            assert _temps(store) == []
        assert "a.lock" in _files(store)
    assert _files(store) == ["a.json"]


def test_stale_temp_files_removed_on_open(store):
    store.path("a").write_text('{"schema":1,"saved_at":"x","payload":{"v":1}}')
    (store.state_dir / ".a.json.123.456.tmp").write_text('{"schema":1,"pay')
    (store.state_dir / ".b.json.1.2.tmp").write_text("other profile")
    with store.open("a") as handle:
        assert handle.load() == {"v": 1}
    assert ".a.json.123.456.tmp" not in _files(store)
    assert ".b.json.1.2.tmp" in _files(store)


def test_list_reports_summary_and_problems(store):
    with store.open("good") as handle:
        handle.save({"summary": {"stage": "S2"}, "x": 1})
    with store.open("plain") as handle:
        handle.save({"x": 1})
    store.path("broken").write_bytes(b"\x00\xff")
    store.path("future").write_text('{"schema":99,"payload":{}}')
    (store.state_dir / "bad name.json").write_text("{}")
    by_name = {s.name: s for s in store.list()}
    assert sorted(by_name) == ["bad name", "broken", "future", "good", "plain"]
    assert by_name["good"].summary == {"stage": "S2"}
    assert by_name["good"].problem is None
    assert isinstance(by_name["good"].modified, int)
    assert by_name["plain"].summary is None and by_name["plain"].problem is None
    assert "damaged" in by_name["broken"].problem
    assert "newer" in by_name["future"].problem
    assert by_name["bad name"].problem
    # Listing never moves anything.
    assert store.path("broken").read_bytes() == b"\x00\xff"


def test_exists_and_delete(store):
    assert not store.exists("a")
    with store.open("a") as handle:
        handle.save({"x": 1})
    assert store.exists("a")
    store.delete("a")
    assert not store.exists("a")
    assert _files(store) == []


# --------------------------------------------------------------------------
# Damaged files

DAMAGED = {
    "truncated": b'{"schema":1,"saved_at":"2026-07-01T00:00:00+00:00","payload":{"ev',
    "empty": b"",
    "whitespace": b"  \n",
    "binary": b"\x89PNG\r\n\x1a\n\x00\x00\xff\xfe",
    "non-object": b'[1, 2, "three"]',
    "missing schema": b'{"payload":{"x":1}}',
    "wrong schema type": b'{"schema":"one","payload":{"x":1}}',
    "schema zero": b'{"schema":0,"payload":{"x":1}}',
    "schema bool": b'{"schema":true,"payload":{"x":1}}',
    "payload not object": b'{"schema":1,"payload":[1,2]}',
    "payload missing": b'{"schema":1}',
    "hand-edited": b'{"schema":1,"payload":{"x":1,},}\n',
    "hand-edited comment": b'{"schema":1, // edited\n"payload":{}}',
    "deep nesting": b"[" * 100_000 + b"]" * 100_000,
}


@pytest.mark.parametrize("kind", sorted(DAMAGED))
def test_damaged_file_is_set_aside(store, kind):
    raw = DAMAGED[kind]
    store.path("p").write_bytes(raw)
    with store.open("p") as handle:
        assert handle.load() is None  # the caller starts fresh
        notice = handle.set_aside_notice
        assert notice is not None
        assert notice.original == store.path("p")
        assert notice.moved_to.name.startswith("p.json.damaged-")
        assert notice.moved_to.read_bytes() == raw  # nothing lost
        assert not store.path("p").exists()
        message = notice.message()
        assert str(store.path("p")) in message and str(notice.moved_to) in message
        assert "\n" not in message
        # The fresh profile saves normally next to the set-aside copy.
        handle.save({"fresh": True})
        assert handle.load() == {"fresh": True}


def test_damaged_reasons_are_specific(store):
    expected = {
        "truncated": "truncated",
        "empty": "empty",
        "binary": "binary",
        "non-object": "not an object",
        "missing schema": "no schema",
        "wrong schema type": "schema version",
        "hand-edited": "invalid JSON at line 1",
    }
    for kind, words in expected.items():
        store.path("p").write_bytes(DAMAGED[kind])
        with store.open("p") as handle:
            handle.load()
            assert words in handle.set_aside_notice.reason, kind


def test_read_only_handle_never_moves_a_damaged_file(store):
    store.path("p").write_bytes(DAMAGED["truncated"])
    with store.open("p", read_only=True) as handle, pytest.raises(ProfileDamaged):
        handle.load()
    assert store.path("p").read_bytes() == DAMAGED["truncated"]


def test_save_without_load_still_sets_aside_damaged_file(store):
    store.path("p").write_bytes(b"garbage")
    with store.open("p") as handle:
        handle.save({"x": 1})
        assert handle.set_aside_notice is not None
        assert handle.set_aside_notice.moved_to.read_bytes() == b"garbage"


def test_set_aside_never_overwrites(store, monkeypatch):
    fixed = datetime(2026, 7, 1, 8, 0, 0, tzinfo=UTC)
    monkeypatch.setattr(store_mod, "_utcnow", lambda: fixed)
    moved = []
    for i in range(3):
        store.path("p").write_bytes(f"bad {i}".encode())
        moved.append(store.set_aside("p", "test"))
    names = [m.moved_to.name for m in moved]
    assert names == [
        "p.json.damaged-20260701T080000",
        "p.json.damaged-20260701T080000-1",
        "p.json.damaged-20260701T080000-2",
    ]
    assert [m.moved_to.read_bytes() for m in moved] == [b"bad 0", b"bad 1", b"bad 2"]


def test_set_aside_refused_while_another_process_holds_it(store, holder):
    holder("p")
    with pytest.raises(ProfileLocked):
        store.set_aside("p", "test")
    assert store.path("p").exists()


# --------------------------------------------------------------------------
# Schema versions


def test_newer_schema_refused_and_untouched(store):
    raw = b'{"schema":2,"saved_at":"2030-01-01T00:00:00+00:00","payload":{"new":1}}'
    store.path("p").write_bytes(raw)
    before = os.stat(store.path("p"))
    with store.open("p") as handle:
        with pytest.raises(ProfileTooNew) as info:
            handle.load()
        assert str(store.path("p")) in str(info.value)
        assert "newer" in str(info.value)
        # A save must not overwrite it either, even without a load first.
        with pytest.raises(ProfileTooNew):
            handle.save({"x": 1})
    with store.open("p") as handle, pytest.raises(ProfileTooNew):
        handle.save({"x": 1})
    assert store.path("p").read_bytes() == raw
    after = os.stat(store.path("p"))
    assert (after.st_ino, after.st_mtime_ns) == (before.st_ino, before.st_mtime_ns)
    assert _files(store) == ["p.json"]


# --------------------------------------------------------------------------
# Locking


def test_second_open_in_another_process_refused_with_pid(store, holder):
    h = holder("p")
    with pytest.raises(ProfileLocked) as info:
        store.open("p")
    message = str(info.value)
    assert f"pid {h.pid}" in message
    assert "read-only" in message
    assert str(store.lock_path("p")) in message
    assert info.value.pid == h.pid


def test_read_only_open_works_while_locked(store, holder):
    holder("p")
    with store.open("p", read_only=True) as handle:
        assert handle.read_only
        assert handle.load()["summary"] == {"who": "holder"}
        with pytest.raises(ProfileReadOnly):
            handle.save({"x": 1})


def test_stale_lock_after_sigkill_is_free(store, holder):
    h = holder("p")
    with pytest.raises(ProfileLocked):
        store.open("p")
    h.kill()
    # The dead holder's lock file (with its pid) may still be there; the OS
    # dropped its flock, so it does not count.
    with store.open("p") as handle:
        assert handle.load()["holder"] == h.pid
        handle.save({"after": "kill"})
    assert store.open("p", read_only=True).load() == {"after": "kill"}


def test_delete_refused_while_locked(store, holder):
    holder("p")
    with pytest.raises(ProfileLocked):
        store.delete("p")
    assert store.path("p").exists()


def test_same_process_twice_refused(store):
    first = store.open("p")
    with pytest.raises(ProfileLocked) as info:
        store.open("p")
    assert "already open in this program" in str(info.value)
    with pytest.raises(ProfileLocked):
        store.delete("p")
    # Read-only alongside is fine.
    store.open("p", read_only=True).close()
    first.close()
    first.close()  # idempotent
    with store.open("p") as again:
        again.save({"x": 1})
    with pytest.raises(ProfileReadOnly):
        again.save({"x": 2})  # closed


def test_read_only_handle_writes_nothing(store):
    with store.open("p", read_only=True) as handle:
        assert handle.load() is None
    assert _files(store) == []


# --------------------------------------------------------------------------
# Disk faults: the app keeps its data and saves once the fault is gone


def _fault(monkeypatch, name: str, code: int, only_tmp: bool = False):
    real = getattr(os, name)

    def failing(*args, **kwargs):
        if only_tmp and not str(args[0]).endswith(".tmp"):
            return real(*args, **kwargs)
        raise OSError(code, os.strerror(code))

    monkeypatch.setattr(os, name, failing)


@pytest.mark.parametrize(
    ("func", "code", "words"),
    [
        ("write", errno.ENOSPC, "disk is full"),
        ("fsync", errno.EIO, "input/output"),
        ("replace", errno.EROFS, "read-only"),
        ("open", errno.EROFS, "read-only"),
        ("open", errno.EACCES, "permission denied"),
        ("write", errno.EDQUOT, "quota"),
    ],
)
def test_save_fault_is_reported_and_recoverable(store, monkeypatch, func, code, words):
    with store.open("p") as handle:
        handle.save({"v": 1})
        before = store.path("p").read_bytes()
        payload = {"v": 2, "big": "z" * 100_000}
        with monkeypatch.context() as m:
            _fault(m, func, code, only_tmp=(func == "open"))
            with pytest.raises(SaveError) as info:
                handle.save(payload)
        message = str(info.value)
        assert words in message
        assert str(store.path("p")) in message
        assert "kept in memory" in message
        assert info.value.errno == code
        assert store.path("p").read_bytes() == before  # old file intact
        assert _temps(store) == []
        assert payload == {"v": 2, "big": "z" * 100_000}
        handle.save(payload)  # fault gone: it saves
        assert handle.load() == payload
    assert _temps(store) == []


def test_short_writes_are_completed(store, monkeypatch):
    real = os.write
    monkeypatch.setattr(os, "write", lambda fd, data: real(fd, bytes(data[:7])))
    with store.open("p") as handle:
        handle.save({"text": "短写" * 100})
        assert handle.load() == {"text": "短写" * 100}


def test_unwritable_state_folder_gives_store_error(tmp_path, monkeypatch):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    with pytest.raises(StoreError) as info:
        ProfileStore(blocker / "state")
    assert str(blocker / "state") in str(info.value)


def test_not_json_able_payload_writes_nothing(store):
    with store.open("p") as handle:
        handle.save({"v": 1})
        with pytest.raises(TypeError):
            handle.save({"v": object()})
        with pytest.raises(ValueError):
            handle.save({"v": float("nan")})
        assert handle.load() == {"v": 1}
    assert _temps(store) == []


# --------------------------------------------------------------------------
# Names and folders


@pytest.mark.parametrize(
    "name", ["a", "trainee-01", "demo_client.v2", "张三", "李四-培训", "x" * 40]
)
def test_valid_names(store, name):
    assert valid_profile_name(name) is None
    with store.open(name) as handle:
        handle.save({"ok": True})
    assert store.path(name).name == f"{name}.json"


BAD_NAMES = ["", ".hidden", "..", "a/b", "a\\b", "a b", "x" * 41, "a\x00", "a:b"]
# Superscripts, emoji and combining marks (a decomposed é) are not letters.
BAD_NAMES += ["ab²", "😀", "e\u0301"]


@pytest.mark.parametrize("name", BAD_NAMES)
def test_invalid_names(store, name):
    assert valid_profile_name(name)
    with pytest.raises(BadProfileName):
        store.open(name)
    with pytest.raises(BadProfileName):
        store.path(name)


def test_default_state_dir(monkeypatch, tmp_path):
    monkeypatch.setenv("GROWTH_PLAN_STATE", str(tmp_path / "x"))
    assert default_state_dir() == tmp_path / "x"
    monkeypatch.delenv("GROWTH_PLAN_STATE")
    repo = Path(store_mod.__file__).resolve().parents[2]
    assert default_state_dir() == repo / "state"  # running from a checkout


# --------------------------------------------------------------------------
# Property: any JSON-able dict round-trips

json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(),
    lambda inner: (
        st.lists(inner, max_size=5) | st.dictionaries(st.text(), inner, max_size=5)
    ),
    max_leaves=30,
)


@settings(
    max_examples=100,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(payload=st.dictionaries(st.text(), json_values, max_size=8))
def test_any_json_dict_round_trips(store, payload):
    with store.open("prop") as handle:
        handle.save(payload)
    with store.open("prop", read_only=True) as handle:
        assert handle.load() == payload


def test_lone_surrogate_still_round_trips(store):
    # Not valid UTF-8 on its own; the store falls back to escaped JSON.
    with store.open("p") as handle:
        handle.save({"s": "a\ud800b", "cjk": "张"})
        assert handle.load() == {"s": "a\ud800b", "cjk": "张"}


def test_store_imports_only_the_standard_library():
    # The engine and the TUI both build on the store; it must stay leaf-level.
    import ast

    tree = ast.parse(Path(store_mod.__file__).read_text("utf-8"))
    modules = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            modules.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            assert node.level == 0 and node.module, ast.dump(node)
            modules.add(node.module.split(".")[0])
    assert modules <= set(sys.stdlib_module_names), modules
