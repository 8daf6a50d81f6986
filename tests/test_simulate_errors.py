"""`growth-plan simulate` on bad input: exit 2 and one clear line on stderr
naming the file and the action's position or key, never a traceback; a
failed expectation exits 1 and names the expected and the actual value."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from app import cli

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_RULES = ROOT / "content" / "rules.yaml"

BASE = """\
clock: 2026-07-01 09:00
account:
  first_p4p_date: 2026-07-01
  payment_date: 2026-07-01
  recharge: 10000
"""


def simulate(capsys, *argv: str) -> tuple[int, str, str]:
    """Run the command in-process; an exception escaping main() would be a
    traceback for the user and fails the test by itself."""
    code = cli.main(["simulate", *argv])
    out, err = capsys.readouterr()
    return code, out, err


def bad(capsys, path: Path, *fragments: str, argv: tuple[str, ...] = ()) -> str:
    code, out, err = simulate(capsys, str(path), "--json", *argv)
    assert code == 2, (out, err)
    assert out == ""
    assert err.endswith("\n") and err.count("\n") == 1, err
    assert "Traceback" not in err
    for fragment in fragments:
        assert fragment in err, (fragment, err)
    return err


def write(tmp_path: Path, text: str | bytes, name: str = "case.yaml") -> Path:
    path = tmp_path / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def with_actions(*lines: str) -> str:
    return BASE + "actions:\n" + "".join(f"  - {line}\n" for line in lines)


# ------------------------------------------------------------ file problems


def test_missing_file(tmp_path, capsys):
    path = tmp_path / "nowhere.yaml"
    bad(capsys, path, str(path), "no such file")


def test_folder_instead_of_file(tmp_path, capsys):
    bad(capsys, tmp_path, str(tmp_path), "folder")


def test_not_yaml(tmp_path, capsys):
    path = write(tmp_path, "clock: [2026-07-01\naccount: }\n")
    bad(capsys, path, str(path), "not valid YAML")


def test_binary_file(tmp_path, capsys):
    path = write(tmp_path, b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    bad(capsys, path, str(path), "binary")


def test_not_utf8(tmp_path, capsys):
    path = write(tmp_path, BASE.encode() + b"name: \xff\xfe\n")
    bad(capsys, path, str(path), "UTF-8")


@pytest.mark.parametrize("text", ["", "- a\n- b\n", "just text\n"])
def test_not_a_mapping(tmp_path, capsys, text):
    path = write(tmp_path, text)
    bad(capsys, path, str(path), "mapping")


# ----------------------------------------------------------- shape and keys


def test_missing_account(tmp_path, capsys):
    path = write(tmp_path, "clock: 2026-07-01 09:00\nactions: []\n")
    bad(capsys, path, str(path), "account", "missing")


def test_missing_clock(tmp_path, capsys):
    path = write(tmp_path, BASE.replace("clock: 2026-07-01 09:00\n", ""))
    bad(capsys, path, str(path), "clock", "missing")


@pytest.mark.parametrize("key", ["first_p4p_date", "payment_date", "recharge"])
def test_missing_account_key(tmp_path, capsys, key):
    text = "".join(line + "\n" for line in BASE.splitlines() if key not in line)
    path = write(tmp_path, text)
    bad(capsys, path, str(path), f"account.{key}", "missing")


def test_unknown_top_level_key(tmp_path, capsys):
    path = write(tmp_path, BASE + "expcet:\n  stage: ready\n")
    bad(capsys, path, str(path), "expcet", "unknown key")


def test_optional_rules_list_is_not_a_valid_key(tmp_path, capsys):
    path = write(tmp_path, BASE + "rules: [R1, R2]\n")
    bad(capsys, path, str(path), "rules")


def test_unknown_account_key(tmp_path, capsys):
    path = write(tmp_path, BASE + "  coupon: 5\n")
    bad(capsys, path, str(path), "account.coupon", "unknown key")


def test_unknown_top_up_key(tmp_path, capsys):
    path = write(tmp_path, with_actions("spend: 1", "top_up: {cash: 5, bonus: 3}"))
    bad(capsys, path, str(path), "actions[1]", "top_up", "bonus")


def test_unknown_action(tmp_path, capsys):
    path = write(tmp_path, with_actions("open_marketing_center", "fly: 3"))
    bad(capsys, path, str(path), "actions[1]", "unknown action", "fly")


def test_unknown_bare_action(tmp_path, capsys):
    path = write(tmp_path, with_actions("open_marketing_centre"))
    bad(capsys, path, str(path), "actions[0]", "open_marketing_centre")


def test_action_needing_a_value(tmp_path, capsys):
    path = write(tmp_path, with_actions("spend"))
    bad(capsys, path, str(path), "actions[0]", "spend")


def test_actions_not_a_list(tmp_path, capsys):
    path = write(tmp_path, BASE + "actions: {spend: 5}\n")
    bad(capsys, path, str(path), "actions")


# ------------------------------------------------------------- wrong values


@pytest.mark.parametrize(
    ("action", "fragments"),
    [
        ("add_products: many", ("actions[0]", "add_products")),
        ("add_keywords: 1.5", ("actions[0]", "add_keywords")),
        ("spend: lots", ("actions[0]", "spend", "lots")),
        ("spend: true", ("actions[0]", "spend")),
        ("advance: 5", ("actions[0]", "advance")),
        ("at: tomorrow", ("actions[0]", "at", "tomorrow")),
        ("self_test: 85", ("actions[0]", "self_test")),
        ("self_test: {mark: 85}", ("actions[0]", "self_test", "mark")),
        ("top_up: 500", ("actions[0]", "top_up")),
        ("activate_waiver: now", ("actions[0]", "activate_waiver")),
        ("set_info_score: high", ("actions[0]", "set_info_score")),
    ],
)
def test_wrong_type_in_action(tmp_path, capsys, action, fragments):
    path = write(tmp_path, with_actions(action))
    bad(capsys, path, str(path), *fragments)


@pytest.mark.parametrize(
    ("line", "key"),
    [
        ("  products: lots\n", "account.products"),
        ("  keywords: -3\n", "account.keywords"),
        ("  other_promotion: yes please\n", "account.other_promotion"),
        ("  red_packet: many\n", "account.red_packet"),
        ("  info_score: high\n", "account.info_score"),
    ],
)
def test_wrong_type_in_account(tmp_path, capsys, line, key):
    path = write(tmp_path, BASE + line)
    bad(capsys, path, str(path), key)


def test_bad_dates(tmp_path, capsys):
    path = write(tmp_path, BASE.replace("payment_date: 2026-07-01", "payment_date: x"))
    bad(capsys, path, str(path), "account.payment_date")
    path = write(tmp_path, BASE.replace("clock: 2026-07-01 09:00", "clock: noon"))
    bad(capsys, path, str(path), "clock")


def test_money_with_three_decimals(tmp_path, capsys):
    path = write(tmp_path, with_actions("spend: 1.00", "spend: 1.005"))
    bad(capsys, path, str(path), "actions[1]", "spend", "more than two decimals")


def test_money_with_three_decimals_in_account(tmp_path, capsys):
    path = write(tmp_path, BASE + "  cash: 100.001\n")
    bad(capsys, path, str(path), "account.cash", "more than two decimals")


def test_money_trailing_zero_decimals_are_fine(tmp_path, capsys):
    path = write(tmp_path, with_actions("spend: 1.500", "spend: '2.10'"))
    code, out, _ = simulate(capsys, str(path), "--json")
    assert code == 0
    assert json.loads(out)["balances"]["held"] == "3.60"


@pytest.mark.parametrize(
    ("text", "fragments"),
    [
        (with_actions("spend: -5"), ("actions[0]", "negative")),
        (with_actions("top_up: {cash: -1}"), ("actions[0]", "top_up", "negative")),
        (with_actions("top_up: {coupons: '-0.01'}"), ("actions[0]", "negative")),
        (BASE + "  cash: -1\n", ("account.cash", "negative")),
        (BASE.replace("recharge: 10000", "recharge: -10000"), ("account.recharge",)),
    ],
)
def test_negative_amount(tmp_path, capsys, text, fragments):
    path = write(tmp_path, text)
    bad(capsys, path, str(path), *fragments)


def test_time_going_backwards(tmp_path, capsys):
    path = write(tmp_path, with_actions("advance: 1h", "at: 2026-07-01 09:30"))
    err = bad(capsys, path, str(path), "actions[1]", "at")
    assert "back" in err


def test_time_equal_is_fine(tmp_path, capsys):
    path = write(tmp_path, with_actions("at: 2026-07-01 09:00", "advance: 0s"))
    code, _, _ = simulate(capsys, str(path), "--json")
    assert code == 0


@pytest.mark.parametrize("duration", ["1.5d", "1 d", "d", "-1h", "5w", "'1d 6h'", ""])
def test_malformed_duration(tmp_path, capsys, duration):
    path = write(tmp_path, with_actions("spend: 1", f"advance: {duration}"))
    bad(capsys, path, str(path), "actions[1]", "advance")


@pytest.mark.parametrize("score", ["101", "79.5", "-1", "'80'"])
def test_self_test_score_out_of_range(tmp_path, capsys, score):
    path = write(tmp_path, with_actions(f"self_test: {{score: {score}}}"))
    bad(capsys, path, str(path), "actions[0]", "self_test", "0 to 100")


@pytest.mark.parametrize("score", ["6", "5.01", "-0.5"])
def test_set_info_score_out_of_range(tmp_path, capsys, score):
    path = write(
        tmp_path, with_actions("open_marketing_center", f"set_info_score: {score}")
    )
    bad(capsys, path, str(path), "actions[1]", "set_info_score", "outside")


@pytest.mark.parametrize("score", ["7", "-1"])
def test_account_info_score_out_of_range(tmp_path, capsys, score):
    # Found by this suite: the account's starting score was not range-checked.
    path = write(tmp_path, BASE + f"  info_score: {score}\n")
    bad(capsys, path, str(path), "account.info_score", "outside")


def test_removing_more_products_than_exist(tmp_path, capsys):
    path = write(tmp_path, BASE + "  products: 3\nactions:\n  - add_products: -4\n")
    bad(capsys, path, str(path), "actions[0]", "add_products", "only 3")


def test_removing_more_keywords_than_exist(tmp_path, capsys):
    path = write(tmp_path, with_actions("add_keywords: 10", "add_keywords: -11"))
    bad(capsys, path, str(path), "actions[1]", "add_keywords")


def test_bad_rules_key_in_scenario(tmp_path, capsys):
    path = write(tmp_path, BASE + "rules: missing-rules.yaml\n")
    bad(capsys, path, "missing-rules.yaml", "no such file")


# ------------------------------------------------------------------- expect


@pytest.mark.parametrize("key", ["ledger[x].cash", "ledger..cash", "0stage", "a-b"])
def test_malformed_expect_path(tmp_path, capsys, key):
    path = write(tmp_path, BASE + f'expect:\n  "{key}": 1\n')
    bad(capsys, path, str(path), "expect", "malformed")


def test_expect_not_a_mapping(tmp_path, capsys):
    path = write(tmp_path, BASE + "expect: [stage]\n")
    bad(capsys, path, str(path), "expect")


def test_expect_path_missing_from_report(tmp_path, capsys):
    path = write(tmp_path, BASE + 'expect:\n  ledger[3].cash: "1.00"\n')
    code, out, err = simulate(capsys, str(path), "--json")
    assert code == 1
    assert err == ""
    failed = json.loads(out)["expect"]["failed"]
    assert failed[0]["key"] == "ledger[3].cash"
    assert failed[0]["expected"] == "1.00"


def test_expect_mismatch_names_expected_and_actual(tmp_path, capsys):
    text = BASE + 'expect:\n  stage: waiver\n  balances.cash: "10000.00"\n'
    path = write(tmp_path, text)
    code, out, err = simulate(capsys, str(path), "--json")
    assert code == 1
    assert err == ""
    report = json.loads(out)
    assert report["expect"] == {
        "checked": 2,
        "failed": [{"key": "stage", "expected": "waiver", "actual": "self_test"}],
    }
    # The human report says it too.
    code, out, _ = simulate(capsys, str(path), "--lang", "en")
    assert code == 1
    assert "waiver" in out and "self_test" in out


@pytest.mark.parametrize(
    ("expected", "ok"),
    [("100", False), ("10000.00", False), ('"10000.00"', True), ("null", False)],
)
def test_expect_compares_strictly_by_type(tmp_path, capsys, expected, ok):
    path = write(tmp_path, BASE + f"expect:\n  balances.cash: {expected}\n")
    code, _, _ = simulate(capsys, str(path), "--json")
    assert code == (0 if ok else 1)


def test_expect_three_equals_three_point_zero(tmp_path, capsys):
    path = write(tmp_path, BASE + "expect:\n  tasks.info_score.required: 3\n")
    assert simulate(capsys, str(path), "--json")[0] == 0


# -------------------------------------------------------------- rule files


def rule_variant(tmp_path: Path, old: str, new: str) -> Path:
    text = DEFAULT_RULES.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    path = tmp_path / "variant-rules.yaml"
    path.write_text(text.replace(old, new), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("old", "new", "key"),
    [
        ("campaign_start: 2026-07-01\n", "", "campaign_start"),
        ("  keywords: {required: 50}                 # R9\n", "", "tasks.keywords"),
        ("  pass_mark: 80 ", "  pass_mark: eighty ", "self_test.pass_mark"),
        ("  days: 30\n", "  days: thirty\n", "deadline.days"),
        ("  tie: cash", "  tie: nobody", "split.tie"),
        (
            "  - {recharge: 20000, daily_cap: 100, days: 20}\n"
            "  - {recharge: 30000, daily_cap: 100, days: 30}\n",
            "  - {recharge: 30000, daily_cap: 100, days: 30}\n"
            "  - {recharge: 20000, daily_cap: 100, days: 20}\n",
            "tiers[2].recharge",
        ),
        (
            "  - {recharge: 20000, daily_cap: 100, days: 20}\n",
            "  - {recharge: 10000, daily_cap: 100, days: 20}\n",
            "tiers[1].recharge",
        ),
        ("daily_cap: 200, days: 25}", "daily_cap: 2.005, days: 25}", "tiers[4]"),
        ("time_zone: Asia/Shanghai", "time_zone: Mars/Olympus", "time_zone"),
        ("  zone: Asia/Shanghai", "  zone: Pacific/Nowhere", "settlement.zone"),
        ("version: 1\n", "version: 1\ncolour: blue\n", "colour"),
    ],
    ids=[
        "missing-key",
        "missing-nested-key",
        "wrong-type",
        "wrong-type-days",
        "bad-choice",
        "unsorted-tiers",
        "overlapping-tiers",
        "tier-money-3-decimals",
        "unknown-time-zone",
        "unknown-cutoff-zone",
        "unknown-key",
    ],
)
def test_bad_rule_file(tmp_path, capsys, old, new, key):
    rules = rule_variant(tmp_path, old, new)
    scenario = write(tmp_path, BASE)
    bad(capsys, scenario, str(rules), key, argv=("--rules", str(rules)))


def test_rule_file_missing(tmp_path, capsys):
    scenario = write(tmp_path, BASE)
    missing = tmp_path / "no-rules.yaml"
    bad(capsys, scenario, str(missing), argv=("--rules", str(missing)))


def test_rule_file_not_yaml(tmp_path, capsys):
    rules = write(tmp_path, "tiers: [\n", name="broken-rules.yaml")
    scenario = write(tmp_path, BASE)
    bad(capsys, scenario, str(rules), "YAML", argv=("--rules", str(rules)))


def test_rule_file_given_in_scenario_is_checked_too(tmp_path, capsys):
    rule_variant(tmp_path, "time_zone: Asia/Shanghai", "time_zone: Nowhere/City")
    scenario = write(tmp_path, BASE + "rules: variant-rules.yaml\n")
    bad(capsys, scenario, "variant-rules.yaml", "time_zone")


# ------------------------------------------------------- through a process


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        (b"\x00\x01\x02binary", "binary"),
        (with_actions("spend: 1.005").encode(), "actions[0]"),
        (with_actions("advance: 2h", "at: 2026-07-01 10:00").encode(), "actions[1]"),
    ],
    ids=["binary", "three-decimals", "time-backwards"],
)
def test_bad_input_in_a_real_process(tmp_path, text, fragment):
    path = write(tmp_path, text)
    done = subprocess.run(
        [sys.executable, "-m", "app", "simulate", str(path), "--json"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
    )
    assert done.returncode == 2
    assert done.stdout == ""
    assert "Traceback" not in done.stderr
    lines = done.stderr.splitlines()
    assert len(lines) == 1, done.stderr
    assert str(path) in lines[0] and fragment in lines[0]


def test_expect_mismatch_in_a_real_process(tmp_path):
    path = write(tmp_path, BASE + "expect:\n  waiver.days_left: 9\n")
    done = subprocess.run(
        [sys.executable, "-m", "app", "simulate", str(path), "--json"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
    )
    assert done.returncode == 1
    report = json.loads(done.stdout)
    assert report["expect"]["failed"] == [
        {"key": "waiver.days_left", "expected": 9, "actual": 10}
    ]
