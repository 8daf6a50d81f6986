"""The domain core and `simulate` never import Textual (checked in a fresh
interpreter, so nothing another test imported can hide it)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

PROGRAM = r"""
import importlib
import io
import pkgutil
import sys
from contextlib import redirect_stdout
from pathlib import Path

import app.core

names = sorted(m.name for m in pkgutil.iter_modules(app.core.__path__, "app.core."))
for name in names:
    importlib.import_module(name)
importlib.import_module("app.commands.simulate")

from app import cli

scenarios = Path(sys.argv[1]) / "content" / "scenarios"
scenario = scenarios / "contract-example-30k-tier.yaml"
out = io.StringIO()
with redirect_stdout(out):
    code = cli.main(["simulate", str(scenario), "--json"])
assert code == 0, out.getvalue()
with redirect_stdout(io.StringIO()):
    assert cli.main(["simulate", str(scenario), "--lang", "zh"]) == 0

loaded = sorted(m for m in sys.modules if m == "textual" or m.startswith("textual."))
print("MODULES", len(names), "TEXTUAL", ",".join(loaded) or "-")
assert "textual" not in sys.modules
"""


def test_core_and_simulate_do_not_import_textual():
    done = subprocess.run(
        [sys.executable, "-c", PROGRAM, str(ROOT)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    line = done.stdout.strip().splitlines()[-1]
    modules, textual = line.split(" TEXTUAL ")
    assert int(modules.split()[1]) >= 8, line
    assert textual == "-", f"Textual was imported: {textual}"
