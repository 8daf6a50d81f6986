"""Saved progress: one JSON file per profile, written so that it never breaks.

Guarantees (tested in tests/test_store.py and tests/test_store_crash.py):

- A save is atomic: the new text goes to a temporary file in the same
  folder, is flushed and fsynced, then renamed over the old file, and the
  folder is fsynced. A process killed at any moment leaves either the old or
  the new profile, never a mix.
- A file that cannot be read (empty, truncated, binary, not an object, bad
  schema) is set aside as ``<name>.json.damaged-<time>`` with its bytes
  untouched, and the caller is told; nothing is silently lost.
- A file written by a newer version of the app is refused and left alone.
- One process at a time holds a profile (``flock`` on ``<name>.lock``); a
  second one is refused with the holder's pid or may open it read-only. The
  OS drops the lock of a killed process, so a stale lock never blocks.
- A failed save (disk full, read-only folder, permission) raises
  :class:`SaveError`, leaves the old file and no temporary file behind; the
  caller keeps its data in memory and saves again later.

Only the standard library is used: the core imports no Textual.
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
import sys
import threading
import time
import unicodedata
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

try:  # POSIX only; see _lock_file for what happens without it.
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]

SCHEMA_VERSION = 1
"""Version of the file layout written by :meth:`ProfileHandle.save`."""

MAX_NAME_LEN = 40
_NAME_PUNCT = "-_."
# Letters of any script (CJK is Lo) and decimal digits; not marks, symbols or
# superscripts, so names stay readable and portable as file names.
_NAME_CATEGORIES = frozenset({"Lu", "Ll", "Lt", "Lm", "Lo", "Nd"})

_ERRNO_TEXT = {
    errno.ENOSPC: "the disk is full",
    errno.EDQUOT: "the disk quota is used up",
    errno.EROFS: "the folder is on a read-only file system",
    errno.EACCES: "permission denied",
    errno.EPERM: "the operation is not permitted",
    errno.EIO: "an input/output error occurred",
}


# --------------------------------------------------------------------------
# Errors


class StoreError(Exception):
    """A problem with saved progress; the message is one line for the user
    and names the file concerned."""


class BadProfileName(StoreError):
    """The profile name is not allowed (see :func:`valid_profile_name`)."""


class ProfileLocked(StoreError):
    """Another live process (or another handle in this one) holds the
    profile; the message names the pid and says it may be opened read-only."""

    def __init__(self, message: str, pid: int | None = None) -> None:
        super().__init__(message)
        self.pid = pid


class ProfileTooNew(StoreError):
    """The file was written by a newer version of the app. It is refused and
    left byte for byte as it was."""


class ProfileDamaged(StoreError):
    """A read-only handle found a damaged file. Read-only handles never move
    files, so the file stays where it is until opened for writing."""


class ProfileReadOnly(StoreError):
    """A save was asked of a handle opened read-only (or already closed)."""


class SaveError(StoreError):
    """Saving failed (disk full, read-only folder, permission...). The old
    file is intact and no temporary file is left; keep the data in memory
    and save again later. ``errno`` holds the OS error number."""

    def __init__(self, message: str, errno_: int | None = None) -> None:
        super().__init__(message)
        self.errno = errno_


@dataclass(frozen=True)
class SetAside:
    """A damaged profile file that was renamed so nothing is lost."""

    original: Path
    moved_to: Path
    reason: str

    def message(self) -> str:
        """One line telling the user what happened and where the bytes are."""
        return (
            f"Profile file {self.original} could not be read: {self.reason}. "
            f"It was moved unchanged to {self.moved_to}; a fresh profile was "
            "started."
        )


@dataclass(frozen=True)
class ProfileSummary:
    """One entry of :meth:`ProfileStore.list`.

    ``modified`` is the file's modification time in epoch seconds (the
    core's time convention). ``summary`` is the payload's ``"summary"`` value
    when the file is readable and it is a dict, else None. ``problem`` says
    why the file cannot be opened as it is (damaged, too new, bad name).
    """

    name: str
    path: Path
    modified: int
    size: int
    summary: dict[str, Any] | None
    problem: str | None


# --------------------------------------------------------------------------
# Helpers


def default_state_dir() -> Path:
    """Where profiles live unless ``--state-dir`` says otherwise.

    ``$GROWTH_PLAN_STATE`` if set; else ``<repo>/state`` when running from a
    checkout (the folder holding ``pyproject.toml`` next to the ``app``
    package); else the platform's user data folder.
    """
    env = os.environ.get("GROWTH_PLAN_STATE", "").strip()
    if env:
        return Path(env).expanduser()
    root = Path(__file__).resolve().parents[2]
    if (root / "pyproject.toml").is_file() and (root / "app").is_dir():
        return root / "state"
    home = Path.home()
    if sys.platform == "win32":  # pragma: no cover - not a target platform
        base = Path(os.environ.get("LOCALAPPDATA") or home / "AppData" / "Local")
    elif sys.platform == "darwin":  # pragma: no cover
        base = home / "Library" / "Application Support"
    else:
        base = Path(os.environ.get("XDG_DATA_HOME") or home / ".local" / "share")
    return base / "growth-plan"


def valid_profile_name(name: str) -> str | None:
    """Return why ``name`` cannot be a profile name, or None if it can.

    1 to 40 characters: letters of any script (Chinese included), digits,
    ``-``, ``_`` and ``.``; not starting with ``.`` (hidden files, ``..``).
    """
    if not isinstance(name, str) or not name:
        return "A profile name cannot be empty."
    if len(name) > MAX_NAME_LEN:
        return (
            f"Profile name {name[:MAX_NAME_LEN]!r}... is too long "
            f"({len(name)} characters, at most {MAX_NAME_LEN})."
        )
    if name.startswith("."):
        return f"Profile name {name!r} cannot start with '.'."
    for ch in name:
        if ch in _NAME_PUNCT or unicodedata.category(ch) in _NAME_CATEGORIES:
            continue
        return (
            f"Profile name {name!r} contains {ch!r}; use letters, digits, "
            "'-', '_' or '.'."
        )
    return None


def _check_name(name: str) -> str:
    problem = valid_profile_name(name)
    if problem:
        raise BadProfileName(problem)
    return name


def _utcnow() -> datetime:
    # One place to read the wall clock, so tests can pin it.
    return datetime.now(UTC)


def _os_text(exc: OSError) -> str:
    what = _ERRNO_TEXT.get(exc.errno or 0)
    detail = exc.strerror or str(exc)
    return f"{what} ({detail})" if what else detail


def _fsync_dir(folder: Path) -> None:
    """Make a rename or unlink in ``folder`` durable (POSIX)."""
    if os.name != "posix":  # pragma: no cover
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    except OSError as exc:
        # Some file systems cannot fsync a directory; the rename itself
        # has still happened, so only report real errors.
        if exc.errno not in (errno.EINVAL, errno.ENOTSUP):
            raise
    finally:
        os.close(fd)


class _Damaged(Exception):
    """Internal: the file's bytes are not a profile; the text is the reason."""


