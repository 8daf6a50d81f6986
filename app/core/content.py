"""Course content: question bank, lessons, FAQ, glossary, catalog.

Everything is read from the content folder (default: the repo's `content/`)
when asked for, never cached across runs, so a trainer can edit the files
and see the change on the next start without touching Python.

Every loader checks its file fully. `load_*` raise `InputError` with the
first problem (one line, `file:line: what is wrong`); `check_content`
collects every problem of every file, plus the checks across files: lesson
links, both languages, rule coverage, and worked numbers recomputed by the
engine (`app.core.calc`).

No Textual here: the core imports none (a test proves it).
"""

from __future__ import annotations

import random
import re
import shlex
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml

from app.core import calc, money, yamlio
from app.core.errors import InputError
from app.core.rules import CONTENT_DIR, Rules

LANGS = ("zh", "en")
LANG_NAMES = {"zh": "Chinese", "en": "English"}
RULE_IDS = tuple(f"R{number}" for number in range(1, 23))
KINDS = ("single", "multiple", "true_false", "number")
TRUE_FALSE_KEYS = ("t", "f")
MIN_OPTIONS, MAX_OPTIONS = 2, 6
# Lessons in reading order; any other lesson follows, by name.
LESSON_ORDER = ("overview", "step1", "step2", "step3", "status", "p4p-basics")

_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]*")
_SECTION_MARK = re.compile(r"<!--\s*section:\s*(.*?)\s*-->")
_PLACEHOLDER = re.compile(r"\{\{\s*calc:(.*?)\}\}")
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_ENGLISH_WORDS = re.compile(r"[A-Za-z]{2,}\W+[A-Za-z]{2,}")
_NEAR_MARK = re.compile(r"\s*<!--\s*(se\w*\s*:|.*section)", re.IGNORECASE)
_COMPOSER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def content_dir_or_default(content_dir: Path | str | None) -> Path:
    return Path(content_dir) if content_dir is not None else CONTENT_DIR


# ================================================================== types


@dataclass(frozen=True, slots=True)
class Option:
    """One answer option; `key` is what answers and `answer` name."""

    key: str
    zh: str
    en: str

    def text(self, lang: str) -> str:
        return self.zh if lang == "zh" else self.en


@dataclass(frozen=True)
class Question:
    """One question of the bank. `prompt` and `explain` map lang -> text;
    `answer` is the set of correct keys (one key but for `multiple`).
    `check` is the raw `{calc: NAME, ...args}` of a number question and
    `value_of` maps its option keys to the values they stand for."""

    id: str
    rules: tuple[str, ...]
    kind: str
    lesson: str
    prompt: Mapping[str, str]
    options: tuple[Option, ...]
    answer: frozenset[str]
    explain: Mapping[str, str]
    check: Mapping[str, Any] | None = None
    value_of: Mapping[str, str] | None = None

    @property
    def option_keys(self) -> tuple[str, ...]:
        return tuple(option.key for option in self.options)

    def option(self, key: str) -> Option:
        for option in self.options:
            if option.key == key:
                return option
        raise KeyError(key)

    def responses(self, response: Any) -> frozenset[str] | None:
        """A response as a set of option keys; None when unanswered.

        Accepts a key (`"b"`), for `multiple` a list of keys or a string of
        one-letter keys (`"ac"`, `"a,c"`), and YAML true/false for a
        true/false question. InputError for a key that is not an option.
        """
        if response is None or response == "" or response == []:
            return None
        if isinstance(response, bool):
            items: list[Any] = [TRUE_FALSE_KEYS[0] if response else "f"]
        elif isinstance(response, str):
            text = response.strip()
            if self.kind == "multiple" and text not in self.option_keys:
                items = [part for part in re.split(r"[\s,;]+", text) if part]
                if len(items) == 1:
                    items = list(items[0])
            else:
                items = [text]
        elif isinstance(response, list | tuple | set | frozenset):
            items = list(response)
        elif isinstance(response, int | Decimal):
            items = [str(response)]
        else:
            raise InputError(f"{self.id}: {response!r} is not an answer")
        keys: set[str] = set()
        for item in items:
            key = _response_key(item)
            if key not in self.option_keys and key.lower() in self.option_keys:
                key = key.lower()
            if key not in self.option_keys:
                raise InputError(
                    f"{self.id}: answer {item!r} is not one of its options "
                    f"({', '.join(self.option_keys)})"
                )
            keys.add(key)
        return frozenset(keys)

    def is_correct(self, response: Any) -> bool:
        return self.responses(response) == self.answer


def _response_key(item: Any) -> str:
    if isinstance(item, bool):
        return "t" if item else "f"
    if isinstance(item, str):
        return item.strip()
    if isinstance(item, int | Decimal):
        return str(item)
    raise InputError(f"{item!r} is not an option key")


@dataclass(frozen=True)
class QuestionBank:
    path: Path
    questions: tuple[Question, ...]

    def __len__(self) -> int:
        return len(self.questions)

    def by_id(self, question_id: str) -> Question:
        for question in self.questions:
            if question.id == question_id:
                return question
        raise KeyError(question_id)

    def score_bank_order(self, answers: Sequence[Any]) -> int:
        """Score out of 100 of answers given in bank order. Questions past
        the end of `answers`, and None entries, count as wrong."""
        if not self.questions:
            raise InputError(f"{self.path}: the question bank is empty")
        if len(answers) > len(self.questions):
            raise InputError(
                f"answers: {len(answers)} given but the bank has "
                f"{len(self.questions)} questions"
            )
        correct = sum(
            question.is_correct(answer)
            for question, answer in zip(self.questions, answers, strict=False)
        )
        return correct * 100 // len(self.questions)


@dataclass(frozen=True)
class AttemptItem:
    """A drawn question and its options in the order shown."""

    question: Question
    options: tuple[Option, ...]


