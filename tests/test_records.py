"""Exports (ledger CSV, event log JSONL, trainee report) and import."""

from __future__ import annotations

import csv
import io
import json
from datetime import datetime
from pathlib import Path

import pytest

from app.core import records
from app.core.errors import InputError
from app.core.session import Session
from tests.tui.conftest import make_session, ready_session

SCENARIOS = Path(__file__).resolve().parent.parent / "content" / "scenarios"
ALL = sorted(p for p in SCENARIOS.glob("*.yaml") if not p.name.startswith("_"))


def scenario_session(stem: str) -> Session:
    return Session.from_scenario(SCENARIOS / f"{stem}.yaml", "trainee")


def test_ledger_csv_matches_the_report():
    session = scenario_session("contract-example-30k-tier")
    rows = list(csv.DictReader(io.StringIO(records.ledger_csv(session.engine))))
    assert rows == [
        {k: "" if v is None else str(v) for k, v in row.items()}
        for row in session.engine.report()["ledger"]
    ]
    assert rows[0]["waived"] == "100.00"
    assert rows[0]["window_start"] == "2026-06-30T16:00:00+08:00"


def test_events_jsonl_has_a_header_and_iso_times():
    session = scenario_session("contract-example-30k-tier")
    lines = records.events_jsonl(session).splitlines()
    head = json.loads(lines[0])
    assert head["format"] == "growth-plan-events"
    assert head["start_clock"] == "2026-07-01T09:00:00+08:00"
    assert head["account"]["recharge"] == 3000000
    events = [json.loads(line) for line in lines[1:]]
    assert len(events) == len(session.engine.events)
    assert all(e["at"].endswith("+08:00") for e in events)


@pytest.mark.parametrize("path", ALL, ids=[p.stem for p in ALL])
def test_round_trip_gives_the_same_ledger_to_the_fen(path):
    session = Session.from_scenario(path, "t")
    payload = records.parse_events(records.events_jsonl(session), "x.jsonl")
    back = Session.from_payload("t2", payload)
    assert back.engine.ledger == session.engine.ledger
    assert without_action(back.engine.report()) == without_action(
        session.engine.report()
    )
    assert back.engine.events == session.engine.events


def without_action(report):
    # A refusal's action index belongs to the scenario file, not the log.
    for refusal in report["refusals"]:
        refusal.pop("action")
    return report


def test_real_times_survive_the_round_trip():
    session = ready_session()
    for event in session.engine.events:
        event["real"] = 1_780_000_000
    payload = records.parse_events(records.events_jsonl(session), "x")
    assert all(e["real"] == 1_780_000_000 for e in payload["events"])


def bad_log(session, line_no: int, text: str) -> str:
    lines = records.events_jsonl(session).splitlines()
    lines[line_no - 1] = text
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize(
    ("line_no", "text", "problem"),
    [
        (1, "{}", "not an exported event log"),
        (1, "not json", "not JSON"),
        (3, "[1, 2]", "expected a JSON object"),
        (3, '{"kind": "fly", "at": "2026-07-01T09:00:00+08:00"}', "unknown event"),
        (3, '{"kind": "self_test", "at": "2026-07-01T09:00:00+08:00"}', "score"),
        (3, '{"kind": "self_test", "at": "yesterday", "score": 90}', "ISO"),
        (
            4,
            '{"kind": "add_products", "at": "2026-07-01T09:00:00+08:00", "count": -5}',
            "cannot remove",
        ),
        (
            4,
            '{"kind": "add_products", "at": "2026-06-01T09:00:00+08:00", "count": 1}',
            "goes back",
        ),
    ],
)
def test_bad_lines_are_named(line_no, text, problem):
    session = ready_session()
    with pytest.raises(InputError) as caught:
        records.parse_events(bad_log(session, line_no, text), "log.jsonl")
    message = str(caught.value)
    assert message.startswith(f"log.jsonl:{line_no}: "), message
    assert problem in message
    assert "\n" not in message


def test_empty_file_is_refused():
    with pytest.raises(InputError, match="x:1: empty"):
        records.parse_events("", "x")


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_trainee_report_sections(lang):
    session = scenario_session("self-test-79-fails-80-passes")
    text = records.trainee_report(session, lang)
    assert text.startswith("# ")
    assert text.count("\n## ") >= 4
    assert "| 79 |" in text and "| 80 |" in text
    if lang == "zh":
        assert "学员报告" in text and "✗ 未通过" in text
    else:
        assert "Self-test attempts" in text and "✗ not passed" in text


def test_report_time_per_step_and_missed_questions():
    session = make_session()
    engine = session.engine
    engine.open_marketing_center()
    engine.advance_by(1800)
    engine.take_self_test(60, {"missed": ["q01", "q07"]})
    engine.advance_by(600)
    engine.take_self_test(90, {"missed": []})
    text = records.trainee_report(session, "en")
    assert "q01, q07" in text
    assert "| 1 Self-test | 2026-07-01 09:00 | 2026-07-01 09:40 | 0h 40m |" in text
    assert "| 2 Tasks | 2026-07-01 09:40 | not yet |" in text


def test_report_computes_missed_from_answers():
    session = Session.from_scenario(
        SCENARIOS / "self-test-79-fails-80-passes.yaml", "t"
    )
    engine = session.engine
    from app.core import content

    bank = content.load_bank()
    first = bank.questions[0]
    wrong = next(k for k in first.option_keys if k not in first.answer)
    engine.take_self_test(0, {"questions": [first.id], "answers": {first.id: wrong}})
    assert first.id in records.trainee_report(session, "en")


def test_export_names_and_atomic_write(tmp_path):
    moment = datetime(2026, 7, 1, 9, 0, 0)
    assert records.export_name("amy", "csv", moment) == "amy-ledger-20260701-090000.csv"
    target = tmp_path / "out" / "a.md"
    records.write_text(target, "hello")
    assert target.read_text(encoding="utf-8") == "hello"
    assert [p.name for p in target.parent.iterdir()] == ["a.md"]


def test_unknown_format():
    with pytest.raises(InputError, match="--format"):
        records.export_text(make_session(), "pdf", "en")
