"""`growth-plan simulate FILE [--json]`: run a scenario headless."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path


def add_parser(
    subparsers: argparse._SubParsersAction, name: str
) -> argparse.ArgumentParser:
    parser = subparsers.add_parser(
        name,
        help="run a scenario file on a fresh in-memory account",
        description="Run a scenario file on a fresh, in-memory account and "
        "report the result. Exit 0: every expectation held; 1: one did not; "
        "2: the file or rule file is unusable.",
    )
    parser.add_argument("file", metavar="FILE", help="scenario file (YAML)")
    parser.add_argument("--json", action="store_true", help="print the JSON report")
    return parser


def run(args: argparse.Namespace) -> int:
    from app.core import i18n, report, scenario

    lang = i18n.pick_lang(getattr(args, "lang", None))
    rules = Path(args.rules) if getattr(args, "rules", None) else None
    outcome = scenario.run_file(Path(args.file), rules, lang)
    if args.json:
        json.dump(outcome.report, sys.stdout, ensure_ascii=False)
        sys.stdout.write("\n")
    else:
        print(report.render(outcome.report, outcome.scenario.name, lang))
    return outcome.exit_code