@dataclass(frozen=True)
class Attempt:
    """One drawn self-test: the same seed and bank give the same attempt,
    so a review shows exactly what was asked."""

    seed: int | str
    items: tuple[AttemptItem, ...]

    @property
    def question_ids(self) -> tuple[str, ...]:
        return tuple(item.question.id for item in self.items)

    @property
    def rules(self) -> frozenset[str]:
        return frozenset(rule for item in self.items for rule in item.question.rules)

    def marks(self, answers: Sequence[Any] | Mapping[str, Any]) -> list[bool]:
        """Right or wrong per item. `answers` is in attempt order, or maps
        question id -> response; a missing answer is wrong."""
        if isinstance(answers, Mapping):
            given = [answers.get(item.question.id) for item in self.items]
        else:
            if len(answers) > len(self.items):
                raise InputError(
                    f"{len(answers)} answers for {len(self.items)} questions"
                )
            given = [*answers, *[None] * (len(self.items) - len(answers))]
        return [
            item.question.is_correct(answer)
            for item, answer in zip(self.items, given, strict=True)
        ]

    def score(self, answers: Sequence[Any] | Mapping[str, Any]) -> int:
        """Out of 100: correct * 100 // number of questions."""
        return sum(self.marks(answers)) * 100 // len(self.items)


@dataclass(frozen=True, slots=True)
class Section:
    id: str
    heading: str
    markdown: str
    line: int  # of the `<!-- section: id -->` line


@dataclass(frozen=True)
class Lesson:
    id: str
    lang: str
    title: str
    sections: tuple[Section, ...]
    path: Path
    intro: str = ""  # text between the title and the first section

    def section(self, section_id: str) -> Section:
        for section in self.sections:
            if section.id == section_id:
                return section
        raise KeyError(section_id)

    @property
    def section_ids(self) -> tuple[str, ...]:
        return tuple(section.id for section in self.sections)


@dataclass(frozen=True)
class FaqEntry:
    id: str
    rules: tuple[str, ...]
    q: Mapping[str, str]
    a: Mapping[str, str]
    lesson: str


@dataclass(frozen=True)
class Term:
    id: str
    zh: str
    en: str
    note: Mapping[str, str]

    def text(self, lang: str) -> str:
        return self.zh if lang == "zh" else self.en


@dataclass(frozen=True, slots=True)
class Keyword:
    zh: str
    en: str
    bid: int  # fen per click

    def text(self, lang: str) -> str:
        return self.zh if lang == "zh" else self.en


@dataclass(frozen=True)
class Product:
    id: str
    name: Mapping[str, str]
    category: Mapping[str, str]
    keywords: tuple[Keyword, ...]


@dataclass(frozen=True)
class InfoSuggestion:
    id: str
    title: Mapping[str, str]
    detail: Mapping[str, str]
    gain: int  # hundredths of a point, like the engine's info_score


@dataclass(frozen=True)
class Catalog:
    products: tuple[Product, ...]
    info_suggestions: tuple[InfoSuggestion, ...]


@dataclass
class ContentReport:
    """What `check_content` found: problems, and counts for a summary."""

    problems: list[str] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)

    def summary(self) -> str:
        parts = [f"{count} {name}" for name, count in self.counts.items()]
        return "content OK: " + ", ".join(parts)


# ================================================================= YAML


_kind_of = yamlio.describe


