"""Where a setting's value came from: one small immutable record per field."""

from __future__ import annotations

from typing import Final, Literal, NamedTuple

SourceKind = Literal["argument", "env", "file", "env_file", "secrets_dir", "keyvault", "default"]
"""The kinds of source, highest precedence first (Key Vault references are resolved after the merge)."""

SOURCE_KINDS: Final[tuple[SourceKind, ...]] = (
    "argument",
    "env",
    "file",
    "env_file",
    "secrets_dir",
    "keyvault",
    "default",
)
_LABELS: Final = {"env_file": ".env"}


class Origin(NamedTuple):
    """A value's source: its kind, its location, and the variable that named it.

    ``location`` is a variable name (``env``), a path (``file``, ``env_file``, ``secrets_dir``), a
    secret URI (``keyvault``) or a field name (``argument``); ``via`` says what pointed there.
    """

    kind: SourceKind
    location: str = ""
    variable: str = ""
    via: str = ""

    def __str__(self) -> str:
        """``env AZURE_USERNAME``, ``file /run/secrets/pw via AZURE_PASSWORD_FILE``, ``default``, ..."""
        text = " ".join(part for part in (_LABELS.get(self.kind, self.kind), self.location) if part)
        return f"{text} via {self.via}" if self.via else text


DEFAULT: Final = Origin("default")
