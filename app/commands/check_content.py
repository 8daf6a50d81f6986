"""`growth-plan check-content [DIR]`: validate the course content."""

from __future__ import annotations

import argparse
from pathlib import Path


def add_parser(
    subparsers: argparse._SubParsersAction, name: str
) -> argparse.ArgumentParser:
    parser = subparsers.add_parser(
        name,
        help="validate questions, lessons, FAQ, glossary and catalog",
        description="Check every content file: schema, both languages, answers "
        "among the options, lesson links, rule coverage, and worked numbers "
        "recomputed by the engine. Prints one line per problem (file:line: "
        "what is wrong). Exit 0: no problem; 2: problems found.",
    )
    parser.add_argument(
        "dir",
        metavar="DIR",
        nargs="?",
        default=None,
        help="content folder (default: the app's content/)",
    )
    return parser


def _shown(path: Path) -> Path:
    """A path under the working folder is shown relative to it."""
    try:
        return path.resolve().relative_to(Path.cwd().resolve())
    except ValueError:
        return path


def run(args: argparse.Namespace) -> int:
    from app.core import content
    from app.core.rules import CONTENT_DIR, load_rules

    rules = load_rules(Path(args.rules) if getattr(args, "rules", None) else None)
    folder = Path(args.dir) if args.dir else _shown(CONTENT_DIR)
    report = content.check_content_report(folder, rules)
    if report.problems:
        for problem in report.problems:
            print(problem)
        count = len(report.problems)
        print(f"{count} problem{'s' if count != 1 else ''} in {folder}")
        return 2
    print(f"{report.summary()} ({folder})")
    return 0