class _Doc:
    """One YAML content file being checked: each problem is recorded as
    `file:line: key.path: what is wrong`, and checking goes on."""

    def __init__(self, path: Path, problems: list[str]) -> None:
        self.path = path
        self.problems = problems
        self._root: yaml.Node | None = None
        self._composed = False

    def add(self, keys: list[str | int], problem: str) -> None:
        self.problems.append(f"{self.where(keys)}: {problem}")

    def where(self, keys: list[str | int]) -> str:
        """`yamlio.where`, but the file is composed once (with libyaml when
        present), not once per problem: a broken copy can have hundreds."""
        if not self._composed:
            self._composed = True
            try:
                text = yamlio.read_text(self.path)
                self._root = yaml.compose(text, Loader=_COMPOSER)
            except (yaml.YAMLError, InputError, RecursionError):
                self._root = None
        return yamlio.where(self.path, keys, yamlio.line_in(self._root, keys))

    def load(self, lists: tuple[str, ...]) -> dict[str, Any] | None:
        """The file's top mapping: `version: 1` and each of `lists`."""
        try:
            data = yamlio.load(self.path)
        except InputError as error:
            self.problems.append(str(error))
            return None
        except RecursionError:
            self.problems.append(f"{self.path}: not valid YAML (nested too deeply)")
            return None
        expected = ", ".join(f"{name}:" for name in lists)
        if not isinstance(data, dict):
            self.add([], f"expected a mapping with version: 1 and {expected}")
            return None
        for key in data:
            if key not in ("version", *lists):
                self.add([key], f"unknown key (expected version, {expected})")
        version = data.get("version")
        if "version" not in data:
            self.add([], "missing key 'version' (write version: 1)")
        elif version != 1 or isinstance(version, bool):
            self.add(["version"], f"unsupported version {version!r} (expected 1)")
        for name in lists:
            if name not in data:
                self.add([], f"missing key {name!r}")
            elif not isinstance(data[name], list):
                self.add([name], f"expected a list, got {_kind_of(data[name])}")
        return data

    def fields(
        self,
        node: Any,
        keys: list[str | int],
        required: tuple[str, ...],
        optional: tuple[str, ...] = (),
    ) -> dict[str, Any] | None:
        """`node` as a mapping with exactly these keys; None if not one.
        Missing and unknown keys are recorded, the mapping still returned."""
        if not isinstance(node, dict):
            self.add(
                keys,
                f"expected a mapping with {', '.join(required)}, got {_kind_of(node)}",
            )
            return None
        allowed = (*required, *optional)
        for key in node:
            if key not in allowed:
                self.add([*keys, key], f"unknown key (expected {', '.join(allowed)})")
        for key in required:
            if key not in node:
                self.add(keys, f"missing key {key!r}")
        return node

    def text(self, node: dict[str, Any], keys: list[str | int], key: str) -> str | None:
        """Non-empty text at node[key] (a missing key is already recorded)."""
        if key not in node:
            return None
        value = node[key]
        if not isinstance(value, str):
            self.add([*keys, key], f"expected text, got {_kind_of(value)}")
            return None
        if not value.strip():
            self.add([*keys, key], "is empty")
            return None
        return value

    def ident(
        self, node: dict[str, Any], keys: list[str | int], seen: dict[str, int]
    ) -> str | None:
        """A unique id at node['id']; `seen` maps ids to their index."""
        value = node.get("id")
        if "id" not in node:
            return None
        if not isinstance(value, str) or not _ID.fullmatch(value):
            self.add(
                [*keys, "id"],
                f"expected an id (letters, digits, - _ .), got {_kind_of(value)}",
            )
            return None
        if value in seen:
            first = self.where([*keys[:-1], seen[value], "id"]).partition(": ")[0]
            self.add([*keys, "id"], f"duplicate id {value!r} (first at {first})")
            return None
        seen[value] = keys[-1] if isinstance(keys[-1], int) else 0
        return value

    def langs(self, node: dict[str, Any], keys: list[str | int]) -> dict[str, str]:
        """The zh and en texts of a mapping that holds them among other keys
        (an option, a term, a keyword). Missing ones are recorded."""
        texts: dict[str, str] = {}
        for lang in LANGS:
            if lang not in node:
                self.add(keys, f"missing {lang} ({LANG_NAMES[lang]}) text")
                continue
            value = self.text(node, keys, lang)
            if value is not None:
                texts[lang] = value
        if (
            len(texts) == 2
            and texts["zh"].strip() == texts["en"].strip()
            and _ENGLISH_WORDS.search(texts["en"])
            and not _CJK.search(texts["zh"])
        ):
            self.add([*keys, "zh"], "zh text is the English text, not Chinese")
            del texts["zh"]
        return texts

    def bilingual(self, node: Any, keys: list[str | int]) -> dict[str, str] | None:
        """A `{zh: ..., en: ...}` mapping, both non-empty; None if not."""
        if not isinstance(node, dict):
            self.add(keys, f"expected {{zh: ..., en: ...}}, got {_kind_of(node)}")
            return None
        for key in node:
            if key not in LANGS:
                self.add([*keys, key], "unknown language (expected zh and en)")
        texts = self.langs(node, keys)
        return texts if len(texts) == 2 else None

    def rule_ids(
        self, node: Any, keys: list[str | int], allow_empty: bool = False
    ) -> tuple[str, ...] | None:
        if not isinstance(node, list) or (not node and not allow_empty):
            self.add(
                keys, f"expected a list of rule ids like [R5], got {_kind_of(node)}"
            )
            return None
        ok = True
        for index, rule in enumerate(node):
            if not isinstance(rule, str) or rule not in RULE_IDS:
                self.add(
                    [*keys, index],
                    f"unknown rule {_kind_of(rule)} (expected R1 ... R22)",
                )
                ok = False
        if ok and len(set(node)) != len(node):
            self.add(keys, "a rule is listed twice")
            ok = False
        return tuple(node) if ok else None

    def link(self, node: dict[str, Any], keys: list[str | int]) -> str | None:
        value = self.text(node, keys, "lesson")
        if value is None:
            return None
        lesson, _, section_id = value.partition("#")
        if not _ID.fullmatch(lesson) or not _ID.fullmatch(section_id):
            self.add(
                [*keys, "lesson"],
                f"{value!r} is not a lesson link (write <lesson>#<section>)",
            )
            return None
        return value


# ======================================================= question bank


@dataclass
class _BankParse:
    bank: QuestionBank
    index: dict[str, int]  # question id -> position in the file's list
    # Rules named and questions written, valid or not: a typo in one
    # question is reported once, not again as a rule left uncovered.
    named_rules: set[str] = field(default_factory=set)
    entries: int = 0


def _parse_bank(path: Path, problems: list[str]) -> _BankParse:
    doc = _Doc(path, problems)
    data = doc.load(("questions",))
    questions: list[Question] = []
    index: dict[str, int] = {}
    raw = data.get("questions") if data else None
    named: set[str] = set()
    if isinstance(raw, list):
        seen: dict[str, int] = {}
        for position, item in enumerate(raw):
            if isinstance(item, dict) and isinstance(item.get("rules"), list):
                named.update(r for r in item["rules"] if isinstance(r, str))
            question = _parse_question(doc, ["questions", position], item, seen)
            if question is not None:
                questions.append(question)
                index[question.id] = position
    entries = len(raw) if isinstance(raw, list) else 0
    return _BankParse(QuestionBank(path, tuple(questions)), index, named, entries)


def _parse_question(
    doc: _Doc, keys: list[str | int], item: Any, seen: dict[str, int]
) -> Question | None:
    before = len(doc.problems)
    node = doc.fields(
        item,
        keys,
        ("id", "rules", "kind", "lesson", "prompt", "options", "answer", "explain"),
        ("check", "value_of"),
    )
    if node is None:
        return None
    qid = doc.ident(node, keys, seen)
    rules = doc.rule_ids(node["rules"], [*keys, "rules"]) if "rules" in node else None
    kind = node.get("kind")
    if "kind" in node and kind not in KINDS:
        doc.add([*keys, "kind"], f"{_kind_of(kind)} is not one of {', '.join(KINDS)}")
        kind = None
    lesson = doc.link(node, keys)
    prompt = (
        doc.bilingual(node["prompt"], [*keys, "prompt"]) if "prompt" in node else None
    )
    explain = (
        doc.bilingual(node["explain"], [*keys, "explain"])
        if "explain" in node
        else None
    )
    options = _parse_options(doc, keys, node, kind)
    answer = _parse_answer(doc, keys, node, kind, options)
    check, value_of = _parse_number(doc, keys, node, kind, options)
    if len(doc.problems) != before:
        return None
    assert qid and rules and kind and lesson and prompt and explain
    assert options is not None and answer is not None
    return Question(
        qid, rules, kind, lesson, prompt, options, answer, explain, check, value_of
    )


