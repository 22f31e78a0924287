"""The settings sources, highest precedence first: arguments, environment, ``X_FILE``, ``.env``, secrets dir.

Each is a small pydantic-settings source returning ``{field: value}`` and recording every value's
:class:`Origin` in the active :class:`Load`. Unreadable files and ``X``/``X_FILE`` conflicts are
recorded as problems, so one error can list them all.
"""

from __future__ import annotations

import os
from abc import abstractmethod
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic.fields import FieldInfo
from pydantic_settings import PydanticBaseSettingsSource

from .._secret_files import SecretFileError, describe_os_error, read_secret_file
from ._dotenv import read_dotenv
from ._fields import PATH_FIELDS
from ._load import Load
from ._masked import masked
from ._origin import Origin
from ._paths import UnusablePathError, expand, kind, unusable_file
from ._variables import Variable, lookup

if TYPE_CHECKING:
    from pydantic_settings import BaseSettings

Found = dict[str, tuple[Any, Origin]]


class ProvenanceSource(PydanticBaseSettingsSource):
    """A source that reports each value together with where it came from."""

    def __init__(self, settings_cls: type[BaseSettings], load: Load) -> None:
        super().__init__(settings_cls)
        self.load = load

    def get_field_value(self, field: FieldInfo, field_name: str) -> tuple[Any, str, bool]:
        """Unused: these sources produce their whole dict in :meth:`collect`."""
        return None, field_name, False  # pragma: no cover

    def __call__(self) -> dict[str, Any]:
        """``{field: value}``, secrets and proxy URLs masked, each value's origin recorded in the load."""
        values: dict[str, Any] = {}
        for name, (value, origin) in self.collect().items():
            values[name] = masked(name, value)
            self.load.record(name, values[name], origin)
        return values

    @abstractmethod
    def collect(self) -> Found:
        """Every value this source has, with its origin."""

    def read_file(self, name: str, variable: Variable, base: Path | None, via: str) -> tuple[Any, Origin] | None:
        """The secret file ``variable`` names (relative to ``base``, else the working directory), or ``None``.

        ``None`` after recording why the file is unusable.
        """
        try:
            path = expand(variable.value)
        except UnusablePathError as problem:
            reason = str(problem)
            origin = Origin("file", variable.value, variable.name, via)
        else:
            path = base / path if base is not None else path.absolute()
            origin = Origin("file", os.fspath(path), variable.name, via)
            value, reason = self.read(name, path)
            if not reason:
                return value, origin
        self.load.problem(
            name,
            f"{variable.name} names {origin.location}, which cannot be used: {reason}.",
            "mount the secret file there, make it readable by this user, or correct the path",
            origin=origin,
        )
        return None

    @staticmethod
    def read(name: str, path: Path) -> tuple[str, str]:
        """Field ``name``'s value from the file at ``path``, and why the file cannot be used (empty when it can).

        For a setting that names a file (:data:`~._fields.PATH_FIELDS`), the file itself is the value:
        its path, checked but never read here (a certificate may be binary; the credential reads it).
        """
        if name in PATH_FIELDS:
            return os.fspath(path), unusable_file(path)
        try:
            return read_secret_file(path), ""
        except SecretFileError as problem:
            return "", str(problem)

    def conflict(self, name: str, value: Variable, file: Variable, origin: Origin) -> None:
        """Record that both ``X`` and ``X_FILE`` are set in the same place."""
        where = "the environment" if origin.kind == "env" else origin.location
        self.load.problem(
            name,
            f"both {value.name} and {file.name} are set in {where}; only one may be.",
            f"remove {value.name} or {file.name}",
            origin=origin,
        )


class ArgumentSource(ProvenanceSource):
    """Values passed to the constructor (``None`` means not given)."""

    def __init__(self, settings_cls: type[BaseSettings], load: Load, arguments: Mapping[str, Any]) -> None:
        super().__init__(settings_cls, load)
        self.arguments = {k: v for k, v in arguments.items() if v is not None}

    def collect(self) -> Found:
        """Each argument as given."""
        return {k: (v, Origin("argument", k, self.load.setting(k))) for k, v in self.arguments.items()}


class EnvironmentSource(ProvenanceSource):
    """``PREFIX_FIELD`` environment variables (any case; empty means unset)."""

    def __init__(self, settings_cls: type[BaseSettings], load: Load, environ: Mapping[str, str]) -> None:
        super().__init__(settings_cls, load)
        self.environ = environ

    def collect(self) -> Found:
        """The environment's values for our variables; our other prefixed names are noted for typo checks."""
        self.load.saw(self.environ, "in the environment")
        found: Found = {}
        for name in self.settings_cls.model_fields:
            variable = lookup(self.environ, self.load.names.variable(name))
            if variable is not None:
                found[name] = (variable.value, Origin("env", variable.name, variable.name))
        return found


