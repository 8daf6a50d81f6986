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
    name = args.profile or _last_profile(store) or DEFAULT_PROFILE
    problem = valid_profile_name(name)
    if problem:
        raise InputError(f"--profile: {problem}")
    try:
        session = Session.open(store, name, rules_path=args.rules)
    except ProfileLocked as error:
        print(f"growth-plan: {error} Opening it read-only.", file=sys.stderr)
        session = Session.open(store, name, rules_path=args.rules, read_only=True)
        session.notice = str(error)
    except StoreError as error:
        raise InputError(str(error)) from None
    _remember(store, name)

    from app.tui.app import GrowthPlanApp

    app = GrowthPlanApp(session, lang=lang, store=store)
    try:
        app.run()
    finally:
        session.save()
        session.close()
    return 0


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