def _parse_options(
    doc: _Doc, keys: list[str | int], node: dict[str, Any], kind: str | None
) -> tuple[Option, ...] | None:
    if "options" not in node:
        return None
    raw = node["options"]
    where = [*keys, "options"]
    if not isinstance(raw, list):
        doc.add(where, f"expected a list of options, got {_kind_of(raw)}")
        return None
    if not MIN_OPTIONS <= len(raw) <= MAX_OPTIONS:
        doc.add(
            where, f"has {len(raw)} options (expected {MIN_OPTIONS} to {MAX_OPTIONS})"
        )
    options: list[Option] = []
    for position, item in enumerate(raw):
        at = [*where, position]
        option = doc.fields(item, at, ("key",), ("zh", "en"))
        if option is None:
            continue
        key = option.get("key")
        if "key" in option and (not isinstance(key, str) or not key.strip()):
            doc.add([*at, "key"], f"expected a key like a, got {_kind_of(key)}")
            continue
        if key in (o.key for o in options):
            doc.add([*at, "key"], f"duplicate option key {key!r}")
            continue
        texts = doc.langs(option, at)
        if isinstance(key, str) and len(texts) == 2:
            options.append(Option(key, texts["zh"], texts["en"]))
    keys_found = sorted(o.key for o in options)
    if (
        kind == "true_false"
        and len(options) == len(raw)
        and keys_found != sorted(TRUE_FALSE_KEYS)
    ):
        doc.add(where, f"true/false keys must be t and f, not {', '.join(keys_found)}")
    return tuple(options) if len(options) == len(raw) else None


def _parse_answer(
    doc: _Doc,
    keys: list[str | int],
    node: dict[str, Any],
    kind: str | None,
    options: tuple[Option, ...] | None,
) -> frozenset[str] | None:
    if "answer" not in node or kind is None:
        return None
    raw = node["answer"]
    where = [*keys, "answer"]
    if kind == "multiple":
        if not isinstance(raw, list) or not raw:
            doc.add(where, f"expected a list of option keys, got {_kind_of(raw)}")
            return None
        chosen = raw
    else:
        if not isinstance(raw, str):
            doc.add(where, f"expected one option key, got {_kind_of(raw)}")
            return None
        chosen = [raw]
    if any(not isinstance(key, str) for key in chosen):
        doc.add(where, f"expected option keys, got {_kind_of(raw)}")
        return None
    if len(set(chosen)) != len(chosen):
        doc.add(where, "a key is listed twice")
        return None
    if options is None:
        return frozenset(chosen)
    known = [o.key for o in options]
    for key in chosen:
        if key not in known:
            doc.add(
                where, f"answer {key!r} is not among the options ({', '.join(known)})"
            )
            return None
    return frozenset(chosen)


def _parse_number(
    doc: _Doc,
    keys: list[str | int],
    node: dict[str, Any],
    kind: str | None,
    options: tuple[Option, ...] | None,
) -> tuple[dict[str, Any] | None, dict[str, str] | None]:
    if kind != "number":
        for key in ("check", "value_of"):
            if key in node and kind is not None:
                doc.add([*keys, key], f"only number questions have {key} (kind {kind})")
        return None, None
    check = node.get("check")
    value_of = node.get("value_of")
    if "check" not in node:
        doc.add(keys, "missing key 'check' (a number question needs {calc: NAME})")
        check = None
    elif not isinstance(check, dict) or not isinstance(check.get("calc"), str):
        doc.add([*keys, "check"], "expected {calc: NAME, argument: value, ...}")
        check = None
    elif check["calc"] not in calc.FUNCTIONS:
        doc.add(
            [*keys, "check", "calc"],
            f"unknown calc {check['calc']!r} (expected one of "
            f"{', '.join(calc.FUNCTIONS)})",
        )
        check = None
    values: dict[str, str] | None = None
    if "value_of" not in node:
        doc.add(keys, "missing key 'value_of' (option key -> value)")
    elif not isinstance(value_of, dict):
        doc.add([*keys, "value_of"], f"expected a mapping, got {_kind_of(value_of)}")
    else:
        values = {}
        for key, value in value_of.items():
            if isinstance(value, bool) or not isinstance(value, str | int | Decimal):
                doc.add(
                    [*keys, "value_of", str(key)],
                    f'expected a value like "100.00", got {_kind_of(value)}',
                )
                values = None
                break
            values[str(key)] = str(value)
        if values is not None and options is not None:
            option_keys = {o.key for o in options}
            if set(values) != option_keys:
                extra = sorted(set(values) - option_keys)
                missing = sorted(option_keys - set(values))
                what = []
                if missing:
                    what.append(f"no value for {', '.join(missing)}")
                if extra:
                    what.append(f"{', '.join(extra)} not among the options")
                doc.add(
                    [*keys, "value_of"],
                    f"keys must match the options: {'; '.join(what)}",
                )
                values = None
    return check, values


def load_bank(content_dir: Path | str | None = None) -> QuestionBank:
    """The question bank of `content_dir/questions.yaml`; InputError with the
    first problem if the file is not valid."""
    problems: list[str] = []
    path = content_dir_or_default(content_dir) / "questions.yaml"
    parsed = _parse_bank(path, problems)
    _raise_first(problems)
    if not parsed.bank.questions:
        raise InputError(f"{path}: the question bank has no questions")
    return parsed.bank


MAX_PROBLEM = 400  # characters: a value quoted in a message is cut short


def one_line(problem: str) -> str:
    """A problem as one printable line of reasonable length."""
    text = "".join(
        ch if ch.isprintable() else repr(ch)[1:-1].replace("'", "") for ch in problem
    )
    return text if len(text) <= MAX_PROBLEM else text[: MAX_PROBLEM - 1] + "…"


def _raise_first(problems: list[str]) -> None:
    problems[:] = [one_line(problem) for problem in problems]
    if problems:
        more = len(problems) - 1
        tail = f" (and {more} more: run growth-plan check-content)" if more else ""
        raise InputError(problems[0] + tail)


# ============================================================= attempts


