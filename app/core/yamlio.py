"""Reading YAML the way every content, rule and scenario file needs it.

- libyaml's C loader when present: `simulate` must parse large files fast.
- Floats become `Decimal` from the text as typed, so an amount never passes
  through a binary float, and timestamps stay strings that our own parser
  reads (PyYAML would turn them into naive datetimes).
- Any failure is an `InputError` naming the file and, where known, the line.
"""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml

from app.core.errors import InputError

_Base: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class Loader(_Base):  # type: ignore[misc,valid-type]
    """Safe loader with Decimal floats and string timestamps."""


def _decimal(loader: yaml.BaseLoader, node: yaml.ScalarNode) -> object:
    text = loader.construct_scalar(node).replace("_", "")
    lowered = text.lower()
    if lowered in (".nan", ".inf", "+.inf", "-.inf"):
        return text
    return Decimal(text)


def _timestamp(loader: yaml.BaseLoader, node: yaml.ScalarNode) -> object:
    return loader.construct_scalar(node)


Loader.add_constructor("tag:yaml.org,2002:float", _decimal)
Loader.add_constructor("tag:yaml.org,2002:timestamp", _timestamp)


def read_text(path: Path) -> str:
    """The file's text, or an InputError saying why it cannot be read."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise InputError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise InputError(f"{path}: is a folder, not a file") from None
    except OSError as error:
        raise InputError(f"{path}: cannot be read ({error.strerror})") from None
    if b"\0" in data:
        raise InputError(f"{path}: is a binary file, not YAML text")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise InputError(f"{path}:{line}: is not UTF-8 text") from None


def load(path: Path, text: str | None = None) -> Any:
    """Parse one YAML document; errors name the file and line."""
    if text is None:
        text = read_text(path)
    try:
        return yaml.load(text, Loader=Loader)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = f":{mark.line + 1}" if mark else ""
        problem = error.problem or error.context or "invalid YAML"
        raise InputError(f"{path}{line}: not valid YAML ({problem})") from None
    except yaml.YAMLError as error:
        raise InputError(f"{path}: not valid YAML ({error})") from None
    except (ValueError, ArithmeticError) as error:
        raise InputError(f"{path}: not valid YAML ({error})") from None
    except RecursionError:
        raise InputError(f"{path}: not valid YAML (nested too deeply)") from None


# ------------------------------------------------- long lists, line by line

# An item simple enough to read without YAML: `- name: 12`, `- name: 0.12`,
# `- name: 1d6h`. The patterns are a strict subset of what YAML 1.1 resolves
# to int, float (Decimal here) and plain text, so the value is the same.
_SIMPLE_ITEM = re.compile(
    r"- ([a-z_]+): (?:(0|[1-9][0-9]*)|([0-9]+\.[0-9]+)|((?:[0-9]+[dhms])+))[ ]*"
)
_NOT_TEXT_KEYS = frozenset({"yes", "no", "on", "off", "true", "false", "null"})
_BLOCK_SCALAR = re.compile(r"(?:^|[ :])[|>][-+0-9]*$")


class _NotSimple(Exception):
    """The file needs the full parser (the fast path gives up)."""


def load_with_long_list(path: Path, key: str, text: str | None = None) -> Any:
    """`load`, with a fast path for a long top-level block list `key:` whose
    items each fit on one line (a scenario's `actions`).

    Parsing 86,400 one-line items with PyYAML costs seconds, nearly all in
    building Python objects. Here each distinct item line is read once (by
    the same YAML loader, or by `_SIMPLE_ITEM` for the plainest ones) and
    the rest of the file by `load`. Whatever the fast path cannot vouch for
    (multi-line items, block scalars, an alias across lines, tabs, odd
    indentation, several documents, CR line ends, any error) goes to the
    full parser, so the result and every error message are the ones `load`
    gives. Items with the same text share one object: treat them as
    read-only.
    """
    if text is None:
        text = read_text(path)
    try:
        return _load_long_list(key, text)
    except _NotSimple:
        return load(path, text)


def _load_long_list(key: str, text: str) -> Any:
    if any(mark in text for mark in ("\r", "\t", "\x85", "\u2028", "\u2029")):
        raise _NotSimple  # line breaks and indentation the split below misreads
    lines = text.split("\n")
    header = re.compile(re.escape(key) + r":[ ]*(?:#.*)?")
    starts = [i for i, line in enumerate(lines) if header.fullmatch(line)]
    if len(starts) != 1 or any(line.startswith(("---", "...", "%")) for line in lines):
        raise _NotSimple
    start = starts[0]
    indent = -1
    items: list[Any] = []
    memo: dict[str, Any] = {}
    end = len(lines)
    for number in range(start + 1, len(lines)):
        line = lines[number]
        stripped = line.lstrip(" ")
        depth = len(line) - len(stripped)
        if not stripped or (stripped.startswith("#") and depth <= indent):
            continue  # a deeper comment could be a block scalar's text
        if indent < 0 and stripped.startswith("#"):
            continue
        if indent < 0:
            if not stripped.startswith("- "):
                raise _NotSimple  # not a block list of items
            indent = depth
        if depth < indent or (depth == indent == 0 and not line.startswith("- ")):
            end = number
            break
        if depth != indent or not stripped.startswith("- "):
            raise _NotSimple  # a continuation line or stray content
        value = memo.get(stripped, memo)
        if value is memo:
            value = memo[stripped] = _read_item(stripped)
        items.append(value)
    if len(items) < 2:
        raise _NotSimple
    rest = "\n".join(lines[: start + 1] + lines[end:])
    try:
        data = yaml.load(rest, Loader=Loader)
    except (yaml.YAMLError, ValueError, ArithmeticError):
        raise _NotSimple from None
    if not isinstance(data, dict) or key not in data or data[key] is not None:
        raise _NotSimple
    data[key] = items
    return data


def _read_item(stripped: str) -> Any:
    """One `- ...` line, as YAML would read it inside the list."""
    simple = _SIMPLE_ITEM.fullmatch(stripped)
    if simple is not None and simple.group(1) not in _NOT_TEXT_KEYS:
        name, whole, decimal, text = simple.groups()
        if whole is not None:
            return {name: int(whole)}
        if decimal is not None:
            return {name: Decimal(decimal)}
        return {name: text}
    if "&" in stripped or "*" in stripped:
        raise _NotSimple  # anchors and aliases are checked across the file
    body = stripped[2:].split(" #", 1)[0].rstrip()
    if _BLOCK_SCALAR.search(body):
        raise _NotSimple  # a block scalar: its text is on the next lines
    try:
        parsed = yaml.load(stripped, Loader=Loader)
    except (yaml.YAMLError, ValueError, ArithmeticError):
        raise _NotSimple from None
    if not isinstance(parsed, list) or len(parsed) != 1:
        raise _NotSimple
    return parsed[0]


def line_of(path: Path, keys: list[str | int]) -> int | None:
    """The 1-based line of the node at `keys` (mapping keys and list
    indexes), or of its nearest existing parent. Only called on the error
    path, so it re-reads the file with the slower node composer."""
    try:
        node = yaml.compose(read_text(path), Loader=yaml.SafeLoader)
    except (yaml.YAMLError, InputError, RecursionError):
        return None  # deep nesting: the C loader read it, this composer cannot
    return line_in(node, keys)


def line_in(node: yaml.Node | None, keys: list[str | int]) -> int | None:
    """The line of `keys` under a composed node (see `line_of`)."""
    line = node.start_mark.line + 1 if node is not None else None
    for key in keys:
        if isinstance(node, yaml.MappingNode) and isinstance(key, str):
            match = next((pair for pair in node.value if pair[0].value == key), None)
            if match is None:
                break
            line = match[0].start_mark.line + 1
            node = match[1]
        elif isinstance(node, yaml.SequenceNode) and isinstance(key, int):
            if not 0 <= key < len(node.value):
                break
            node = node.value[key]
            line = node.start_mark.line + 1
        else:
            break
    return line


def where(path: Path, keys: list[str | int], line: int | None = None) -> str:
    """`file:line: key.path` for an error message (the line is looked up
    unless given)."""
    if line is None:
        line = line_of(path, keys)
    dotted = ".".join(
        f"[{key}]" if isinstance(key, int) else str(key) for key in keys
    ).replace(".[", "[")
    prefix = f"{path}:{line}" if line else str(path)
    return f"{prefix}: {dotted}" if dotted else prefix


def describe(value: Any) -> str:
    """A wrong value as an error message names it: its kind, or the value
    itself (at most 40 characters of text)."""
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, str):
        shown = value if len(value) <= 40 else value[:40] + "…"
        return f"text {shown!r}"
    return repr(value)


class Where:
    """`where(path, keys)`, worked out only when a message is formatted.

    Finding the line re-reads the file with the slow node composer, so the
    happy path must not pay for it: parsers take this in place of the text
    and an f-string only renders it on the way to an error."""

    __slots__ = ("_text", "keys", "path")

    def __init__(self, path: Path, keys: list[str | int]) -> None:
        self.path = path
        self.keys = keys
        self._text: str | None = None

    def __str__(self) -> str:
        if self._text is None:
            self._text = where(self.path, self.keys)
        return self._text

    def __format__(self, spec: str) -> str:
        return format(str(self), spec)