def _parse(raw: bytes, path: Path) -> dict[str, Any]:
    """Return the payload of a profile file, or raise _Damaged/ProfileTooNew."""
    if not raw.strip():
        raise _Damaged("the file is empty")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise _Damaged("the file is binary, not UTF-8 text") from None
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        # Cut-off text fails at its very end, or inside its last string.
        if exc.pos >= len(text.rstrip()) or exc.msg.startswith("Unterminated"):
            raise _Damaged("the JSON text ends early, the file is truncated") from None
        raise _Damaged(
            f"invalid JSON at line {exc.lineno} column {exc.colno}: {exc.msg}"
        ) from None
    except (ValueError, RecursionError) as exc:
        raise _Damaged(f"unreadable JSON: {exc}") from None
    if not isinstance(doc, dict):
        raise _Damaged(f"the file holds a JSON {type(doc).__name__}, not an object")
    if "schema" not in doc:
        raise _Damaged("there is no schema version")
    schema = doc["schema"]
    if isinstance(schema, bool) or not isinstance(schema, int) or schema < 1:
        raise _Damaged(f"the schema version {schema!r} is not valid")
    if schema > SCHEMA_VERSION:
        raise ProfileTooNew(
            f"Profile file {path} was saved by a newer version of the app "
            f"(schema {schema}, this one knows up to {SCHEMA_VERSION}); it was "
            "left untouched. Update the app to open it."
        )
    # schema < SCHEMA_VERSION: migrations from older layouts go here once
    # there is more than one version.
    payload = doc.get("payload")
    if not isinstance(payload, dict):
        raise _Damaged("the saved payload is missing or not an object")
    return payload


