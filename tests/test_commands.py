"""status, export, import, serve and --scenario: exit codes and messages.
Bad input exits 2 with one line on stderr and no traceback."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from app import cli
from app.commands import serve
from app.commands.tui import _start_session, scenario_profile_name
from app.core.session import Session, open_store

ROOT = Path(__file__).resolve().parent.parent
SCENARIOS = ROOT / "content" / "scenarios"
CONTRACT = SCENARIOS / "contract-example-30k-tier.yaml"


@pytest.fixture
def state(tmp_path):
    folder = tmp_path / "state"
    store = open_store(folder)
    session = Session.from_scenario(CONTRACT, "amy")
    session.save_new(store)
    session.close()
    return folder


def run(capsys, *argv):
    code = cli.main([str(arg) for arg in argv])
    out, err = capsys.readouterr()
    return code, out, err


def one_line_error(err: str) -> None:
    assert err.startswith("growth-plan: ")
    assert err.count("\n") == 1
    assert "Traceback" not in err


# ------------------------------------------------------------------ status


def test_status_text(capsys, state):
    code, out, err = run(capsys, "--state-dir", state, "--lang", "en", "status", "amy")
    assert code == 0, err
    assert "Stage: spend waiver running (Step 3 of 3)" in out
    # Once activated, the deadline no longer matters: the activation time shows.
    assert "Waiver activated: 2026-07-01 09:00" in out
    assert "Activation deadline" not in out
    assert "2 of 30 days used" in out


def test_status_json_in_chinese(capsys, state):
    code, out, _ = run(
        capsys, "--state-dir", state, "--lang", "zh", "status", "amy", "--json"
    )
    assert code == 0
    data = json.loads(out)
    assert data["stage"] == "waiver"
    assert data["deadline"] == "2026-07-31T23:59:59+08:00"
    assert data["waiver"]["days_used"] == 2
    assert "免单" in data["next_step"]


def test_status_works_while_the_profile_is_open(capsys, state):
    held = Session.open(open_store(state), "amy")  # the app holds the lock
    try:
        code, out, _ = run(capsys, "--state-dir", state, "status", "amy")
    finally:
        held.close()
    assert code == 0 and "amy" in out


@pytest.mark.parametrize(
    ("argv", "problem"),
    [
        (["status", "nobody"], "no profile named 'nobody'"),
        (["status", "../x"], "profile '../x'"),
        (["export", "nobody", "--format", "csv"], "no profile named"),
    ],
)
def test_bad_profile_exits_2_with_one_line(capsys, state, argv, problem):
    code, out, err = run(capsys, "--state-dir", state, *argv)
    assert code == 2
    assert out == ""
    one_line_error(err)
    assert problem in err


# ------------------------------------------------------------------ export


def test_export_each_format(capsys, state, tmp_path):
    code, out, _ = run(capsys, "--state-dir", state, "export", "amy", "--format", "csv")
    assert code == 0
    assert out.splitlines()[0].startswith("window_start,window_end,waiver_day")
    assert len(out.splitlines()) == 3

    code, out, _ = run(
        capsys, "--state-dir", state, "export", "amy", "--format", "jsonl"
    )
    assert json.loads(out.splitlines()[0])["format"] == "growth-plan-events"

    target = tmp_path / "report.md"
    code, out, err = run(
        capsys, "--state-dir", state, "--lang", "zh", "export", "amy",
        "--format", "md", "--output", target,
    )  # fmt: skip
    assert code == 0 and out == ""
    assert str(target) in err
    assert target.read_text(encoding="utf-8").startswith("# 学员报告：amy")


# ------------------------------------------------------------------ import


def test_export_then_import_round_trip(capsys, state, tmp_path):
    log = tmp_path / "amy.jsonl"
    assert run(
        capsys, "--state-dir", state, "export", "amy", "--format", "jsonl",
        "--output", log,
    )[0] == 0  # fmt: skip
    code, out, err = run(capsys, "--state-dir", state, "import", log, "--as", "bea")
    assert code == 0, err
    assert "'bea'" in out
    store = open_store(state)
    amy = Session.open(store, "amy", read_only=True)
    bea = Session.open(store, "bea", read_only=True)
    assert bea.engine.ledger == amy.engine.ledger
    assert bea.engine.clock == amy.engine.clock


def test_import_never_overwrites(capsys, state, tmp_path):
    log = tmp_path / "amy.jsonl"
    run(
        capsys,
        "--state-dir",
        state,
        "export",
        "amy",
        "--format",
        "jsonl",
        "--output",
        log,
    )
    before = (state / "amy.json").read_bytes()
    code, _, err = run(capsys, "--state-dir", state, "import", log)
    assert code == 2
    one_line_error(err)
    assert "already exists" in err and "--as" in err
    assert (state / "amy.json").read_bytes() == before


def test_import_bad_line_names_it(capsys, state, tmp_path):
    log = tmp_path / "amy.jsonl"
    run(
        capsys,
        "--state-dir",
        state,
        "export",
        "amy",
        "--format",
        "jsonl",
        "--output",
        log,
    )
    lines = log.read_text(encoding="utf-8").splitlines()
    lines[4] = '{"kind": "spend", "at": "2026-07-01T09:00:00+08:00", "fen": "lots"}'
    log.write_text("\n".join(lines) + "\n", encoding="utf-8")
    code, _, err = run(capsys, "--state-dir", state, "import", log, "--as", "cat")
    assert code == 2
    one_line_error(err)
    assert f"{log}:5: spend: fen has the wrong type" in err
    assert not (state / "cat.json").exists()


def test_import_missing_file(capsys, state, tmp_path):
    code, _, err = run(capsys, "--state-dir", state, "import", tmp_path / "none.jsonl")
    assert code == 2
    one_line_error(err)
    assert "no such file" in err


# ----------------------------------------------------------- --scenario


def scenario_args(state, **values):
    args = cli.build_parser().parse_args(["--state-dir", str(state)])
    for key, value in values.items():
        setattr(args, key, value)
    return args


def test_scenario_on_a_new_profile_then_refused_twice(state):
    store = open_store(state)
    args = scenario_args(state, scenario=str(CONTRACT))
    session = _start_session(args, store, demo=False)
    try:
        assert session.name == "contract-example-30k-tier"
        assert store.exists(session.name)
        assert session.engine.stage == "waiver"
    finally:
        session.close()
    with pytest.raises(Exception, match="already exists"):
        _start_session(args, store, demo=False)


def test_scenario_in_demo_mode_saves_nothing(state):
    store = open_store(state)
    args = scenario_args(state, scenario=str(CONTRACT), profile="amy")
    session = _start_session(args, store, demo=True)
    assert session.handle is None
    assert session.engine.days_used == 2
    assert sorted(p.name for p in state.glob("*.json")) == ["amy.json"]


def test_bad_scenario_file_gives_the_simulate_message(capsys, state, tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("clock: 2026-07-01 09:00\naccount: {recharge: 1}\n", "utf-8")
    code, _, err = run(capsys, "--state-dir", state, "--scenario", bad)
    assert code == 2
    one_line_error(err)
    simulate = subprocess.run(
        [sys.executable, "-m", "app", "simulate", str(bad)],
        capture_output=True, text=True, cwd=ROOT, timeout=60,
    )  # fmt: skip
    assert simulate.returncode == 2
    assert err == simulate.stderr


def test_scenario_existing_profile_is_refused_before_start(capsys, state):
    code, _, err = run(
        capsys, "--state-dir", state, "--scenario", CONTRACT, "--profile", "amy"
    )
    assert code == 2
    one_line_error(err)
    assert "'amy' already exists" in err and "--demo" in err


def test_profile_name_from_file_name():
    assert scenario_profile_name(Path("tier-boundary-9999.99.yaml")) == (
        "tier-boundary-9999.99"
    )
    assert scenario_profile_name(Path("a b?c.yaml")) == "a-b-c"
    assert len(scenario_profile_name(Path("x" * 80 + ".yaml"))) == 40


# ------------------------------------------------------------------- serve


def test_serve_passes_options_through_and_says_loopback():
    args = cli.build_parser().parse_args(
        ["--lang", "zh", "--state-dir", "/tmp/s", "serve", "--demo", "--port", "8123"]
    )
    command = serve.app_command(args)
    assert command.startswith(sys.executable)
    assert "-m app --lang zh --state-dir /tmp/s" in command
    assert command.endswith("--demo")
    assert args.host == "127.0.0.1" and args.port == 8123
    assert serve.is_loopback("127.0.0.1") and serve.is_loopback("::1")
    assert serve.is_loopback("localhost")
    assert not serve.is_loopback("0.0.0.0")


def test_serve_bad_port(capsys):
    code, _, err = run(capsys, "serve", "--port", "70000")
    assert code == 2
    one_line_error(err)
