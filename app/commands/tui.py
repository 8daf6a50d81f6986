"""Start the Textual app on a profile (default: the last one used)."""

from __future__ import annotations

import argparse
import contextlib
import sys


def run(args: argparse.Namespace) -> int:
    from app.core import i18n
    from app.core.errors import InputError
    from app.core.session import DEFAULT_PROFILE, Session, open_store
    from app.core.store import ProfileLocked, StoreError, valid_profile_name

    lang = i18n.pick_lang(args.lang)
    store = open_store(args.state_dir)
    demo = bool(getattr(args, "demo", False))
    if getattr(args, "scenario", None) or demo:
        session = _start_session(args, store, demo)
        return _run_app(session, lang, store, demo)
    name = args.profile or _last_profile(store) or DEFAULT_PROFILE
    problem = valid_profile_name(name)
    if problem:
        raise InputError(f"--profile: {problem}")
    try:
        session = Session.open(store, name, rules_path=args.rules)
    except ProfileLocked as error:
        print(f"growth-plan: {error} Opening it read-only.", file=sys.stderr)
        try:
            session = Session.open(store, name, rules_path=args.rules, read_only=True)
        except StoreError as again:  # e.g. damaged: only a writer sets it aside
            raise InputError(str(again)) from None
        session.notice = f"{error} Opened read-only: nothing is saved."
    except StoreError as error:
        raise InputError(str(error)) from None
    _remember(store, name)
    return _run_app(session, lang, store, False)


def _run_app(session, lang: str, store, demo: bool) -> int:  # type: ignore[no-untyped-def]
    from app.tui.app import GrowthPlanApp

    session.engine.real_clock = real_now  # the event log shows real time too
    app = GrowthPlanApp(session, lang=lang, store=store, demo=demo)
    try:
        app.run()
    finally:
        # The app may have switched to another session (scenario picker).
        for each in {id(session): session, id(app.session): app.session}.values():
            each.save()
            each.close()
    return 0


def real_now() -> int:
    import time

    return int(time.time())


def _start_session(args, store, demo: bool):  # type: ignore[no-untyped-def]
    """`--scenario FILE` and/or `--demo`: the scenario's state (or the default
    account now), on a new profile or, in demo mode, saved nowhere."""
    from pathlib import Path

    from app.core.errors import InputError
    from app.core.session import Session, default_account, now_minute
    from app.core.store import valid_profile_name

    if not args.scenario:
        start = now_minute()
        return Session.in_memory(
            args.profile or "demo",
            default_account(timeutil_date(start)),
            start,
            rules_path=args.rules,
        )
    path = Path(args.scenario)
    name = args.profile or scenario_profile_name(path)
    problem = valid_profile_name(name)
    if problem:
        raise InputError(f"--profile {name!r}: {problem}")
    if not demo and store.exists(name):
        raise InputError(
            f"profile {name!r} already exists in {store.state_dir}; pass "
            "--profile NEW_NAME, or --demo to save nothing"
        )
    session = Session.from_scenario(path, name, rules_path=args.rules)
    if not demo:
        session.save_new(store)
        _remember(store, name)
    return session


def timeutil_date(ts: int):  # type: ignore[no-untyped-def]
    from app.core import timeutil

    return timeutil.to_bj(ts).date()


def scenario_profile_name(path) -> str:  # type: ignore[no-untyped-def]
    """A profile name from a scenario file name: its stem, with anything a
    profile name may not hold turned into '-', at most 40 characters."""
    from app.core.store import MAX_NAME_LEN, valid_profile_name

    name = "".join(
        "-" if valid_profile_name("a" + char) else char for char in path.stem
    ).strip("-.")
    return name[:MAX_NAME_LEN] or "scenario"


def _last_profile(store) -> str | None:  # type: ignore[no-untyped-def]
    marker = store.state_dir / ".last-profile"
    try:
        name = marker.read_text(encoding="utf-8").strip()
    except OSError:
        return None
    return name if store.exists(name) else None


def _remember(store, name: str) -> None:  # type: ignore[no-untyped-def]
    # Only a convenience: if it cannot be written, the next start opens the
    # default profile instead.
    with contextlib.suppress(OSError):
        (store.state_dir / ".last-profile").write_text(name, encoding="utf-8")