def _read_lock_info(fd: int) -> dict[str, Any]:
    """What the holder wrote into its lock file, {} if nothing readable."""
    # The holder writes its pid right after taking the lock; give it a
    # moment so the refusal can name it.
    for _ in range(20):
        try:
            raw = os.pread(fd, 4096, 0)
        except OSError:
            return {}
        if raw.strip():
            try:
                info = json.loads(raw.decode("utf-8"))
            except ValueError:
                return {}
            return info if isinstance(info, dict) else {}
        time.sleep(0.005)
    return {}


# Profiles this process holds, by lock path: flock() locks belong to an open
# file description, so a second open() in this process must be caught here.
_held: set[str] = set()
_held_guard = threading.Lock()


class _Lock:
    """An exclusive flock on ``<name>.lock``, held until release()."""

    def __init__(self, name: str, path: Path) -> None:
        self.name = name
        self.path = path
        self._key = str(path.absolute())
        self._fd: int | None = None

    def acquire(self) -> None:
        with _held_guard:
            if self._key in _held:
                raise ProfileLocked(
                    f"Profile '{self.name}' is already open in this program "
                    f"(lock {self.path}); close it first, or open it read-only.",
                    os.getpid(),
                )
            _held.add(self._key)
        try:
            self._fd = self._take()
        except BaseException:
            with _held_guard:
                _held.discard(self._key)
            raise

    def _take(self) -> int:
        if fcntl is None:  # pragma: no cover - Windows
            raise StoreError(
                f"Cannot lock {self.path}: file locking needs a POSIX system."
            )
        # The previous holder unlinks the lock file as it lets go; if we
        # locked that unlinked file we hold nothing, so check and retry.
        for _ in range(50):
            fd = self._open_lock_file()
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError as exc:
                if exc.errno not in (errno.EWOULDBLOCK, errno.EAGAIN):
                    os.close(fd)
                    raise StoreError(
                        f"Cannot lock {self.path}: {_os_text(exc)}."
                    ) from exc
                info = _read_lock_info(fd)
                os.close(fd)
                raise self._locked_error(info) from None
            try:
                same = os.path.samestat(os.fstat(fd), os.stat(self.path))
            except FileNotFoundError:
                same = False
            if same:
                self._write_info(fd)
                return fd
            os.close(fd)
        raise StoreError(f"Cannot lock {self.path}: it keeps changing; try again.")

    def _open_lock_file(self) -> int:
        flags = os.O_RDWR | os.O_CREAT | getattr(os, "O_CLOEXEC", 0)
        try:
            return os.open(self.path, flags, 0o644)
        except OSError as exc:
            # A read-only folder: an existing lock file can still be locked
            # through a read-only descriptor.
            if exc.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
                with contextlib.suppress(OSError):
                    return os.open(self.path, os.O_RDONLY)
            raise StoreError(
                f"Cannot lock profile '{self.name}': cannot create {self.path}: "
                f"{_os_text(exc)}. Open it read-only or choose another state "
                "folder."
            ) from exc

    def _locked_error(self, info: dict[str, Any]) -> ProfileLocked:
        pid = info.get("pid") if isinstance(info.get("pid"), int) else None
        who = f"pid {pid}" if pid is not None else "an unknown pid"
        host = info.get("host")
        if isinstance(host, str) and host != os.uname().nodename:
            who += f" on {host}"
        since = info.get("since")
        if isinstance(since, str):
            who += f", since {since}"
        return ProfileLocked(
            f"Profile '{self.name}' is in use by another process ({who}; lock "
            f"{self.path}). Close it there, or open the profile read-only.",
            pid,
        )

    @staticmethod
    def _write_info(fd: int) -> None:
        info = {
            "pid": os.getpid(),
            "host": os.uname().nodename,
            "since": _utcnow().isoformat(timespec="seconds"),
        }
        # Only the refusal message of another process depends on this, so a
        # failure (full disk, read-only descriptor) must not stop the open.
        with contextlib.suppress(OSError):
            os.ftruncate(fd, 0)
            os.pwrite(fd, json.dumps(info).encode() + b"\n", 0)

    def release(self) -> None:
        if self._fd is None:
            return
        fd, self._fd = self._fd, None
        try:
            # Unlink while still holding the lock: anyone who opened this
            # file meanwhile sees it is gone and retries (see _take).
            with contextlib.suppress(OSError):
                os.unlink(self.path)
        finally:
            os.close(fd)
            with _held_guard:
                _held.discard(self._key)


# --------------------------------------------------------------------------
# Store and handle


