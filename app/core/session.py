"""One open profile: the rules, the engine, the trainee's workspace, and
saving it all. The TUI and the headless commands both go through here."""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from app.core import money, timeutil
from app.core.engine import Account, Engine
from app.core.errors import InputError
from app.core.rules import DEFAULT_RULES, Rules, load_rules
from app.core.store import ProfileHandle, ProfileStore, SaveError, StoreError

DEFAULT_PROFILE = "trainee"


def default_account(today: date) -> Account:
    """The embedded default: a 30,000 recharge whose payment arrives today."""
    recharge = money.parse_amount(30000, "default account")
    return Account(
        first_p4p_date=today,
        payment_date=today,
        recharge=recharge,
        cash=recharge,
    )


def now_minute() -> int:
    """The real time, to the minute: where a new profile's clock starts."""
    return int(time.time()) // 60 * 60


@dataclass
class Session:
    """A profile in memory. `handle` is None in demo mode (nothing saved)."""

    name: str
    rules: Rules
    engine: Engine
    workspace: dict[str, Any] = field(default_factory=dict)
    handle: ProfileHandle | None = None
    rules_path: str | None = None
    notice: str | None = None
    save_error: str | None = None
    _saved_key: tuple[Any, ...] | None = field(default=None, repr=False)

    # ---------------------------------------------------------------- opening

    @classmethod
    def in_memory(
        cls,
        name: str,
        account: Account,
        clock: int,
        rules: Rules | None = None,
        rules_path: str | None = None,
    ) -> Session:
        rules = rules or load_rules(rules_path)
        return cls(name, rules, Engine(rules, account, clock), rules_path=rules_path)

    @classmethod
    def open(
        cls,
        store: ProfileStore,
        name: str,
        *,
        rules_path: str | None = None,
        account: Account | None = None,
        clock: int | None = None,
        read_only: bool = False,
    ) -> Session:
        """Open (or create) profile `name`. A new one starts from `account`
        (default: the embedded default) at `clock` (default: now). A damaged
        file is set aside and a fresh profile started; `notice` says so.

        Raises StoreError (locked, too new...) and InputError (bad rules).
        """
        handle = store.open(name, read_only=read_only)
        try:
            payload = handle.load()
            notice = (
                handle.set_aside_notice.message() if handle.set_aside_notice else None
            )
            session = None
            if payload is not None:
                try:
                    session = cls.from_payload(name, payload, rules_path)
                except InputError as error:
                    if read_only:
                        raise
                    handle.close()
                    aside = store.set_aside(name, str(error))
                    notice = aside.message()
                    handle = store.open(name)
            if session is None:
                start = clock if clock is not None else now_minute()
                today = timeutil.to_bj(start).date()
                session = cls.in_memory(
                    name,
                    account or default_account(today),
                    start,
                    rules_path=rules_path,
                )
            session.handle = handle
            session.notice = notice
            if payload is None and not read_only:
                session.save()
            elif session.rules_path == payload.get("rules"):
                # What is on disk is what we hold: no need to write it back.
                session._saved_key = session._save_key()
            return session
        except BaseException:
            handle.close()
            raise

    @classmethod
    def from_payload(
        cls, name: str, payload: dict[str, Any], rules_path: str | None = None
    ) -> Session:
        """Rebuild a session from saved data; InputError names what is wrong."""
        try:
            saved_rules = payload.get("rules")
            path = rules_path or saved_rules
            rules = load_rules(path)
            account = Account.from_json(payload["account"])
            start = payload["start_clock"]
            clock = payload["clock"]
            events = payload["events"]
            workspace = payload.get("workspace", {})
            if not isinstance(events, list) or not isinstance(workspace, dict):
                raise TypeError("events must be a list and workspace a mapping")
            if not all(isinstance(v, int) for v in (start, clock)):
                raise TypeError("start_clock and clock must be epoch seconds")
        except (KeyError, TypeError, AttributeError) as error:
            raise InputError(f"profile {name}: {error}") from None
        engine = Engine.replay(rules, account, start, events, clock)
        return cls(name, rules, engine, dict(workspace), rules_path=path)

    @classmethod
    def from_scenario(
        cls, path: Path, name: str, rules_path: str | Path | None = None
    ) -> Session:
        """The state a scenario file reaches, in memory (not saved yet).

        Rules: `rules_path` (the command line's --rules), else the file's
        own `rules:`, else the default. InputError as `simulate` gives it.
        """
        from app.core import scenario

        parsed = scenario.parse_scenario(Path(path))
        chosen = rules_path or parsed.rules_path
        rules = load_rules(chosen)
        engine = scenario.Runner(parsed, rules).run()
        return cls(name, rules, engine, rules_path=str(chosen) if chosen else None)

    def save_new(self, store: ProfileStore) -> None:
        """Save this in-memory session as a new profile `name` and keep it
        open (locked). InputError if that profile already exists: an
        existing profile is never overwritten."""
        exists = InputError(
            f"profile {self.name!r} already exists in {store.state_dir}; "
            "choose another name"
        )
        if store.exists(self.name):
            raise exists
        try:
            handle = store.open(self.name)
        except StoreError as error:
            raise InputError(str(error)) from None
        if handle.load() is not None:
            handle.close()
            raise exists
        self.handle = handle
        error = self.save()
        if error:
            self.close()
            raise InputError(error)

    # ----------------------------------------------------------------- saving

    def payload(self) -> dict[str, Any]:
        engine = self.engine
        return {
            "profile": self.name,
            "rules": self.rules_path,
            "account": engine.account.to_json(),
            "start_clock": engine.start_clock,
            "clock": engine.clock,
            "events": engine.events,
            "workspace": self.workspace,
            "summary": self.summary(),
        }

    def summary(self) -> dict[str, Any]:
        """What the profile list shows without replaying the events."""
        engine = self.engine
        return {
            "stage": engine.stage,
            "clock": timeutil.iso(engine.clock),
            "deadline": timeutil.iso(engine.deadline),
            "days_used": engine.days_used,
            "days": engine.tier.days if engine.tier else None,
        }

    @property
    def saving(self) -> bool:
        return self.handle is not None and not self.handle.read_only

    def _save_key(self) -> tuple[Any, ...]:
        """Changes whenever the payload may have: every action appends an
        event or moves the clock, a reset or step back replaces the engine,
        and the workspace is small enough to compare as text."""
        engine = self.engine
        return (
            id(self.handle),
            id(engine),
            len(engine.events),
            engine.clock,
            json.dumps(self.workspace, sort_keys=True, default=str),
        )

    def save(self) -> str | None:
        """Save now, unless nothing changed since the last save (quitting
        should not cost an fsync); returns an error message, kept until a
        save works."""
        if not self.saving:
            return None
        assert self.handle is not None
        key = self._save_key()
        if key == self._saved_key and self.save_error is None:
            return None
        try:
            self.handle.save(self.payload())
        except SaveError as error:
            self.save_error = str(error)
            return self.save_error
        self.save_error = None
        self._saved_key = key
        return None

    def close(self) -> None:
        if self.handle is not None:
            self.handle.close()
            self.handle = None

    # -------------------------------------------------------- going back

    def reset(self) -> None:
        """Start the plan again from the same account, at the current clock.

        A fresh engine: no events, no popup seen, no attempts, task numbers
        and balances as the account opened them; the workspace is emptied.
        The clock stays where it is (it never goes backwards), so the new
        engine starts now: a deadline already passed stays passed. Call
        `save()` (or the app's `changed()`) afterwards.
        """
        engine = self.engine
        self.engine = Engine(self.rules, engine.account, engine.clock)
        self.workspace = {}

    def step_back(self) -> str:
        """Undo the last completed step; returns the stage it was undone from.

        Progress counts the steps done: 1 once the self-test is passed, 2
        once the tasks are met too, 3 once the waiver is activated. The
        event that last raised progress to its current level (the passing
        self-test attempt in `tasks`; the task change that met the last task
        in `ready`; the activation in `waiver` / `finished`) is dropped with
        every event after it (task changes, spend, top-ups, notes); the
        events before it are replayed and the engine moved on to the current
        clock, which never goes backwards. So from `ready` one task is unmet
        again; from `tasks` the self-test is to pass again (failed attempts
        stay); from `waiver` the waiver is not active and spend since its
        activation is gone, and if the deadline has passed meanwhile the
        stage is `lapsed`. The workspace is kept. InputError if no step is
        completed yet (use `reset`).
        """
        engine = self.engine
        level = _progress(engine)
        if level == 0:
            raise InputError(
                f"profile {self.name}: no step is completed yet, nothing to "
                "step back; use reset to start again"
            )
        # Replay event by event (as Engine.replay does, in one pass rather
        # than once per prefix) to find where progress last reached `level`.
        probe = Engine(self.rules, engine.account, engine.start_clock)
        probe._recording = False
        cut = 0
        before = 0
        for position, event in enumerate(engine.events):
            probe._apply(event, position)
            now = _progress(probe)
            if before < level <= now:
                cut = position
            before = now
        stage = engine.stage
        self.engine = Engine.replay(
            self.rules,
            engine.account,
            engine.start_clock,
            engine.events[:cut],
            engine.clock,
        )
        return stage


def _progress(engine: Engine) -> int:
    """Steps completed: 0 none, 1 self-test, 2 tasks too, 3 waiver active."""
    if engine.activated_at is not None:
        return 3
    if not engine.self_test_passed:
        return 0
    return 2 if engine.tasks_met else 1


def open_store(state_dir: str | Path | None) -> ProfileStore:
    from app.core.store import default_state_dir

    folder = Path(state_dir).expanduser() if state_dir else default_state_dir()
    try:
        return ProfileStore(folder)
    except OSError as error:
        raise InputError(
            f"{folder}: cannot use as state folder ({error.strerror})"
        ) from None
    except StoreError as error:
        # ProfileStore wraps the OSError; keep it one line, no traceback.
        raise InputError(f"{error} Choose another with --state-dir.") from None


__all__ = [
    "DEFAULT_PROFILE",
    "DEFAULT_RULES",
    "Session",
    "StoreError",
    "default_account",
    "open_store",
]
