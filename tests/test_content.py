"""Course content: the shipped files pass `check-content`; broken copies
fail it with the right `file:line`; worked numbers agree with the engine;
attempts are seeded and spread across the rules."""

from __future__ import annotations

import dataclasses
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from app.core import calc, content, scenario, yamlio
from app.core.errors import InputError
from app.core.rules import load_rules

ROOT = Path(__file__).resolve().parent.parent
CONTENT = ROOT / "content"
SCRIPT = ROOT / ".venv" / "bin" / "growth-plan"
RULES = load_rules()


def cli(*argv: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    command = [str(SCRIPT)] if SCRIPT.exists() else [sys.executable, "-m", "app"]
    return subprocess.run(
        [*command, *argv],
        capture_output=True,
        text=True,
        cwd=cwd or ROOT,
        timeout=120,
    )


def bank_data() -> dict[str, Any]:
    return yaml.safe_load((CONTENT / "questions.yaml").read_text(encoding="utf-8"))


def _number_ids() -> list[str]:
    try:
        data = bank_data()
        return [q["id"] for q in data["questions"] if q.get("kind") == "number"]
    except Exception:  # collection must not crash: test_shipped_content reports
        return []


# ============================================================ shipped content


def test_shipped_content_passes_check_content(tmp_path):
    result = cli("check-content", "--state-dir", str(tmp_path))
    assert result.returncode == 0, result.stdout + result.stderr
    lines = result.stdout.splitlines()
    assert len(lines) == 1 and lines[0].startswith("content OK:"), result.stdout
    assert result.stderr == ""


def test_shipped_content_has_no_problems_in_process():
    assert content.check_content(CONTENT, RULES) == []


@pytest.mark.parametrize("question_id", _number_ids())
def test_number_question_answer_is_what_the_engine_computes(question_id):
    """A rule or engine change that makes a worked-number question wrong
    fails here, naming the question."""
    question = content.load_bank(CONTENT).by_id(question_id)
    assert question.check is not None and question.value_of is not None
    args = {k: v for k, v in question.check.items() if k != "calc"}
    result = calc.evaluate(question.check["calc"], args, RULES)
    (answer,) = question.answer
    assert question.value_of[answer] == result
    assert [k for k, v in question.value_of.items() if v == result] == [answer]


def test_bank_has_number_questions_and_covers_every_rule():
    bank = content.load_bank(CONTENT)
    assert len(_number_ids()) >= 4
    assert {r for q in bank.questions for r in q.rules} == set(content.RULE_IDS)
    assert {q.kind for q in bank.questions} == set(content.KINDS)


@pytest.mark.parametrize("lang", content.LANGS)
def test_lesson_placeholders_all_render(lang):
    raw = content.load_lessons(CONTENT, lang)
    rendered = content.load_lessons(CONTENT, lang, RULES)
    assert [lesson.id for lesson in raw] == [lesson.id for lesson in rendered]
    placeholders = 0
    for before, after in zip(raw, rendered, strict=True):
        assert after.title
        for old, new in zip(before.sections, after.sections, strict=True):
            placeholders += len(list(content.iter_placeholders(old.markdown)))
            assert "{{" not in new.markdown and "calc error" not in new.markdown
    assert placeholders > 0


def test_lessons_match_across_languages():
    zh = {lesson.id: lesson for lesson in content.load_lessons(CONTENT, "zh")}
    en = {lesson.id: lesson for lesson in content.load_lessons(CONTENT, "en")}
    assert zh.keys() == en.keys()
    for lesson_id, lesson in en.items():
        assert zh[lesson_id].section_ids == lesson.section_ids


def test_rendered_numbers_come_from_the_rule_file(tmp_path):
    """Change a cap in the rule file: the lesson shows the new number."""
    text = (CONTENT / "rules.yaml").read_text(encoding="utf-8")
    variant = tmp_path / "rules.yaml"
    variant.write_text(
        text.replace(
            "{recharge: 30000, daily_cap: 100", "{recharge: 30000, daily_cap: 150"
        ),
        encoding="utf-8",
    )
    rules = load_rules(variant)
    markdown = "cap {{calc:tier_cap recharge=30000}}, waived "
    markdown += '{{calc:waived recharge=30000 spend="150.00"}}'
    assert content.render_calc(markdown, rules) == "cap 150.00, waived 150.00"
    assert content.render_calc(markdown, RULES) == "cap 100.00, waived 100.00"


def test_rule_change_that_breaks_a_question_fails_check_content(tmp_path):
    text = (CONTENT / "rules.yaml").read_text(encoding="utf-8")
    variant = tmp_path / "rules.yaml"
    variant.write_text(
        re.sub(r"daily_cap: 100\b", "daily_cap: 150", text), encoding="utf-8"
    )
    result = cli("check-content", "--rules", str(variant))
    assert result.returncode == 2, result.stdout
    assert "but the engine computes" in result.stdout
    assert re.search(r"questions\.yaml:\d+: questions\[\d+\]\.value_of", result.stdout)


def test_faq_glossary_catalog_load():
    faq = content.load_faq(CONTENT)
    assert faq and all(entry.q["zh"] and entry.a["en"] for entry in faq)
    terms = content.load_glossary(CONTENT)
    assert terms and all(term.text("zh") and term.note["en"] for term in terms)
    catalog = content.load_catalog(CONTENT)
    assert catalog.products and catalog.info_suggestions
    assert all(k.bid > 0 for p in catalog.products for k in p.keywords)
    assert all(s.gain > 0 for s in catalog.info_suggestions)


def test_section_lookup():
    bank = content.load_bank(CONTENT)
    link = bank.questions[0].lesson
    for lang in content.LANGS:
        found = content.section(link, lang, CONTENT, RULES)
        assert found.id == link.partition("#")[2] and found.heading
    with pytest.raises(InputError, match="no section 'nope'"):
        content.section(link.partition("#")[0] + "#nope", "en", CONTENT)
    with pytest.raises(InputError, match="no lesson"):
        content.section("nope#x", "en", CONTENT)


def test_core_content_imports_no_textual():
    code = (
        "import sys, app.core.content, app.core.calc; print('textual' in sys.modules)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT
    )
    assert result.stdout.strip() == "False", result.stderr


# ================================================================ attempts


def test_draw_attempt_is_deterministic_per_seed():
    bank = content.load_bank(CONTENT)

    def shape(attempt: content.Attempt) -> list[tuple[str, tuple[str, ...]]]:
        return [
            (item.question.id, tuple(o.key for o in item.options))
            for item in attempt.items
        ]

    first = content.draw_attempt(bank, RULES, 1234)
    assert shape(first) == shape(content.draw_attempt(bank, RULES, 1234))
    others = {tuple(shape(content.draw_attempt(bank, RULES, s))) for s in range(8)}
    assert len(others) > 1


@pytest.mark.parametrize("seed", range(20))
def test_draw_attempt_spreads_rules_and_shuffles(seed):
    bank = content.load_bank(CONTENT)
    attempt = content.draw_attempt(bank, RULES, seed)
    n = RULES.questions_per_attempt
    assert len(attempt.items) == n
    assert len(set(attempt.question_ids)) == n
    # Round-robin: every pick of the first round brings a rule not yet seen.
    assert len(attempt.rules) >= n
    for item in attempt.items:
        assert sorted(o.key for o in item.options) == sorted(item.question.option_keys)
        if item.question.kind == "true_false":
            assert item.options == item.question.options


def test_draw_attempt_options_are_shuffled_somewhere():
    bank = content.load_bank(CONTENT)
    moved = any(
        item.options != item.question.options
        for seed in range(5)
        for item in content.draw_attempt(bank, RULES, seed).items
    )
    assert moved


def test_draw_attempt_smaller_bank_takes_everything():
    bank = content.load_bank(CONTENT)
    rules = dataclasses.replace(RULES, questions_per_attempt=100)
    attempt = content.draw_attempt(bank, rules, 7)
    assert sorted(attempt.question_ids) == sorted(q.id for q in bank.questions)


def correct(question: content.Question) -> Any:
    keys = sorted(question.answer)
    return keys if question.kind == "multiple" else keys[0]


def wrong(question: content.Question) -> str:
    return next(k for k in question.option_keys if frozenset([k]) != question.answer)


def test_attempt_score():
    bank = content.load_bank(CONTENT)
    attempt = content.draw_attempt(bank, RULES, 99)
    answers = [correct(item.question) for item in attempt.items]
    n = len(answers)
    assert attempt.score(answers) == 100
    answers[0] = wrong(attempt.items[0].question)
    assert attempt.score(answers) == (n - 1) * 100 // n
    assert attempt.score(answers[:-1]) == (n - 2) * 100 // n  # unanswered: wrong
    assert attempt.score([]) == 0
    by_id = {item.question.id: correct(item.question) for item in attempt.items}
    assert attempt.score(by_id) == 100


def test_score_bank_order():
    bank = content.load_bank(CONTENT)
    total = len(bank.questions)
    answers = [correct(q) for q in bank.questions]
    assert bank.score_bank_order(answers) == 100
    assert bank.score_bank_order([]) == 0
    assert bank.score_bank_order(answers[:-3]) == (total - 3) * 100 // total
    answers[0] = wrong(bank.questions[0])
    assert bank.score_bank_order(answers) == (total - 1) * 100 // total
    with pytest.raises(InputError, match="given but the bank has"):
        bank.score_bank_order([*answers, "a"])


def test_response_forms():
    bank = content.load_bank(CONTENT)
    multiple = next(q for q in bank.questions if q.kind == "multiple")
    keys = sorted(multiple.answer)
    assert multiple.is_correct(keys)
    assert multiple.is_correct("".join(keys))
    assert multiple.is_correct(",".join(keys).upper())
    assert not multiple.is_correct(keys[:1] if len(keys) > 1 else [wrong(multiple)])
    true_false = next(q for q in bank.questions if q.kind == "true_false")
    assert true_false.is_correct(true_false.answer == frozenset({"t"}))
    assert not true_false.is_correct(None)
    with pytest.raises(InputError, match="not one of its options"):
        true_false.is_correct("z")


def test_scenario_self_test_answers_use_the_bank(tmp_path):
    bank = content.load_bank(CONTENT)
    answers = [correct(q) for q in bank.questions]
    answers[1] = wrong(bank.questions[1])
    path = tmp_path / "quiz.yaml"
    path.write_text(
        yaml.safe_dump(
            {
                "clock": "2026-07-01 09:00",
                "account": {
                    "first_p4p_date": "2026-07-01",
                    "payment_date": "2026-07-01",
                    "recharge": 10000,
                },
                "actions": [{"self_test": {"answers": answers}}],
            }
        ),
        encoding="utf-8",
    )
    outcome = scenario.run_file(path)
    total = len(bank.questions)
    assert outcome.report["self_test"]["best_score"] == (total - 1) * 100 // total


# ============================================================ broken copies


@pytest.fixture
def copy(tmp_path) -> Path:
    target = tmp_path / "content"
    shutil.copytree(CONTENT, target, ignore=shutil.ignore_patterns("scenarios"))
    return target


FAST_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
FAST_DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


def read_yaml(path: Path) -> Any:
    return yaml.load(path.read_text(encoding="utf-8"), Loader=FAST_LOADER)


def edit_yaml(path: Path, change) -> None:
    data = read_yaml(path)
    change(data)
    text = yaml.dump(data, Dumper=FAST_DUMPER, allow_unicode=True)
    path.write_text(text, encoding="utf-8")


def line(path: Path, keys: list[str | int]) -> int:
    found = yamlio.line_of(path, keys)
    assert found is not None
    return found


def index_of(path: Path, kind: str) -> int:
    data = read_yaml(path)
    return next(i for i, q in enumerate(data["questions"]) if q["kind"] == kind)


def expect_problem(folder: Path, where: str, fragment: str) -> str:
    result = cli("check-content", str(folder))
    assert result.returncode == 2, result.stdout + result.stderr
    hits = [p for p in result.stdout.splitlines() if p.startswith(where + ": ")]
    assert any(fragment in hit for hit in hits), (where, fragment, result.stdout)
    assert "Traceback" not in result.stderr
    return result.stdout


def test_broken_missing_zh(copy):
    path = copy / "questions.yaml"
    edit_yaml(path, lambda d: d["questions"][0]["prompt"].pop("zh"))
    expect_problem(
        copy,
        f"{path}:{line(path, ['questions', 0, 'prompt'])}",
        "questions[0].prompt: missing zh (Chinese) text",
    )


def test_broken_missing_en_in_an_option(copy):
    path = copy / "questions.yaml"
    edit_yaml(path, lambda d: d["questions"][2]["options"][1].pop("en"))
    where = f"{path}:{line(path, ['questions', 2, 'options', 1])}"
    expect_problem(path.parent, where, "missing en (English) text")


def test_broken_answer_not_among_options(copy):
    path = copy / "questions.yaml"
    i = index_of(path, "single")

    def change(data):
        data["questions"][i]["answer"] = "z"

    edit_yaml(path, change)
    expect_problem(
        copy,
        f"{path}:{line(path, ['questions', i, 'answer'])}",
        "answer 'z' is not among the options",
    )


def test_broken_wrong_number_answer(copy):
    path = copy / "questions.yaml"
    i = index_of(path, "number")
    data = read_yaml(path)
    other = next(
        k
        for k in data["questions"][i]["value_of"]
        if k != data["questions"][i]["answer"]
    )

    def change(data):
        data["questions"][i]["answer"] = other

    edit_yaml(path, change)
    expect_problem(
        copy,
        f"{path}:{line(path, ['questions', i, 'value_of', other])}",
        "but the engine computes",
    )


def test_broken_value_of_keys(copy):
    path = copy / "questions.yaml"
    i = index_of(path, "number")

    def change(data):
        data["questions"][i]["value_of"]["x"] = "1.00"

    edit_yaml(path, change)
    expect_problem(
        copy,
        f"{path}:{line(path, ['questions', i, 'value_of'])}",
        "x not among the options",
    )


def test_broken_dangling_lesson_link(copy):
    path = copy / "questions.yaml"
    lesson = read_yaml(path)["questions"][0]["lesson"]
    broken = lesson.partition("#")[0] + "#no-such-section"

    def change(data):
        data["questions"][0]["lesson"] = broken

    edit_yaml(path, change)
    expect_problem(
        copy,
        f"{path}:{line(path, ['questions', 0, 'lesson'])}",
        "has no section 'no-such-section'",
    )


def test_broken_faq_link(copy):
    path = copy / "faq.yaml"

    def change(data):
        data["faq"][0]["lesson"] = "nowhere#intro"

    edit_yaml(path, change)
    expect_problem(
        copy, f"{path}:{line(path, ['faq', 0, 'lesson'])}", "no lesson 'nowhere'"
    )


def test_broken_rule_no_longer_covered(copy):
    path = copy / "questions.yaml"
    data = read_yaml(path)
    counts = {
        r: sum(r in q["rules"] for q in data["questions"]) for r in content.RULE_IDS
    }
    rule = min(counts, key=counts.__getitem__)
    spare = next(r for r in content.RULE_IDS if r != rule)

    def change(data):
        for q in data["questions"]:
            q["rules"] = [r for r in q["rules"] if r != rule] or [spare]

    edit_yaml(path, change)
    expect_problem(
        copy, f"{path}:{line(path, ['questions'])}", f"no question checks {rule}"
    )


def test_broken_unknown_calc_in_a_lesson(copy):
    path = next(
        p
        for p in sorted((copy / "lessons" / "en").glob("*.md"))
        if "{{calc:" in p.read_text(encoding="utf-8")
    )
    lines = path.read_text(encoding="utf-8").splitlines()
    number = next(n for n, text in enumerate(lines) if "{{calc:" in text)
    lines[number] = re.sub(
        r"\{\{calc:\w+", "{{calc:no_such_calc", lines[number], count=1
    )
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    expect_problem(copy, f"{path}:{number + 1}", "unknown calc 'no_such_calc'")


def test_broken_unknown_calc_in_a_question(copy):
    path = copy / "questions.yaml"
    i = index_of(path, "number")

    def change(data):
        data["questions"][i]["check"]["calc"] = "nope"

    edit_yaml(path, change)
    expect_problem(
        copy,
        f"{path}:{line(path, ['questions', i, 'check', 'calc'])}",
        "unknown calc 'nope'",
    )


def test_broken_calc_argument_in_a_lesson(copy):
    path = copy / "lessons" / "zh" / "step3.md"
    text = path.read_text(encoding="utf-8")
    path.write_text(text + "\n坏的 {{calc:tier_cap amount=1}}\n", encoding="utf-8")
    number = len((text + "\n坏的").splitlines())
    expect_problem(copy, f"{path}:{number}", "unknown argument 'amount'")


def test_broken_invalid_yaml(copy):
    path = copy / "glossary.yaml"
    at = line(path, ["terms", 1])
    lines = path.read_text(encoding="utf-8").splitlines()
    lines.insert(at - 1, "  oops: [1, 2")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    expect_problem(copy, f"{path}:{at}", "not valid YAML")


def test_broken_section_id_mismatch(copy):
    zh = copy / "lessons" / "zh" / "step1.md"
    en = copy / "lessons" / "en" / "step1.md"
    text = zh.read_text(encoding="utf-8")
    first = re.search(r"<!-- section: ([\w-]+) -->", text)
    assert first is not None
    old = first.group(1)
    zh.write_text(
        text.replace(first.group(0), "<!-- section: renamed -->", 1), encoding="utf-8"
    )
    en_line = 1 + en.read_text(encoding="utf-8").splitlines().index(
        f"<!-- section: {old} -->"
    )
    out = expect_problem(
        copy, f"{zh}:1", f"section '{old}' is missing ({en}:{en_line} has it)"
    )
    assert f"{en}:1: section 'renamed' is missing" in out


def test_broken_missing_lesson_file(copy):
    (copy / "lessons" / "zh" / "status.md").unlink()
    expect_problem(copy, f"{copy / 'lessons' / 'zh' / 'status.md'}", "missing")


def test_broken_heading_without_section_line(copy):
    path = copy / "lessons" / "en" / "step2.md"
    lines = path.read_text(encoding="utf-8").splitlines()
    marker = next(n for n, t in enumerate(lines) if t.startswith("<!-- section:"))
    heading = next(n for n in range(marker, len(lines)) if lines[n].startswith("## "))
    del lines[marker]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    expect_problem(copy, f"{path}:{heading}", "has no '<!-- section: id -->' line")


def test_broken_catalog_bid_and_duplicate_id(copy):
    path = copy / "catalog.yaml"

    def change(data):
        data["products"][0]["keywords"][0]["bid"] = "1.234"
        data["products"][1]["id"] = data["products"][0]["id"]

    edit_yaml(path, change)
    bid = ["products", 0, "keywords", 0, "bid"]
    out = expect_problem(copy, f"{path}:{line(path, bid)}", "more than two decimals")
    assert f"{path}:{line(path, ['products', 1, 'id'])}: " in out
    assert "duplicate id" in out


def test_broken_true_false_keys_and_unknown_key(copy):
    path = copy / "questions.yaml"
    i = index_of(path, "true_false")

    def change(data):
        data["questions"][i]["options"][0]["key"] = "y"
        data["questions"][i]["answer"] = "y"
        data["questions"][0]["hint"] = "typo"

    edit_yaml(path, change)
    out = expect_problem(
        copy,
        f"{path}:{line(path, ['questions', i, 'options'])}",
        "true/false keys must be t and f",
    )
    assert f"{path}:{line(path, ['questions', 0, 'hint'])}: " in out


def test_missing_content_folder(tmp_path):
    result = cli("check-content", str(tmp_path / "nowhere"))
    assert result.returncode == 2
    assert "no such folder" in result.stdout


def test_loader_raises_first_problem(copy):
    path = copy / "questions.yaml"
    edit_yaml(path, lambda d: d["questions"][0]["prompt"].pop("en"))
    with pytest.raises(
        InputError, match=r"questions\.yaml:\d+: questions\[0\]\.prompt"
    ):
        content.load_bank(copy)


# ========================================================== own mini fixture


MINI_QUESTIONS = """\
version: 1
questions:
  - id: m1
    rules: [R1, R2, R3, R4, R5, R6, R7, R8, R9, R10, R11]
    kind: single
    lesson: intro#one
    prompt: {zh: "问题", en: "Pick one"}
    options:
      - {key: a, zh: "甲", en: "Yes"}
      - {key: b, zh: "乙", en: "No"}
    answer: a
    explain: {zh: "因为", en: "Because"}
  - id: m2
    rules: [R12, R13, R14, R15, R16, R17, R18, R19, R20, R21, R22]
    kind: number
    lesson: intro#two
    prompt: {zh: "上限？", en: "The cap?"}
    options:
      - {key: a, zh: "100.00元", en: "100.00"}
      - {key: b, zh: "200.00元", en: "200.00"}
    answer: a
    explain: {zh: "表", en: "The table"}
    check: {calc: tier_cap, recharge: 30000}
    value_of: {a: "100.00", b: "200.00"}
  - id: m3
    rules: [R5]
    kind: true_false
    lesson: intro#one
    prompt: {zh: "对吗？", en: "True?"}
    options:
      - {key: t, zh: "对", en: "True"}
      - {key: f, zh: "错", en: "False"}
    answer: t
    explain: {zh: "对", en: "Yes"}
"""

MINI_LESSON = """\
# {title}

<!-- section: one -->
## {one}

{text} {{{{calc:tier_days recharge=30000}}}}

<!-- section: two -->

## {two}

{text}
"""


@pytest.fixture
def mini(tmp_path) -> Path:
    folder = tmp_path / "mini"
    (folder / "lessons" / "en").mkdir(parents=True)
    (folder / "lessons" / "zh").mkdir(parents=True)
    (folder / "questions.yaml").write_text(MINI_QUESTIONS, encoding="utf-8")
    (folder / "lessons" / "en" / "intro.md").write_text(
        MINI_LESSON.format(title="Intro", one="One", two="Two", text="Days:"),
        encoding="utf-8",
    )
    (folder / "lessons" / "zh" / "intro.md").write_text(
        MINI_LESSON.format(title="介绍", one="一", two="二", text="天数："),
        encoding="utf-8",
    )
    (folder / "faq.yaml").write_text(
        "version: 1\nfaq:\n  - {id: f1, rules: [R1], lesson: intro#two,"
        ' q: {zh: "问", en: "Q"}, a: {zh: "答", en: "A"}}\n',
        encoding="utf-8",
    )
    (folder / "glossary.yaml").write_text(
        'version: 1\nterms:\n  - {id: p4p, zh: "直通车", en: "P4P",'
        ' note: {zh: "广告", en: "Ads"}}\n',
        encoding="utf-8",
    )
    (folder / "catalog.yaml").write_text(
        "version: 1\nproducts:\n  - id: p1\n"
        '    name: {zh: "灯", en: "Lamp"}\n    category: {zh: "照明", en: "Lighting"}\n'
        '    keywords:\n      - {zh: "灯", en: "lamp", bid: "1.20"}\n'
        "info_suggestions:\n"
        '  - {id: s1, title: {zh: "图", en: "Photo"}, detail: {zh: "加图", en: "Add"},'
        " gain: 0.3}\n",
        encoding="utf-8",
    )
    return folder


MINI_RULES = dataclasses.replace(RULES, questions_per_attempt=3)


def test_mini_content_is_valid(mini):
    assert content.check_content(mini, MINI_RULES) == []
    bank = content.load_bank(mini)
    assert [q.id for q in bank.questions] == ["m1", "m2", "m3"]
    assert bank.questions[1].value_of == {"a": "100.00", "b": "200.00"}
    assert bank.score_bank_order(["a", "a", True]) == 100
    assert bank.score_bank_order(["a", "b"]) == 33
    (lesson,) = content.load_lessons(mini, "en", RULES)
    assert lesson.title == "Intro"
    assert [(s.id, s.heading, s.line) for s in lesson.sections] == [
        ("one", "One", 3),
        ("two", "Two", 8),
    ]
    assert lesson.sections[0].markdown == "Days: 30"
    assert content.load_catalog(mini).products[0].keywords[0].bid == 120
    assert content.load_catalog(mini).info_suggestions[0].gain == 30
    assert content.load_glossary(mini)[0].text("zh") == "直通车"
    assert content.load_faq(mini)[0].lesson == "intro#two"


def test_mini_too_small_for_an_attempt(mini):
    problems = content.check_content(mini, RULES)
    assert problems == [
        f"{mini / 'questions.yaml'}:2: questions: 3 questions, fewer than "
        f"the 10 an attempt draws ({RULES.source})"
    ]


def test_mini_zh_copy_of_english_is_flagged(mini):
    path = mini / "questions.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace('zh: "问题"', 'zh: "Pick one"'),
        encoding="utf-8",
    )
    (problem,) = content.check_content(mini, MINI_RULES)
    assert problem.startswith(f"{path}:7: questions[0].prompt.zh: zh text is")


