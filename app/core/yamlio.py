"""Reading YAML the way every content, rule and scenario file needs it.

- libyaml's C loader when present: `simulate` must parse large files fast.
- Floats become `Decimal` from the text as typed, so an amount never passes
  through a binary float, and timestamps stay strings that our own parser
  reads (PyYAML would turn them into naive datetimes).
- Any failure is an `InputError` naming the file and, where known, the line.
"""

from __future__ import annotations

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


def line_of(path: Path, keys: list[str | int]) -> int | None:
    """The 1-based line of the node at `keys` (mapping keys and list
    indexes), or of its nearest existing parent. Only called on the error
    path, so it re-reads the file with the slower node composer."""
    try:
        node = yaml.compose(read_text(path), Loader=yaml.SafeLoader)
    except (yaml.YAMLError, InputError):
        return None
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


def where(path: Path, keys: list[str | int]) -> str:
    """`file:line: key.path` for an error message."""
    line = line_of(path, keys)
    dotted = ".".join(
        f"[{key}]" if isinstance(key, int) else str(key) for key in keys
    ).replace(".[", "[")
    prefix = f"{path}:{line}" if line else str(path)
    return f"{prefix}: {dotted}" if dotted else prefix


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