class ProfileStore:
    """The folder of saved profiles: ``<dir>/<name>.json`` each."""

    def __init__(self, state_dir: Path) -> None:
        self.state_dir = Path(state_dir)
        try:
            self.state_dir.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreError(
                f"Cannot create the state folder {self.state_dir}: {_os_text(exc)}."
            ) from exc

    def path(self, name: str) -> Path:
        """The profile file of ``name`` (BadProfileName if not allowed)."""
        return self.state_dir / f"{_check_name(name)}.json"

    def lock_path(self, name: str) -> Path:
        """The lock file of ``name``; present while a process holds it."""
        return self.state_dir / f"{_check_name(name)}.lock"

    def list(self) -> list[ProfileSummary]:
        """Every ``*.json`` file in the folder, sorted by name. Reads only:
        damaged files are reported in ``problem``, not moved."""
        out: list[ProfileSummary] = []
        try:
            entries = sorted(self.state_dir.glob("*.json"))
        except OSError as exc:
            raise StoreError(f"Cannot list {self.state_dir}: {_os_text(exc)}.") from exc
        for path in entries:
            name = path.name[: -len(".json")]
            try:
                st = path.stat()
                raw = path.read_bytes()
            except FileNotFoundError:
                continue  # deleted meanwhile
            except OSError as exc:
                out.append(ProfileSummary(name, path, 0, 0, None, f"unreadable: {exc}"))
                continue
            summary = None
            problem = valid_profile_name(name)
            if problem is None:
                try:
                    payload = _parse(raw, path)
                except _Damaged as exc:
                    problem = f"damaged: {exc}"
                except ProfileTooNew:
                    problem = "saved by a newer version of the app"
                else:
                    value = payload.get("summary")
                    summary = value if isinstance(value, dict) else None
            out.append(
                ProfileSummary(
                    name, path, int(st.st_mtime), st.st_size, summary, problem
                )
            )
        return out

    def exists(self, name: str) -> bool:
        """True if ``name`` has a profile file."""
        return self.path(name).exists()

    def open(self, name: str, *, read_only: bool = False) -> ProfileHandle:
        """Open ``name`` (it need not exist yet). Takes the lock unless
        ``read_only``; raises ProfileLocked if someone else holds it."""
        path = self.path(name)
        lock = None
        if not read_only:
            lock = _Lock(name, self.lock_path(name))
            lock.acquire()
            self._remove_stale_temps(name)
        return ProfileHandle(name, path, read_only, lock)

    def delete(self, name: str) -> None:
        """Delete the profile file (set-aside files stay). Refused with
        ProfileLocked while any handle holds it."""
        path = self.path(name)
        lock = _Lock(name, self.lock_path(name))
        lock.acquire()
        try:
            try:
                path.unlink(missing_ok=True)
                self._remove_stale_temps(name)
                _fsync_dir(self.state_dir)
            except OSError as exc:
                raise StoreError(f"Cannot delete {path}: {_os_text(exc)}.") from exc
        finally:
            lock.release()

    def set_aside(self, name: str, reason: str) -> SetAside:
        """Rename ``<name>.json`` to ``<name>.json.damaged-<UTC time>[-n]``
        without overwriting anything. Refused if another process holds it."""
        path = self.path(name)
        lock = _Lock(name, self.lock_path(name))
        try:
            lock.acquire()
        except ProfileLocked as exc:
            # A handle of this very process may set aside its own file.
            if exc.pid != os.getpid():
                raise
            lock = None
        try:
            return _set_aside(path, reason)
        finally:
            if lock is not None:
                lock.release()

    def _remove_stale_temps(self, name: str) -> None:
        # Temp files of a save that was killed midway. Only called with the
        # lock held, so no live writer owns them.
        for tmp in self.state_dir.glob(f".{name}.json.*.tmp"):
            with contextlib.suppress(OSError):
                tmp.unlink()


def _set_aside(path: Path, reason: str) -> SetAside:
    stamp = _utcnow().strftime("%Y%m%dT%H%M%S")
    base = f"{path.name}.damaged-{stamp}"
    try:
        for n in range(10_000):
            target = path.with_name(base if n == 0 else f"{base}-{n}")
            try:
                # link() fails if the target exists, unlike rename(): the
                # set-aside can never overwrite an earlier one.
                os.link(path, target)
            except FileExistsError:
                continue
            except OSError as exc:
                if exc.errno not in (errno.EPERM, errno.ENOTSUP, errno.EXDEV):
                    raise
                # File systems without hard links.
                if target.exists():
                    continue
                os.rename(path, target)
            else:
                os.unlink(path)
            _fsync_dir(path.parent)
            return SetAside(path, target, reason)
    except FileNotFoundError:
        raise StoreError(f"There is no profile file {path} to set aside.") from None
    except OSError as exc:
        raise StoreError(
            f"Profile file {path} is damaged ({reason}) and could not be "
            f"set aside: {_os_text(exc)}."
        ) from exc
    raise StoreError(f"Too many set-aside copies of {path}; clean the folder.")