def number_holds(question: Question, rules: Rules) -> bool:
    """Whether a question's worked answer agrees with the engine under
    `rules`: its answer's value is the engine's result and no other option's
    is. Questions without a `check` always hold."""
    if question.check is None or question.value_of is None:
        return True
    args = {k: v for k, v in question.check.items() if k != "calc"}
    try:
        result = calc.evaluate(question.check["calc"], args, rules)
    except InputError:
        return False
    if len(question.answer) != 1:
        return False
    (answer,) = question.answer
    return [k for k, v in question.value_of.items() if v == result] == [answer]


# (id(bank), rules) -> (bank, ids left out); the bank is kept to check identity
_LEFT_OUT: dict[tuple[int, Rules], tuple[QuestionBank, tuple[str, ...]]] = {}


def questions_left_out(bank: QuestionBank, rules: Rules) -> tuple[str, ...]:
    """Ids of the number questions whose worked answer the engine does not
    agree with under `rules` (a variant rule file): an attempt leaves them
    out, since they would be graded wrongly. Cached per bank and rules."""
    key = (id(bank), rules)
    cached = _LEFT_OUT.get(key)
    if cached is not None and cached[0] is bank:
        return cached[1]
    left_out = tuple(q.id for q in bank.questions if not number_holds(q, rules))
    _LEFT_OUT[key] = (bank, left_out)
    return left_out


def draw_attempt(bank: QuestionBank, rules: Rules, seed: int | str) -> Attempt:
    """Draw `rules.questions_per_attempt` questions (all, if the bank is
    smaller), spread across the rules: rule ids are visited round-robin in a
    seeded order, each picking an unused question that checks it and
    skipping rules an earlier pick of the round already covers. Options are
    shuffled, except true/false. The same seed and bank give the same
    attempt. Number questions whose answer does not hold under `rules`
    (`questions_left_out`) are never drawn."""
    left_out = set(questions_left_out(bank, rules))
    questions = [q for q in bank.questions if q.id not in left_out]
    if not questions:
        raise InputError(f"{bank.path}: the question bank has no questions")
    rng = random.Random(seed)
    wanted = min(rules.questions_per_attempt, len(questions))
    pools: dict[str, list[Question]] = {rule: [] for rule in RULE_IDS}
    for question in questions:
        for rule in question.rules:
            pools.setdefault(rule, []).append(question)
    for pool in pools.values():
        rng.shuffle(pool)
    order = [rule for rule in pools if pools[rule]]
    rng.shuffle(order)

    chosen: list[Question] = []
    used: set[str] = set()
    while len(chosen) < wanted:
        covered: set[str] = set()
        before = len(chosen)
        for rule in order:
            if len(chosen) >= wanted:
                break
            if rule in covered:
                continue
            pick = next((q for q in pools[rule] if q.id not in used), None)
            if pick is None:
                continue
            chosen.append(pick)
            used.add(pick.id)
            covered.update(pick.rules)
        if len(chosen) == before:  # pragma: no cover - every question has a rule
            break
    rng.shuffle(chosen)

    items = []
    for question in chosen:
        options = list(question.options)
        if question.kind != "true_false":
            rng.shuffle(options)
        items.append(AttemptItem(question, tuple(options)))
    return Attempt(seed, tuple(items))


# =============================================================== lessons


def _lesson_files(content_dir: Path, lang: str) -> list[Path]:
    folder = content_dir / "lessons" / lang
    if not folder.is_dir():
        raise InputError(f"{folder}: no such folder (lessons in {LANG_NAMES[lang]})")
    files = [path for path in folder.iterdir() if path.suffix == ".md"]
    rank = {name: position for position, name in enumerate(LESSON_ORDER)}
    return sorted(files, key=lambda p: (rank.get(p.stem, len(rank)), p.stem))


def _parse_lesson(path: Path, lang: str, problems: list[str]) -> Lesson | None:
    """Parse one lesson file; problems are `file:line: what is wrong`."""
    before = len(problems)
    try:
        text = yamlio.read_text(path)
    except InputError as error:
        problems.append(str(error))
        return None

    def add(line: int, problem: str) -> None:
        problems.append(f"{path}:{line}: {problem}")

    if not _ID.fullmatch(path.stem):
        add(1, f"lesson file name {path.name!r} is not an id (letters, digits, -)")
    lines = text.splitlines()
    title = ""
    if not lines or not lines[0].startswith("# ") or not lines[0][2:].strip():
        add(1, "the first line must be the lesson title: '# Title'")
    else:
        title = lines[0][2:].strip()

    sections: list[Section] = []
    intro: list[str] = []
    body: list[str] = []
    pending: tuple[str, int] | None = None  # marker waiting for its heading
    current: tuple[str, str, int] | None = None

    def close() -> None:
        if current is not None:
            sid, heading, line = current
            sections.append(Section(sid, heading, "\n".join(body).strip("\n"), line))

    for number, line in enumerate(lines[1:], start=2):
        mark = _SECTION_MARK.fullmatch(line.strip())
        if mark is None and _NEAR_MARK.match(line):
            add(number, "malformed section line (write <!-- section: id -->)")
            continue
        if mark is not None:
            if pending is not None:
                add(pending[1], "section line not followed by a '## Heading' line")
            section_id = mark.group(1)
            if not _ID.fullmatch(section_id):
                add(number, f"section id {section_id!r} is not an id")
            elif any(s.id == section_id for s in sections) or (
                current is not None and current[0] == section_id
            ):
                add(number, f"duplicate section id {section_id!r}")
            pending = (section_id, number)
            continue
        if line.startswith("## "):
            if pending is None:
                add(
                    number,
                    f"heading {line.strip()!r} has no '<!-- section: id -->' "
                    "line before it",
                )
                body.append(line)
                continue
            close()
            current = (pending[0], line[3:].strip(), pending[1])
            body = []
            pending = None
            continue
        if pending is not None and line.strip():
            add(pending[1], "section line not followed by a '## Heading' line")
            pending = None
        (body if current is not None else intro).append(line)
    if pending is not None:
        add(pending[1], "section line not followed by a '## Heading' line")
    close()
    if not sections:
        add(1, "no sections (each starts with <!-- section: id --> and ## Heading)")
    if len(problems) != before:
        return None
    return Lesson(
        path.stem, lang, title, tuple(sections), path, "\n".join(intro).strip("\n")
    )