def test_mini_lesson_problems(mini):
    path = mini / "lessons" / "en" / "intro.md"
    path.write_text(
        "No title\n<!-- section: one -->\n## One\n<!-- sektion: x -->\n"
        "<!-- section: one -->\n## Again\n{{calc:tier_cap}}\n{{calc tier_cap}}\n"
        "<!-- section: two -->\ntext\n",
        encoding="utf-8",
    )
    problems = content.check_content(mini, MINI_RULES)
    expected = [
        f"{path}:1: the first line must be the lesson title",
        f"{path}:4: malformed section line",
        f"{path}:5: duplicate section id 'one'",
        f"{path}:7: calc tier_cap: missing argument 'recharge'",
        f"{path}:8: unrecognised placeholder",
        f"{path}:9: section line not followed by a '## Heading' line",
    ]
    for fragment in expected:
        assert any(p.startswith(fragment) for p in problems), (fragment, problems)


def test_mini_hostile_values_are_problems_not_crashes(mini):
    path = mini / "questions.yaml"
    text = path.read_text(encoding="utf-8")
    text = text.replace(
        "rules: [R1, R2, R3, R4, R5, R6, R7, R8, R9, R10, R11]",
        "rules: [R1, R2, R3, R4, R5, R6, R7, R8, R9, R10, R11, {R1: x}, [R2]]",
    )
    text = text.replace("recharge: 30000}", 'recharge: 30000, "a\\nb": 1}')
    path.write_text(text, encoding="utf-8")
    problems = content.check_content(mini, MINI_RULES)
    assert f"{path}:4: questions[0].rules[11]: unknown rule a mapping" in "\n".join(
        problems
    )
    assert all("\n" not in problem for problem in problems)
    assert any("unknown argument 'a\\nb'" in problem for problem in problems)


