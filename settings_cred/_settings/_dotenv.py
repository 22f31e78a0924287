"""Reading a ``.env`` file with python-dotenv's parser, keeping the lines it could not parse.

``dotenv_values()`` logs each unparsable line as a separate warning on stderr, with no link to the
setting it leaves missing. Here the same parser and the same ``${VAR}`` expansion run, and the
unparsable lines are returned (number and, when it can be told, the variable's name; never a value),
so a ``SettingsError`` can name the file and line that explain a missing value.
"""

from __future__ import annotations

import os
import re
from typing import Final, NamedTuple

from dotenv.main import resolve_variables
from dotenv.parser import parse_stream

_NAME: Final = re.compile(r"\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_.-]*)\s*=")


class UnparsedLine(NamedTuple):
    """A statement python-dotenv skipped: the file, its first line, and the variable it seems to set."""

    path: str
    line: int
    name: str | None

    def describe(self) -> str:
        """``python-dotenv could not parse line 3 of /app/.env (AZURE_PASSWORD=...)``."""
        what = f" ({self.name}=...)" if self.name else ""
        return f"python-dotenv could not parse line {self.line} of {self.path}{what}"


def read_dotenv(path: str | os.PathLike[str]) -> tuple[dict[str, str], list[UnparsedLine]]:
    """The file's variables (as ``dotenv_values`` gives them, names without a value dropped) and its bad lines.

    :raises OSError: when the file cannot be read.
    :raises UnicodeDecodeError: when it is not UTF-8.
    """
    with open(path, encoding="utf-8") as stream:
        bindings = list(parse_stream(stream))
    unparsed = [
        UnparsedLine(os.fspath(path), binding.original.line, _name(binding.original.string))
        for binding in bindings
        if binding.error
    ]
    parsed = ((binding.key, binding.value) for binding in bindings if binding.key is not None)
    values = {name: value for name, value in resolve_variables(parsed, override=True).items() if value is not None}
    return values, unparsed


def _name(statement: str) -> str | None:
    match = _NAME.match(statement)
    return match.group(1) if match else None
