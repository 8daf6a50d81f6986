"""Every scenario in content/scenarios/ runs, and its hand-computed `expect`
block holds. The expectations were worked out from the rules page before the
engine was run, so this is an independent check of the engine."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from app.core import scenario, yamlio

ROOT = Path(__file__).resolve().parent.parent
SCENARIOS = ROOT / "content" / "scenarios"
# Files starting with "_" are not scenarios (e.g. _index.yaml, the picker's
# Chinese names).
FILES = sorted(p for p in SCENARIOS.glob("*.yaml") if not p.name.startswith("_"))

# Which scenario files prove each rule the engine decides (R1, R2, R5,
# R11-R21), plus the edge cases the issue lists. Every file named here must
# exist and pass; every scenario file must appear at least once.
COVERAGE: dict[str, list[str]] = {
    "R1": [
        "returning-advertiser-not-eligible",
        "first-p4p-before-campaign-start",
    ],
    "R2": ["other-promotion-refused"],
    "R5": [
        "self-test-79-stays-locked",
        "self-test-79-fails-80-passes",
        "self-test-retake-after-pass",
    ],
    "R11": [
        "tasks-unmet-by-removing-products",
        "tasks-unmet-stage-tasks",
        "removal-after-activation-keeps-waiver",
    ],
    "R12": ["tasks-unmet-by-removing-products", "refusal-order"],
    "R13": [
        "deadline-last-second",
        "deadline-one-second-late",
        "lapsed-without-self-test",
        "not-paid-before-payment-date",
    ],
    "R14": ["deadline-last-second", "already-active-before-deadline-check"],
    "R15": [
        "tier-boundary-9999.99",
        "tier-boundary-10000",
        "tier-between-rows-15000",
        "tier-between-rows-35000",
        "tier-top-65000",
        "top-up-does-not-change-tier",
        "days-used-zero-until-first-cutoff",
    ],
    "R16": [
        "activation-at-155959",
        "activation-at-160000",
        "days-used-zero-until-first-cutoff",
    ],
    "R17": [
        "contract-example-30k-tier",
        "spend-exactly-at-cap",
        "cap-does-not-roll-over",
    ],
    "R18": [
        "zero-spend-days-use-up-waiver",
        "finished-after-last-waiver-day",
        "clock-jump-over-several-cutoffs",
    ],
    "R19": [
        "coupons-untouched-during-waiver",
        "coupons-then-cash-and-red-packet",
        "ads-offline-and-back-after-top-up",
    ],
    "R20": [
        "red-packet-split-tie-to-cash",
        "red-packet-split-larger-remainder",
        "top-up-does-not-change-tier",
    ],
    "R21": [
        "held-during-the-day",
        "settle-twice-changes-nothing",
        "clock-jump-over-several-cutoffs",
        "ads-offline-and-back-after-top-up",
        "la-midnight-summer-cutoff-1500",
        "la-midnight-winter-cutoff-1600",
        "la-midnight-dst-end-25h-window",
    ],
    # Edge cases and contract readings.
    "refusal order": [
        "refusal-order",
        "already-active-before-deadline-check",
        "not-paid-before-payment-date",
        "lapsed-without-self-test",
        "first-p4p-before-campaign-start",
    ],
    "finished stage": ["finished-after-last-waiver-day"],
    "rule variant": [
        "la-midnight-summer-cutoff-1500",
        "la-midnight-winter-cutoff-1600",
        "la-midnight-dst-end-25h-window",
    ],
    "contract example": ["contract-example-30k-tier"],
}


def test_there_are_enough_scenarios():
    assert len(FILES) >= 28


@pytest.mark.parametrize("rule", sorted(COVERAGE))
def test_coverage_table_names_existing_files(rule):
    for stem in COVERAGE[rule]:
        assert (SCENARIOS / f"{stem}.yaml").is_file(), f"{rule}: {stem} missing"


def test_every_scenario_is_in_the_coverage_table():
    listed = {stem for stems in COVERAGE.values() for stem in stems}
    unlisted = [path.name for path in FILES if path.stem not in listed]
    assert not unlisted, f"add these to COVERAGE: {unlisted}"


def test_every_engine_rule_is_covered():
    engine_rules = ["R1", "R2", "R5", *(f"R{n}" for n in range(11, 22))]
    for rule in engine_rules:
        assert COVERAGE.get(rule), f"no scenario covers {rule}"


@pytest.mark.parametrize("path", FILES, ids=[path.stem for path in FILES])
def test_scenario_passes(path):
    data = yamlio.load(path)
    assert isinstance(data.get("name"), str) and data["name"]
    description = data.get("description")
    assert isinstance(description, str) and description
    assert "\n" not in description.strip(), "description must be one line"
    assert isinstance(data.get("expect"), dict) and data["expect"], "empty expect"

    outcome = scenario.run_file(path, lang="en")
    assert outcome.expect is not None
    assert outcome.expect.failed == [], outcome.expect.failed
    assert outcome.expect.checked == len(data["expect"])
    assert outcome.exit_code == 0
    # The report is JSON as the command would print it.
    json.dumps(outcome.report, ensure_ascii=False)


@pytest.mark.parametrize(
    "stem", ["contract-example-30k-tier", "la-midnight-summer-cutoff-1500"]
)
def test_simulate_command_json(stem):
    path = SCENARIOS / f"{stem}.yaml"
    done = subprocess.run(
        [sys.executable, "-m", "app", "simulate", str(path), "--json"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    report = json.loads(done.stdout)  # one JSON object and nothing else
    assert isinstance(report, dict)
    assert done.stdout.strip().count("\n") == 0
    assert report["expect"] == {"checked": report["expect"]["checked"], "failed": []}


def test_simulate_command_human_report():
    path = SCENARIOS / "contract-example-30k-tier.yaml"
    done = subprocess.run(
        [sys.executable, "-m", "app", "simulate", str(path), "--lang", "en"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert "waiver" in done.stdout
    assert "150.00" in done.stdout
