"""Parsers for the emulator's command line: users, client secrets, Key Vault secrets, federated
credentials and identities, from arguments, environment variables, stdin and files.

Errors name the option, variable, file or line, never the secret value.
"""

from __future__ import annotations

import argparse
import json
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Final, TypeVar

from dotenv import dotenv_values

from ._issuers import DEFAULT_TOKEN_ISSUER, TOKEN_EXCHANGE_AUDIENCE

T = TypeVar("T")
USERS_VARIABLE: Final = "SETTINGS_CRED_EMULATOR_USERS"
"""``USER:PASSWORD`` lines: users that stay out of the process list."""
CLIENT_SECRETS_VARIABLE: Final = "SETTINGS_CRED_EMULATOR_CLIENT_SECRETS"
"""``CLIENT_ID:SECRET`` lines: client secrets that stay out of the process list."""


class InputError(ValueError):
    """A value from the environment, stdin or a file is malformed; the message never holds the value."""


@dataclass(frozen=True, slots=True)
class SecretEntry:
    """One Key Vault secret to store."""

    vault: str
    name: str
    value: str = field(repr=False)


@dataclass(frozen=True, slots=True)
class FederatedEntry:
    """A federated credential to register, and where to write a token it accepts."""

    client_id: str
    subject: str
    issuer: str = DEFAULT_TOKEN_ISSUER
    audience: str = TOKEN_EXCHANGE_AUDIENCE
    token_file: Path | None = None


@dataclass(frozen=True, slots=True)
class IdentityEntry:
    """A user-assigned identity to add."""

    name: str
    client_id: str | None


def pair(value: str, *, what: str) -> tuple[str, str]:
    """``NAME:SECRET`` split at the first colon (a secret may contain colons); ``InputError`` names ``what``."""
    name, sep, secret = value.partition(":")
    if not sep or not name.strip() or not secret:
        raise InputError(f"expected {what}")
    return name.strip(), secret


def pairs(text: str, *, source: str, what: str) -> list[tuple[str, str]]:
    """One ``NAME:SECRET`` per line; blank lines and ``#`` comments are skipped."""
    found = []
    for number, line in _lines(text):
        try:
            found.append(pair(line, what=what))
        except InputError:
            raise InputError(f"{source}, line {number}: expected {what}") from None
    return found


def secret_argument(value: str) -> SecretEntry:
    """``VAULT/NAME=VALUE``."""
    reference, sep, secret = value.partition("=")
    vault, slash, name = reference.partition("/")
    if not sep or not slash or not vault.strip() or not name.strip():
        raise InputError("expected VAULT/NAME=VALUE")
    return SecretEntry(vault.strip(), name.strip(), secret)


def secrets_file(path: Path) -> list[SecretEntry]:
    """Key Vault secrets from JSON (``{"vault/name": "value"}`` or ``{"vault": {"name": "value"}}``) or
    dotenv-style ``VAULT/NAME=VALUE`` lines (quotes and ``export`` as python-dotenv reads them)."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise InputError(f"cannot read secrets file {path}: {error.strerror}") from None
    if text.lstrip().startswith(("{", "[")):
        try:
            document = json.loads(text)
        except json.JSONDecodeError as error:
            raise InputError(f"{path}: not valid JSON (line {error.lineno})") from None
        return list(_json_secrets(document, path))
    entries = []
    for key, value in dotenv_values(path).items():
        if value is None:
            raise InputError(f"{path}: {key!r} has no value")
        try:
            entries.append(secret_argument(f"{key}={value}"))
        except InputError:
            raise InputError(f"{path}: {key!r} is not VAULT/NAME") from None
    return entries


def federated_argument(value: str) -> FederatedEntry:
    """``client_id=ID,subject=SUBJECT[,issuer=URL][,audience=AUD][,token_file=PATH]``."""
    fields: dict[str, str] = {}
    for item in value.split(","):
        key, sep, field = item.partition("=")
        if not sep or key.strip() not in {"client_id", "subject", "issuer", "audience", "token_file"}:
            raise InputError("expected client_id=ID,subject=SUBJECT[,issuer=URL][,audience=AUD][,token_file=PATH]")
        fields[key.strip()] = field.strip()
    if not fields.get("client_id") or not fields.get("subject"):
        raise InputError("a federated credential needs client_id= and subject=")
    fields["client_id"] = guid(fields["client_id"])
    token_file = fields.pop("token_file", "")
    return FederatedEntry(**fields, token_file=Path(token_file) if token_file else None)


def identity_argument(value: str) -> IdentityEntry:
    """``NAME`` or ``NAME:CLIENT_ID`` of a user-assigned identity."""
    name, _, client_id = value.partition(":")
    if not name.strip():
        raise InputError("expected NAME or NAME:CLIENT_ID")
    if client_id:
        guid(client_id)
    return IdentityEntry(name.strip(), client_id or None)


def guid(value: str) -> str:
    """A GUID in canonical form."""
    try:
        return str(uuid.UUID(value))
    except ValueError:
        raise InputError(f"not a GUID: {value!r}") from None


def as_argument_type(parse: Callable[[str], T]) -> Callable[[str], T]:
    """Wrap a parser for argparse: ``InputError`` becomes a usage error (without echoing the value)."""

    def convert(value: str) -> T:
        try:
            return parse(value)
        except InputError as error:
            raise argparse.ArgumentTypeError(str(error)) from None

    return convert


def _json_secrets(document: object, path: Path) -> Iterator[SecretEntry]:
    if not isinstance(document, dict):
        raise InputError(f"{path}: expected a JSON object")
    for key, value in document.items():
        if isinstance(value, dict):
            for name, secret in value.items():
                yield _json_entry(f"{key}/{name}", secret, path)
        else:
            yield _json_entry(key, value, path)


def _json_entry(reference: str, value: object, path: Path) -> SecretEntry:
    if not isinstance(value, str):
        raise InputError(f"{path}: the value of {reference!r} must be a string")
    try:
        return secret_argument(f"{reference}={value}")
    except InputError:
        raise InputError(f"{path}: {reference!r} is not VAULT/NAME") from None


def _lines(text: str) -> Iterator[tuple[int, str]]:
    """Numbered lines that are neither blank nor comments, kept verbatim (a password may end in a space)."""
    for number, line in enumerate(text.splitlines(), start=1):
        if line.strip() and not line.lstrip().startswith("#"):
            yield number, line