def load_lessons(
    content_dir: Path | str | None, lang: str, rules: Rules | None = None
) -> list[Lesson]:
    """The lessons of one language, in reading order. With `rules`, the
    calc placeholders of every section are rendered; without, they stay as
    written. InputError with the first problem."""
    if lang not in LANGS:
        raise InputError(f"unknown language {lang!r} (expected zh or en)")
    problems: list[str] = []
    lessons = []
    for path in _lesson_files(content_dir_or_default(content_dir), lang):
        lesson = _parse_lesson(path, lang, problems)
        if lesson is not None:
            lessons.append(lesson)
    _raise_first(problems)
    if rules is not None:
        lessons = [_render_lesson(lesson, rules) for lesson in lessons]
    return lessons


def _render_lesson(lesson: Lesson, rules: Rules) -> Lesson:
    def render(text: str, line: int) -> str:
        try:
            return render_calc(text, rules)
        except InputError as error:
            raise InputError(f"{lesson.path}:{line}: {error}") from None

    sections = tuple(
        Section(s.id, s.heading, render(s.markdown, s.line), s.line)
        for s in lesson.sections
    )
    return Lesson(
        lesson.id,
        lesson.lang,
        lesson.title,
        sections,
        lesson.path,
        render(lesson.intro, 1),
    )


def parse_placeholder(inner: str) -> tuple[str, dict[str, str]]:
    """`NAME key=value key="quoted value"` -> (NAME, {key: value})."""
    try:
        tokens = shlex.split(inner)
    except ValueError as error:
        raise InputError(f"calc placeholder {inner!r}: {error}") from None
    if not tokens:
        raise InputError("empty calc placeholder (write {{calc:NAME key=value}})")
    name, args = tokens[0], {}
    for token in tokens[1:]:
        key, equals, value = token.partition("=")
        if not equals or not key:
            raise InputError(
                f"calc {name}: {token!r} is not key=value (quote values with spaces)"
            )
        if key in args:
            raise InputError(f"calc {name}: argument {key!r} given twice")
        args[key] = value
    return name, args


def render_calc(markdown: str, rules: Rules, strict: bool = True) -> str:
    """Replace each `{{calc:NAME key=value}}` with the engine's result.

    InputError for a placeholder that does not evaluate; with
    `strict=False` it is replaced by a visible `[calc error: ...]` instead,
    so a screen can still show the rest of the lesson.
    """

    def replace(match: re.Match[str]) -> str:
        try:
            name, args = parse_placeholder(match.group(1))
            return calc.evaluate(name, args, rules)
        except InputError as error:
            if strict:
                raise
            return f"[calc error: {error}]"

    return _PLACEHOLDER.sub(replace, markdown)


def section(
    lesson_link: str,
    lang: str,
    content_dir: Path | str | None = None,
    rules: Rules | None = None,
) -> Section:
    """The section a `lesson#section` link points to (rendered with
    `rules` when given). InputError if it does not resolve."""
    lesson_id, _, section_id = lesson_link.partition("#")
    folder = content_dir_or_default(content_dir)
    path = folder / "lessons" / lang / f"{lesson_id}.md"
    if not _ID.fullmatch(lesson_id) or not path.is_file():
        raise InputError(f"lesson link {lesson_link!r}: no lesson {path}")
    problems: list[str] = []
    lesson = _parse_lesson(path, lang, problems)
    _raise_first(problems)
    assert lesson is not None
    if rules is not None:
        lesson = _render_lesson(lesson, rules)
    try:
        return lesson.section(section_id)
    except KeyError:
        raise InputError(
            f"lesson link {lesson_link!r}: {path} has no section {section_id!r}"
        ) from None


# ========================================================= FAQ, glossary


def _parse_faq(path: Path, problems: list[str]) -> tuple[list[FaqEntry], dict]:
    doc = _Doc(path, problems)
    data = doc.load(("faq",))
    entries: list[FaqEntry] = []
    index: dict[str, int] = {}
    raw = data.get("faq") if data else None
    if not isinstance(raw, list):
        return entries, index
    seen: dict[str, int] = {}
    for position, item in enumerate(raw):
        keys: list[str | int] = ["faq", position]
        before = len(problems)
        node = doc.fields(item, keys, ("id", "rules", "q", "a", "lesson"))
        if node is None:
            continue
        fid = doc.ident(node, keys, seen)
        rules = (
            doc.rule_ids(node["rules"], [*keys, "rules"], allow_empty=True)
            if "rules" in node
            else None
        )
        q = doc.bilingual(node["q"], [*keys, "q"]) if "q" in node else None
        a = doc.bilingual(node["a"], [*keys, "a"]) if "a" in node else None
        lesson = doc.link(node, keys)
        if len(problems) == before:
            assert fid and rules is not None and q and a and lesson
            entries.append(FaqEntry(fid, rules, q, a, lesson))
            index[fid] = position
    return entries, index


def load_faq(content_dir: Path | str | None = None) -> list[FaqEntry]:
    problems: list[str] = []
    entries, _ = _parse_faq(content_dir_or_default(content_dir) / "faq.yaml", problems)
    _raise_first(problems)
    return entries


def _parse_glossary(path: Path, problems: list[str]) -> list[Term]:
    doc = _Doc(path, problems)
    data = doc.load(("terms",))
    terms: list[Term] = []
    raw = data.get("terms") if data else None
    if not isinstance(raw, list):
        return terms
    seen: dict[str, int] = {}
    for position, item in enumerate(raw):
        keys: list[str | int] = ["terms", position]
        before = len(problems)
        node = doc.fields(item, keys, ("id", "note"), ("zh", "en"))
        if node is None:
            continue
        tid = doc.ident(node, keys, seen)
        texts = doc.langs(node, keys)
        note = doc.bilingual(node["note"], [*keys, "note"]) if "note" in node else None
        if len(problems) == before:
            assert tid and note
            terms.append(Term(tid, texts["zh"], texts["en"], note))
    return terms


