"""`growth-plan export PROFILE --format csv|jsonl|md [--output FILE]`."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def add_parser(
    subparsers: argparse._SubParsersAction, name: str
) -> argparse.ArgumentParser:
    parser = subparsers.add_parser(
        name,
        help="export a profile: ledger CSV, event log JSONL, trainee report",
        description="Export a saved profile: the ledger as CSV, the event "
        "log as JSON lines (which `import` reads back), or a trainee report "
        "in Markdown. Reads the profile without locking it.",
    )
    parser.add_argument("profile", metavar="PROFILE", help="profile name")
    parser.add_argument(
        "--format",
        required=True,
        choices=("csv", "jsonl", "md"),
        help="csv: ledger; jsonl: event log; md: trainee report",
    )
    parser.add_argument(
        "--output", metavar="FILE", help="write to FILE (default: standard output)"
    )
    return parser


def run(args: argparse.Namespace) -> int:
    from app.commands.status import open_read_only
    from app.core import i18n, records

    lang = i18n.pick_lang(getattr(args, "lang", None))
    session = open_read_only(args, args.profile)
    try:
        text = records.export_text(session, args.format, lang)
    finally:
        session.close()
    if args.output:
        records.write_text(Path(args.output), text)
        print(f"growth-plan: wrote {args.output}", file=sys.stderr)
    else:
        sys.stdout.write(text)
    return 0
