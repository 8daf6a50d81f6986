"""`growth-plan import FILE [--as NAME]`: an exported event log back as a new
profile, for moving a trainee between machines."""

from __future__ import annotations

import argparse
from pathlib import Path


def add_parser(
    subparsers: argparse._SubParsersAction, name: str
) -> argparse.ArgumentParser:
    parser = subparsers.add_parser(
        name,
        help="create a profile from an exported event log (JSONL)",
        description="Create a new profile from an event log written by "
        "`growth-plan export PROFILE --format jsonl`. Every line is checked "
        "and the events replayed; a bad line exits 2 naming it. An existing "
        "profile is never overwritten.",
    )
    parser.add_argument("file", metavar="FILE", help="exported event log (.jsonl)")
    parser.add_argument(
        "--as",
        dest="as_name",
        metavar="NAME",
        help="name of the new profile (default: the exported profile's name)",
    )
    return parser


def run(args: argparse.Namespace) -> int:
    from app.core import records
    from app.core.errors import InputError
    from app.core.session import Session, open_store
    from app.core.store import valid_profile_name

    path = Path(args.file)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputError(f"{path}: no such file") from None
    except UnicodeDecodeError:
        raise InputError(f"{path}: not UTF-8 text") from None
    except OSError as error:
        raise InputError(f"{path}: cannot read ({error.strerror})") from None
    payload = records.parse_events(text, str(path))

    name = args.as_name or payload.get("profile") or path.stem
    if not isinstance(name, str):
        raise InputError(f"{path}:1: profile: expected a name")
    problem = valid_profile_name(name)
    if problem:
        raise InputError(f"profile name {name!r}: {problem} (use --as NAME)")
    session = Session.from_payload(name, payload, getattr(args, "rules", None))
    store = open_store(getattr(args, "state_dir", None))
    try:
        session.save_new(store)
    except InputError as error:
        raise InputError(f"{error} (use --as NAME)") from None
    finally:
        session.close()
    events = len(payload["events"])
    print(f"Imported {events} events as profile {name!r} ({session.engine.stage}).")
    return 0