def test_mini_far_dates_and_gains(mini):
    path = mini / "questions.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(
        text.replace(
            "check: {calc: tier_cap, recharge: 30000}",
            'check: {calc: deadline, payment_date: "9999-12-30"}',
        ),
        encoding="utf-8",
    )
    catalog = mini / "catalog.yaml"
    catalog.write_text(
        catalog.read_text(encoding="utf-8").replace("gain: 0.3", "gain: 1.0e999999"),
        encoding="utf-8",
    )
    problems = content.check_content(mini, MINI_RULES)
    assert any("questions[1].check: calc deadline:" in p for p in problems), problems
    assert any("info_suggestions[0].gain" in p for p in problems), problems


def test_questions_the_active_rules_disagree_with_are_never_drawn():
    """Under a variant rule file a worked-number question whose answer the
    engine no longer computes would be graded wrongly: it is left out."""
    bank = content.load_bank()
    assert content.questions_left_out(bank, RULES) == ()
    variant = load_rules(content.CONTENT_DIR / "rules" / "cutoff-la-midnight.yaml")
    left_out = content.questions_left_out(bank, variant)
    assert set(left_out) == {"q44", "q45", "q46", "q47"}
    for qid in left_out:
        assert not content.number_holds(bank.by_id(qid), variant)
        assert content.number_holds(bank.by_id(qid), RULES)
    assert content.questions_left_out(bank, variant) is left_out  # cached
    for seed in range(40):
        attempt = content.draw_attempt(bank, variant, seed)
        assert len(attempt.items) == variant.questions_per_attempt
        assert not set(attempt.question_ids) & set(left_out)
        for item in attempt.items:
            assert content.number_holds(item.question, variant)
    # The default rules draw exactly what they drew before.
    assert any(
        set(content.draw_attempt(bank, RULES, seed).question_ids) & set(left_out)
        for seed in range(40)
    )
