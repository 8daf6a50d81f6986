"""`growth-plan`: the TUI with no sub-command, headless tools with one.

Sub-commands live in `app/commands/<name>.py`, each with `add_parser` and
`run`. Heavy imports (Textual above all) happen inside `run`, so
`growth-plan simulate` starts fast and never loads the TUI.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

# name -> module; the order is the order of `--help`.
COMMANDS = {
    "simulate": "app.commands.simulate",
    "check-content": "app.commands.check_content",
    "status": "app.commands.status",
    "export": "app.commands.export",
    "import": "app.commands.importer",
    "serve": "app.commands.serve",
}


def add_common(parser: argparse.ArgumentParser, suppress: bool = False) -> None:
    """Options every command shares. Sub-parsers use SUPPRESS so that a value
    given before the sub-command is not overwritten by their default."""
    default = argparse.SUPPRESS if suppress else None
    parser.add_argument(
        "--lang",
        choices=("zh", "en"),
        default=default,
        help="language (default: $GROWTH_PLAN_LANG, then the system locale, then en)",
    )
    parser.add_argument(
        "--state-dir",
        metavar="DIR",
        default=default,
        help="folder of saved profiles (default: $GROWTH_PLAN_STATE or ./state)",
    )
    parser.add_argument(
        "--rules",
        metavar="RULEFILE",
        default=default,
        help="rule file to apply (default: content/rules.yaml)",
    )


def build_parser(argv: Sequence[str] | None = None) -> argparse.ArgumentParser:
    """The whole parser; with `argv`, sub-commands are only imported when
    `argv` may name one (or asks for help), so starting the TUI skips them."""
    parser = argparse.ArgumentParser(
        prog="growth-plan",
        description="Practise, demo and test the P4P New Customer Growth Plan.",
    )
    add_common(parser)
    parser.add_argument("--profile", metavar="NAME", help="open this profile")
    parser.add_argument(
        "--scenario",
        metavar="FILE",
        help="open the app at the state a scenario reaches",
    )
    parser.add_argument(
        "--demo", action="store_true", help="demo mode: nothing is saved"
    )
    parser.set_defaults(command=None)
    if argv is not None and not any(
        arg in COMMANDS or arg in ("-h", "--help") for arg in argv
    ):
        return parser
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name, module_name in COMMANDS.items():
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as error:
            if error.name != module_name:
                raise
            continue  # not built yet
        sub = module.add_parser(subparsers, name)
        add_common(sub, suppress=True)
        sub.set_defaults(run=module.run)
    return parser


def one_line(message: str) -> str:
    """The message as one terminal line: line breaks and other control
    characters (a YAML key may hold any) are shown escaped, so stderr stays
    one line and no escape sequence reaches the terminal."""
    return "".join(
        char
        if char.isprintable() or char == " "
        else char.encode("unicode_escape").decode("ascii")
        for char in message
    )


def main(argv: Sequence[str] | None = None) -> int:
    from app.core.errors import InputError

    argv = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser(argv)
    args = parser.parse_args(argv)
    try:
        if args.command is None:
            from app.commands.tui import run as run_tui

            return run_tui(args)
        return args.run(args)
    except InputError as error:
        print(f"growth-plan: {one_line(str(error))}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0