class FileVariableSource(EnvironmentSource):
    """``PREFIX_FIELD_FILE`` environment variables: the value is the named file's content."""

    def collect(self) -> Found:
        """Each named file's content; a conflict with ``PREFIX_FIELD`` or an unreadable file is a problem."""
        found: Found = {}
        names = self.load.names
        for name in self.settings_cls.model_fields:
            file = lookup(self.environ, names.file_variable(name))
            if file is None:
                continue
            direct = lookup(self.environ, names.variable(name))
            if direct is not None:
                self.conflict(name, direct, file, Origin("env", file.name, file.name))
                continue
            read = self.read_file(name, file, None, file.name)
            if read is not None:
                found[name] = read
        return found


class DotEnvSource(ProvenanceSource):
    """A ``.env`` file (python-dotenv), including ``PREFIX_FIELD_FILE`` lines; a missing file is fine."""

    @staticmethod
    def origin_of(path: Path) -> Origin:
        """The file itself as the origin of a problem."""
        return Origin("env_file", os.fspath(path), "env_file")

    def collect(self) -> Found:
        """The file's values for our variables; relative ``_FILE`` paths are relative to the file."""
        path = self.load.env_file
        if path is None:
            return {}
        reason = "it is not a file"
        try:
            what = kind(path)
        except UnusablePathError as problem:
            what, reason = "unusable", str(problem)
        if what is None:
            return {}
        if what != "file":
            self.load.problem(
                "", f"{reason}.", "point env_file at a .env file, or pass None", origin=self.origin_of(path)
            )
            return {}
        try:
            entries, unparsed = read_dotenv(path)
        except (OSError, UnicodeDecodeError) as exc:
            self.load.problem(
                "", f"it cannot be read ({type(exc).__name__}).", "fix the file", origin=self.origin_of(path)
            )
            return {}
        for line in unparsed:
            self.load.warn("env_file_syntax", os.fspath(path), f"{line.describe()}; that statement was skipped")
        self.load.unparsed.extend(unparsed)
        self.load.saw(entries, f"in {os.fspath(path)}")
        found: Found = {}
        where = f" in {os.fspath(path)}"
        for name in self.settings_cls.model_fields:
            direct = lookup(entries, self.load.names.variable(name))
            file = lookup(entries, self.load.names.file_variable(name))
            if direct is not None and file is not None:
                self.conflict(name, direct, file, Origin("env_file", os.fspath(path), file.name))
            elif direct is not None:
                found[name] = (direct.value, Origin("env_file", os.fspath(path), direct.name))
            elif file is not None:
                read = self.read_file(name, file, path.parent, file.name + where)
                if read is not None:
                    found[name] = read
        return found


class SecretsDirSource(ProvenanceSource):
    """Files named like the variables (any case) in a secrets directory, as Docker and Kubernetes mount them."""

    def collect(self) -> Found:
        """Each matching file's content; hidden entries (Kubernetes' ``..data``) are skipped."""
        directory = self.load.secrets_dir
        if directory is None:
            return {}
        try:
            if kind(directory) != "directory":
                message = f"the secrets directory {directory} does not exist (or is not a directory)"
                self.load.warn("secrets_dir_missing", os.fspath(directory), message)
                return {}
            names = [entry for entry in directory.iterdir() if not entry.name.startswith(".")]
        except UnusablePathError as problem:
            reason = str(problem)
        except OSError as exc:
            reason = describe_os_error(exc)
        else:
            return self.read_entries({entry.name.upper(): entry for entry in names})
        self.load.problem(
            "",
            f"{directory} cannot be listed: {reason}.",
            "make the directory listable by this user, or pass another secrets_dir=",
            origin=Origin("argument", "secrets_dir", "secrets_dir"),
        )
        return {}

    def read_entries(self, entries: dict[str, Path]) -> Found:
        """The value of each entry named like one of our variables."""
        self.load.saw(entries, f"in the secrets directory {self.load.secrets_dir}")
        found: Found = {}
        for name in self.settings_cls.model_fields:
            variable = self.load.names.variable(name)
            entry = entries.get(variable)
            if entry is None:
                continue
            origin = Origin("secrets_dir", os.fspath(entry), variable)
            value, reason = self.read(name, entry)
            if reason:
                self.load.problem(
                    name, f"{os.fspath(entry)} cannot be used: {reason}.", "fix or remove the file", origin=origin
                )
            else:
                found[name] = (value, origin)
        return found
