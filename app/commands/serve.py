"""`growth-plan serve [--host 127.0.0.1] [--port 8000]`: the app in a browser.

textual-serve starts one `growth-plan` process per browser session and
relays its terminal over a websocket. It listens on loopback by default:
the app has no login, so anyone who can reach the port can use it.
"""

from __future__ import annotations

import argparse
import ipaddress
import shlex
import sys

LOOPBACK_NAMES = {"localhost", "localhost.localdomain"}


def add_parser(
    subparsers: argparse._SubParsersAction, name: str
) -> argparse.ArgumentParser:
    parser = subparsers.add_parser(
        name,
        help="serve the app in a web browser (textual-serve)",
        description="Serve the app over the web for remote demos. Each "
        "browser tab runs its own app. Listens on loopback (this machine "
        "only) unless --host says otherwise.",
    )
    parser.add_argument("--host", default="127.0.0.1", help="default: 127.0.0.1")
    parser.add_argument("--port", type=int, default=8000, help="default: 8000")
    # Also accepted after `serve`; SUPPRESS keeps a value given before it.
    parser.add_argument(
        "--profile", metavar="NAME", default=argparse.SUPPRESS, help="profile"
    )
    parser.add_argument(
        "--scenario", metavar="FILE", default=argparse.SUPPRESS, help="scenario"
    )
    parser.add_argument(
        "--demo",
        action="store_true",
        default=argparse.SUPPRESS,
        help="demo mode: nothing is saved",
    )
    return parser


def is_loopback(host: str) -> bool:
    if host.lower() in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def app_command(args: argparse.Namespace) -> str:
    """The command each browser session runs: this Python, this app, with
    the options that shape the app passed through."""
    argv = [sys.executable, "-m", "app"]
    for option, key in (
        ("--lang", "lang"),
        ("--state-dir", "state_dir"),
        ("--rules", "rules"),
        ("--profile", "profile"),
        ("--scenario", "scenario"),
    ):
        value = getattr(args, key, None)
        if value:
            argv += [option, str(value)]
    if getattr(args, "demo", False):
        argv.append("--demo")
    return shlex.join(argv)


def run(args: argparse.Namespace) -> int:
    from app.core.errors import InputError

    if not 0 < args.port < 65536:
        raise InputError(f"--port: {args.port} is not a port number (1-65535)")
    from textual_serve.server import Server

    command = app_command(args)
    host = args.host
    shown = f"[{host}]" if ":" in host else host
    url = f"http://{shown}:{args.port}"
    print(f"Growth Plan trainer in the browser: {url}")
    if is_loopback(host):
        print("Listening on loopback only: reachable from this machine alone.")
    else:
        print(
            f"Warning: listening on {host}; anyone who can reach this port can "
            "use the app (there is no login)."
        )
    print("Press Ctrl+C to stop.", flush=True)
    server = Server(command, host=host, port=args.port, title="Growth Plan trainer")
    server.serve()
    return 0
