"""The fast reader for long action lists (yamlio.load_with_long_list) gives
exactly what the full YAML parser gives, or defers to it."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.core import yamlio
from app.core.errors import InputError

ROOT = Path(__file__).resolve().parent.parent


def strict(value):
    """A form that compares types too: 1 != 1.0 != Decimal(1) != True."""
    if isinstance(value, dict):
        return ("dict", tuple((strict(k), strict(v)) for k, v in value.items()))
    if isinstance(value, list):
        return ("list", tuple(strict(v) for v in value))
    return (type(value).__name__, value)


def both(text: str, tmp_path: Path | None = None):
    path = (tmp_path or Path("/nonexistent")) / "case.yaml"
    if tmp_path is not None:
        path.write_text(text, encoding="utf-8")
    results = []
    for reader in (
        yamlio.load,
        lambda p, t: yamlio.load_with_long_list(p, "actions", t),
    ):
        try:
            results.append(("ok", strict(reader(path, text))))
        except InputError as error:
            results.append(("error", str(error)))
    return results


@pytest.mark.parametrize(
    "path",
    sorted((ROOT / "content" / "scenarios").glob("*.yaml")),
    ids=lambda p: p.stem,
)
def test_shipped_scenarios_read_the_same(path):
    text = path.read_text(encoding="utf-8")
    fast, full = both(text)
    assert fast == full


HEAD = "clock: 2026-07-01 09:00\naccount: {recharge: 10000}\n"
TAIL = "expect:\n  stage: waiver\n"

# Lines the fast path reads itself (or with a one-line YAML parse) ...
PLAIN = [
    "- spend: 0.12",
    "- spend: 150",
    "- spend: 0",
    "- spend: 012",  # YAML 1.1 octal
    "- spend: 1_000",
    "- spend: 0x1f",
    "- spend: 1:30",  # sexagesimal
    "- spend: 1.5e3",
    "- spend: .5",
    "- spend: '0.12'",
    "- spend: 150.00  # comment",
    "- advance: 1m",
    "- advance: 1d6h",
    "- advance: 90m",
    "- at: 2026-07-02 17:00",
    "- at: 2026-07-02",
    "- activate_waiver",
    "- activate_waiver:",
    "- open_marketing_center",
    "- self_test: {score: 85}",
    "- self_test: {answers: [a, b, c]}",
    "- top_up: {cash: 5000, red_packet: 0}",
    "- spend: 5   ",
    "- {spend: 1, advance: 1m}",
    "- [1, 2]",
    "- !!str 5",
    "- spend: .inf",
    "- spend: -5",
    "- note: 'a # b'",
    '- note: "x: y"',
    "- on: 5",
    "- yes: 1",
    "- no: 1m",
    "- null: 3",
    "- spend:  5",
    "- ",
]
# ... and lines where it must give up or get an error right.
TRICKY = [
    "- note: |",
    "- note: >-",
    "- |+",
    "- note: &anchor 5",
    "- note: *anchor",
    "- <<: {a: 1}",
    "- - nested",
    "-",
    '- "unterminated',
    "- spend: [1,",
]
EXTRA = [
    "",
    "# a comment",
    "    # a deeper comment",
    "      continued",
    "  text: more",
    "\t- spend: 1",
    "---",
    "other: 1",
    "  - spend: 3",
]


@settings(max_examples=150, deadline=None, database=None)
@given(
    st.sampled_from(["", "  ", "    "]),
    st.lists(
        st.one_of(
            st.sampled_from(PLAIN),
            st.sampled_from(PLAIN),
            st.sampled_from(PLAIN),
            st.sampled_from(TRICKY),
            st.sampled_from(EXTRA),
        ),
        max_size=12,
    ),
    st.sampled_from(["\n", "\n", "\n", "\r\n"]),
    st.booleans(),
)
def test_random_lists_read_the_same(indent, lines, newline, trailing):
    body = "".join(
        (line if line in EXTRA else indent + line) + newline for line in lines
    )
    text = (HEAD + "actions:" + newline + body + (TAIL if trailing else "")).replace(
        "\n", newline
    )
    fast, full = both(text)
    assert fast == full


def test_the_fast_path_reads_a_long_list(monkeypatch):
    text = HEAD + "actions:\n" + "  - spend: 0.12\n  - advance: 1m\n" * 1000 + TAIL
    calls = []
    real_load = yamlio.load
    monkeypatch.setattr(yamlio, "load", lambda *a: calls.append(a) or real_load(*a))
    data = yamlio.load_with_long_list(Path("x.yaml"), "actions", text)
    assert calls == []  # the full parser was not needed
    assert len(data["actions"]) == 2000
    assert data["actions"][0] == {"spend": Decimal("0.12")}
    assert data["actions"][1] == {"advance": "1m"}
    assert list(data) == ["clock", "account", "actions", "expect"]


def test_errors_are_the_full_parsers(tmp_path):
    text = HEAD + "actions:\n  - spend: 1\n  - spend: [1,\n  - spend: 2\n"
    fast, full = both(text, tmp_path)
    assert fast == full and fast[0] == "error"
