"""Secret files: a careful reader, and a ``SecretSource`` that re-reads a file when it changes.

Rotation is detected by ``stat``: the real path (so Kubernetes' atomic ``..data`` symlink swap is
seen), inode, device, size and modification time. A file caught half-written (empty) or briefly
missing keeps the last good value.
"""

from __future__ import annotations

import errno
import logging
import os
import stat
import threading
from pathlib import Path
from typing import Final

from . import audit
from ._secret import Secret

MAX_COMPONENT_BYTES: Final = 255
"""The longest file name most file systems allow (``NAME_MAX``)."""
MAX_BYTES: Final = 64 * 1024
"""A secret file larger than this is refused: it is surely not a password."""
_MASK: Final = "**********"
_LOGGER = logging.getLogger("settings_cred.settings")


class SecretFileError(ValueError):
    """A secret file could not be used; the message names the reason, never the content."""


def read_secret_file(path: str | os.PathLike[str]) -> str:
    """The file's text (UTF-8) without trailing newlines; :class:`SecretFileError` when unusable."""
    try:
        regular = stat.S_ISREG(os.stat(path).st_mode)
        if regular:
            with open(path, "rb") as handle:
                data = handle.read(MAX_BYTES + 1)
    except FileNotFoundError:
        reason = "the file does not exist"
    except PermissionError:
        reason = "the file is not readable by this process (permission denied)"
    except OSError as exc:
        reason = describe_os_error(exc)
    except ValueError:
        reason = "the path contains a NUL character"
    else:
        reason = "" if regular else "it is not a regular file"
    if reason:
        raise SecretFileError(reason)
    text, problem = _decoded(data)
    del data  # no frame of a failure below keeps the content
    if problem:
        raise SecretFileError(problem)
    text = text.removeprefix("\ufeff").rstrip("\r\n")
    if not text:
        raise SecretFileError("the file is empty")
    return text


def describe_os_error(exc: OSError) -> str:
    """An ``OSError`` as a reason: permission, a name too long, or the error's name (never a path's content)."""
    if isinstance(exc, PermissionError):
        return "permission denied"
    if exc.errno == errno.ENAMETOOLONG:
        return f"a component of the path is longer than {MAX_COMPONENT_BYTES} bytes, or the whole path too long"
    return f"it cannot be read ({type(exc).__name__}, errno {exc.errno})"


def _decoded(data: bytes) -> tuple[str, str]:
    """``data`` as text (UTF-8) and an empty reason, or no text and why ``data`` is no secret's text (too large,
    not UTF-8).

    The ``UnicodeDecodeError`` is not kept: it holds the bytes.
    """
    if len(data) > MAX_BYTES:
        return "", f"the file is larger than {MAX_BYTES // 1024} KiB"
    try:
        return data.decode("utf-8"), ""
    except UnicodeDecodeError:
        return "", "the file is not UTF-8 text"


def _signature(path: str) -> tuple[str, int, int, int, int] | None:
    try:
        real = os.path.realpath(path)
        status = os.stat(real)
    except (OSError, ValueError):
        return None
    return (real, status.st_ino, status.st_dev, status.st_size, status.st_mtime_ns)


class FileSecret:
    """A password kept in a file, re-read whenever the file (or the link to it) changes."""

    __slots__ = ("_current", "_env_prefix", "_field", "_kind", "_lock", "_path", "_seen")

    def __init__(
        self,
        path: str | os.PathLike[str],
        *,
        initial: Secret | None = None,
        env_prefix: str = "",
        field: str = "password",
        kind: str = "file",
    ) -> None:
        self._path = os.fspath(Path(path).absolute())
        self._current = initial if initial is not None else Secret(read_secret_file(self._path))
        self._seen: tuple[str, int, int, int, int] | None = None
        self._lock = threading.Lock()
        self._env_prefix = env_prefix
        self._field = field
        self._kind = kind

    @property
    def path(self) -> str:
        """The absolute path named by the configuration (before resolving links)."""
        return self._path

    def get(self) -> Secret:
        """The file's current value; the last good one when the file is unreadable or empty right now."""
        signature = _signature(self._path)
        if signature is None or signature == self._seen:
            return self._current
        with self._lock:
            if signature == self._seen:
                return self._current
            try:
                secret = Secret(read_secret_file(signature[0]))
            except SecretFileError as problem:
                _LOGGER.debug("keeping the last good value of %s: %s", self._path, problem)
                return self._current
            self._seen = signature
            if secret != self._current:
                self._current = secret
                audit.emit(audit.SECRET_ROTATED, env_prefix=self._env_prefix, field=self._field, source=self._kind)
        return self._current

    def __repr__(self) -> str:
        return f"FileSecret({self._path!r}, '{_MASK}')"