def load_glossary(content_dir: Path | str | None = None) -> list[Term]:
    problems: list[str] = []
    path = content_dir_or_default(content_dir) / "glossary.yaml"
    terms = _parse_glossary(path, problems)
    _raise_first(problems)
    return terms


# =============================================================== catalog


def _parse_catalog(path: Path, problems: list[str]) -> Catalog:
    doc = _Doc(path, problems)
    data = doc.load(("products", "info_suggestions"))
    products: list[Product] = []
    suggestions: list[InfoSuggestion] = []
    raw = data.get("products") if data else None
    seen: dict[str, int] = {}
    for position, item in enumerate(raw if isinstance(raw, list) else []):
        keys: list[str | int] = ["products", position]
        before = len(problems)
        node = doc.fields(item, keys, ("id", "name", "category", "keywords"))
        if node is None:
            continue
        pid = doc.ident(node, keys, seen)
        name = doc.bilingual(node["name"], [*keys, "name"]) if "name" in node else None
        category = (
            doc.bilingual(node["category"], [*keys, "category"])
            if "category" in node
            else None
        )
        keywords = _parse_keywords(doc, keys, node)
        if len(problems) == before:
            assert pid and name and category and keywords is not None
            products.append(Product(pid, name, category, keywords))

    raw = data.get("info_suggestions") if data else None
    seen = {}
    for position, item in enumerate(raw if isinstance(raw, list) else []):
        keys = ["info_suggestions", position]
        before = len(problems)
        node = doc.fields(item, keys, ("id", "title", "detail", "gain"))
        if node is None:
            continue
        sid = doc.ident(node, keys, seen)
        title = (
            doc.bilingual(node["title"], [*keys, "title"]) if "title" in node else None
        )
        detail = (
            doc.bilingual(node["detail"], [*keys, "detail"])
            if "detail" in node
            else None
        )
        gain = (
            _parse_gain(doc, [*keys, "gain"], node.get("gain"))
            if "gain" in node
            else None
        )
        if len(problems) == before:
            assert sid and title and detail and gain is not None
            suggestions.append(InfoSuggestion(sid, title, detail, gain))
    return Catalog(tuple(products), tuple(suggestions))


def _parse_keywords(
    doc: _Doc, keys: list[str | int], node: dict[str, Any]
) -> tuple[Keyword, ...] | None:
    if "keywords" not in node:
        return None
    raw = node["keywords"]
    where = [*keys, "keywords"]
    if not isinstance(raw, list) or not raw:
        doc.add(where, f"expected a list of keywords, got {_kind_of(raw)}")
        return None
    keywords = []
    for position, item in enumerate(raw):
        at = [*where, position]
        keyword = doc.fields(item, at, ("bid",), ("zh", "en"))
        if keyword is None:
            continue
        texts = doc.langs(keyword, at)
        bid = None
        if "bid" in keyword:
            try:  # where() re-reads the file: only on the error path
                bid = money.parse_amount(keyword["bid"], "bid")
            except InputError as error:
                doc.add([*at, "bid"], str(error).removeprefix("bid: "))
            else:
                if bid <= 0:
                    doc.add([*at, "bid"], "a bid must be more than 0.00")
                    bid = None
        if len(texts) == 2 and bid is not None:
            keywords.append(Keyword(texts["zh"], texts["en"], bid))
    return tuple(keywords) if len(keywords) == len(raw) else None


def _parse_gain(doc: _Doc, keys: list[str | int], value: Any) -> int | None:
    if isinstance(value, bool) or not isinstance(value, int | Decimal):
        doc.add(keys, f"expected a number of points like 0.3, got {_kind_of(value)}")
        return None
    try:
        hundredths = Decimal(value) * 100
        whole = hundredths == hundredths.to_integral_value()
    except ArithmeticError:
        hundredths, whole = Decimal(0), False
    if not whole or not 0 < hundredths <= 10**6:
        doc.add(keys, f"{value} must be more than 0 with at most 2 decimals")
        return None
    return int(hundredths)


def load_catalog(content_dir: Path | str | None = None) -> Catalog:
    problems: list[str] = []
    path = content_dir_or_default(content_dir) / "catalog.yaml"
    catalog = _parse_catalog(path, problems)
    _raise_first(problems)
    return catalog


# ========================================================= check-content


def check_content(
    content_dir: Path | str | None = None, rules: Rules | None = None
) -> list[str]:
    """Every problem of the content, one line each: `file:line: what`."""
    return check_content_report(content_dir, rules).problems


def check_content_report(
    content_dir: Path | str | None = None, rules: Rules | None = None
) -> ContentReport:
    """`check_content` with counts for a summary line."""
    from app.core.rules import load_rules

    if rules is None:
        rules = load_rules()
    folder = content_dir_or_default(content_dir)
    report = ContentReport()
    problems = report.problems
    if not folder.is_dir():
        problems.append(f"{folder}: no such folder")
        return report

    lessons, lesson_files = _check_lessons(folder, problems)
    _check_placeholders(lesson_files, rules, problems)

    bank_path = folder / "questions.yaml"
    parsed = _parse_bank(bank_path, problems)
    doc = _Doc(bank_path, problems)
    for question in parsed.bank.questions:
        keys: list[str | int] = ["questions", parsed.index[question.id]]
        _check_link(doc, keys, question.lesson, lessons)
        if question.kind == "number":
            _check_number(doc, keys, question, rules)
    if parsed.entries:
        for rule in RULE_IDS:
            if rule not in parsed.named_rules:
                doc.add(["questions"], f"no question checks {rule}")
        if parsed.entries < rules.questions_per_attempt:
            doc.add(
                ["questions"],
                f"{parsed.entries} questions, fewer than the "
                f"{rules.questions_per_attempt} an attempt draws ({rules.source})",
            )
    elif bank_path.is_file() and not any(
        p.startswith(str(bank_path)) for p in problems
    ):
        doc.add(["questions"], "the question bank has no questions")

    faq_path = folder / "faq.yaml"
    entries, index = _parse_faq(faq_path, problems)
    faq_doc = _Doc(faq_path, problems)
    for entry in entries:
        _check_link(faq_doc, ["faq", index[entry.id]], entry.lesson, lessons)

    terms = _parse_glossary(folder / "glossary.yaml", problems)
    catalog = _parse_catalog(folder / "catalog.yaml", problems)

    report.problems[:] = [one_line(problem) for problem in problems]
    report.counts = {
        "questions": len(parsed.bank.questions),
        "lessons": len(lessons.get("en", {})),
        "sections": sum(len(x.sections) for x in lessons.get("en", {}).values()),
        "FAQ entries": len(entries),
        "terms": len(terms),
        "products": len(catalog.products),
        "keywords": sum(len(p.keywords) for p in catalog.products),
        "info suggestions": len(catalog.info_suggestions),
    }
    return report


