"""Start the Textual app (built in app/tui)."""

from __future__ import annotations

import argparse


def run(args: argparse.Namespace) -> int:
    print("The growth plan trainer's screens are being built; try "
          "`growth-plan simulate content/scenarios/<file>.yaml`.")
    return 0