class ProfileHandle:
    """An open profile. Use as a context manager or call :meth:`close`.

    ``set_aside_notice`` is the :class:`SetAside` of a damaged file found by
    :meth:`load`, for the caller to show; None otherwise.
    """

    def __init__(
        self, name: str, path: Path, read_only: bool, lock: _Lock | None
    ) -> None:
        self.name = name
        self.path = path
        self.read_only = read_only
        self.set_aside_notice: SetAside | None = None
        self._lock = lock
        self._closed = False
        # Until the current file has been looked at, a save could overwrite
        # a damaged or newer file unseen; save() checks first.
        self._checked = False

    def __repr__(self) -> str:
        mode = "read-only" if self.read_only else "locked"
        return f"<ProfileHandle {self.name!r} {mode} {self.path}>"

    def load(self) -> dict[str, Any] | None:
        """The saved payload, or None if there is no file yet or it was
        damaged (then it is set aside and ``set_aside_notice`` says so).

        Raises ProfileTooNew (file untouched), ProfileDamaged on a read-only
        handle, StoreError if the file cannot be read or moved.
        """
        try:
            raw = self.path.read_bytes()
        except FileNotFoundError:
            self._checked = True
            return None
        except OSError as exc:
            raise StoreError(f"Cannot read {self.path}: {_os_text(exc)}.") from exc
        try:
            payload = _parse(raw, self.path)
        except _Damaged as exc:
            if self.read_only or self._closed:
                raise ProfileDamaged(
                    f"Profile file {self.path} is damaged: {exc}. Open it "
                    "for writing to set it aside and start afresh."
                ) from None
            self.set_aside_notice = _set_aside(self.path, str(exc))
            self._checked = True
            return None
        self._checked = True
        return payload

    def save(self, payload: dict[str, Any]) -> None:
        """Write ``payload`` atomically. Raises SaveError on an OS failure
        (old file intact, no temp left), ProfileReadOnly on a read-only or
        closed handle. TypeError/ValueError if the payload is not JSON-able
        (nothing is written then)."""
        if self.read_only or self._closed:
            state = "read-only" if self.read_only else "closed"
            raise ProfileReadOnly(
                f"Profile '{self.name}' is {state}; {self.path} was not saved."
            )
        if not isinstance(payload, dict):
            raise TypeError("the payload must be a dict")
        if not self._checked:
            self.load()  # sets aside a damaged file, refuses a newer one
        doc = {
            "schema": SCHEMA_VERSION,
            "saved_at": _utcnow().isoformat(timespec="seconds"),
            "payload": payload,
        }
        data = _encode(doc)
        folder = self.path.parent
        tmp = folder / f".{self.path.name}.{os.getpid()}.{time.monotonic_ns()}.tmp"
        fd: int | None = None
        try:
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
            view = memoryview(data)
            while view:
                written = os.write(fd, view)
                view = view[written:]
            os.fsync(fd)
            os.close(fd)
            fd = None
            os.replace(tmp, self.path)
            _fsync_dir(folder)
        except OSError as exc:
            if fd is not None:
                with contextlib.suppress(OSError):
                    os.close(fd)
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            raise SaveError(
                f"Could not save profile '{self.name}' to {self.path}: "
                f"{_os_text(exc)}. Your progress is kept in memory and will "
                "be saved on the next try.",
                exc.errno,
            ) from exc

    def close(self) -> None:
        """Release the lock. Safe to call twice."""
        self._closed = True
        if self._lock is not None:
            lock, self._lock = self._lock, None
            lock.release()

    def __enter__(self) -> ProfileHandle:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __del__(self) -> None:
        # A handle dropped without close() must not keep the profile locked
        # for the rest of the process.
        with contextlib.suppress(Exception):
            self.close()


def _encode(doc: dict[str, Any]) -> bytes:
    text = json.dumps(doc, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    try:
        return text.encode("utf-8")
    except UnicodeEncodeError:
        # A lone surrogate cannot be UTF-8; escaped JSON reads back the same.
        return json.dumps(doc, separators=(",", ":"), allow_nan=False).encode()