def _check_lessons(
    folder: Path, problems: list[str]
) -> tuple[dict[str, dict[str, Lesson]], list[Path]]:
    """Lessons per language (id -> Lesson, the valid ones) and every lesson
    file; records each file's problems and those across languages."""
    lessons: dict[str, dict[str, Lesson]] = {}
    files: dict[str, dict[str, Path]] = {}
    for lang in LANGS:
        try:
            paths = _lesson_files(folder, lang)
        except InputError as error:
            problems.append(str(error))
            paths = []
        files[lang] = {path.stem: path for path in paths}
        lessons[lang] = {}
        for path in paths:
            lesson = _parse_lesson(path, lang, problems)
            if lesson is not None:
                lessons[lang][lesson.id] = lesson
        if not paths and (folder / "lessons" / lang).is_dir():
            problems.append(f"{folder / 'lessons' / lang}: no lessons (*.md)")

    zh, en = files["zh"], files["en"]
    for stem in sorted(set(en) - set(zh)):
        missing = folder / "lessons" / "zh" / f"{stem}.md"
        problems.append(f"{missing}: missing (the Chinese version of {en[stem]})")
    for stem in sorted(set(zh) - set(en)):
        missing = folder / "lessons" / "en" / f"{stem}.md"
        problems.append(f"{missing}: missing (the English version of {zh[stem]})")

    for stem in sorted(set(lessons["zh"]) & set(lessons["en"])):
        pair = {lang: lessons[lang][stem] for lang in LANGS}
        for lang, other in (("zh", "en"), ("en", "zh")):
            theirs = pair[other]
            ids = set(pair[lang].section_ids)
            for s in theirs.sections:
                if s.id not in ids:
                    problems.append(
                        f"{pair[lang].path}:1: section {s.id!r} is missing "
                        f"({theirs.path}:{s.line} has it)"
                    )
        common = [
            sid for sid in pair["en"].section_ids if sid in pair["zh"].section_ids
        ]
        zh_order = [sid for sid in pair["zh"].section_ids if sid in common]
        if common != zh_order:
            first = next(z for z, e in zip(zh_order, common, strict=True) if z != e)
            problems.append(
                f"{pair['zh'].path}:{pair['zh'].section(first).line}: sections are "
                f"in a different order from {pair['en'].path} "
                f"({', '.join(common)})"
            )
    return lessons, [path for lang in LANGS for path in files[lang].values()]


def _check_placeholders(paths: list[Path], rules: Rules, problems: list[str]) -> None:
    for path in paths:
        try:
            text = yamlio.read_text(path)
        except InputError:
            continue  # already reported by the lesson's own check
        for number, line in enumerate(text.splitlines(), start=1):
            for match in _PLACEHOLDER.finditer(line):
                try:
                    name, args = parse_placeholder(match.group(1))
                    calc.evaluate(name, args, rules)
                except InputError as error:
                    problems.append(f"{path}:{number}: {error}")
            rest = _PLACEHOLDER.sub("", line)
            if "{{" in rest or "}}" in rest:
                problems.append(
                    f"{path}:{number}: unrecognised placeholder "
                    "(write {{calc:NAME key=value}})"
                )


def _check_link(
    doc: _Doc,
    keys: list[str | int],
    link: str,
    lessons: dict[str, dict[str, Lesson]],
) -> None:
    lesson_id, _, section_id = link.partition("#")
    for lang in LANGS:
        lesson = lessons.get(lang, {}).get(lesson_id)
        if lesson is None:
            folder = doc.path.parent / "lessons" / lang
            if (folder / f"{lesson_id}.md").is_file():
                continue  # the lesson itself is broken: reported there
            doc.add(
                [*keys, "lesson"],
                f"lesson link {link!r}: no lesson {lesson_id!r} in {lang} "
                f"({folder / (lesson_id + '.md')})",
            )
        elif section_id not in lesson.section_ids:
            doc.add(
                [*keys, "lesson"],
                f"lesson link {link!r}: {lesson.path} has no section {section_id!r}",
            )


def _check_number(
    doc: _Doc, keys: list[str | int], question: Question, rules: Rules
) -> None:
    assert question.check is not None and question.value_of is not None
    args = {k: v for k, v in question.check.items() if k != "calc"}
    try:
        result = calc.evaluate(question.check["calc"], args, rules)
    except InputError as error:
        doc.add([*keys, "check"], str(error))
        return
    (answer,) = question.answer
    given = question.value_of[answer]
    if given != result:
        doc.add(
            [*keys, "value_of", answer],
            f"the answer {answer!r} is {given!r} but the engine computes "
            f"{result!r} ({question.id})",
        )
        return
    others = [k for k, v in question.value_of.items() if v == result and k != answer]
    if others:
        doc.add(
            [*keys, "value_of", others[0]],
            f"option {others[0]!r} also equals the engine's result {result!r} "
            f"({question.id})",
        )


def iter_placeholders(markdown: str) -> Iterable[tuple[str, dict[str, str]]]:
    """Each placeholder of a text, parsed (for tests and tools)."""
    for match in _PLACEHOLDER.finditer(markdown):
        yield parse_placeholder(match.group(1))
