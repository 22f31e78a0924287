"""Configured paths, expanded and inspected without raising anything but :class:`UnusablePathError`.

``Path.expanduser()`` raises ``RuntimeError`` for ``~unknown-user``, and ``stat`` raises ``OSError`` for a
path component longer than the file system allows; here both become a reason a person can act on.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from .._secret_files import MAX_COMPONENT_BYTES, describe_os_error


class UnusablePathError(ValueError):
    """A configured path cannot be used; the message says why, in words (never a file's content)."""


def expand(value: str | os.PathLike[str]) -> Path:
    """``value`` with ``~`` or ``~user`` expanded; :class:`UnusablePathError` when that cannot work."""
    text = os.fspath(value)
    try:
        path: Path | None = Path(text).expanduser()
    except RuntimeError:  # no such user, or no home directory to expand "~" to
        path = None
    if path is None:
        head = text.replace(os.sep, "/").split("/", 1)[0]
        raise UnusablePathError(f"{head} names no user of this system (or one without a home directory)")
    if any(len(os.fsencode(part)) > MAX_COMPONENT_BYTES for part in path.parts):
        raise UnusablePathError(
            f"a component of the path is longer than {MAX_COMPONENT_BYTES} bytes, the file system's limit"
        )
    return path


def absolute(value: str | os.PathLike[str]) -> Path:
    """:func:`expand`, made absolute against the working directory."""
    return expand(value).absolute()


def kind(path: Path) -> str | None:
    """``"file"``, ``"directory"`` or ``"other"`` for what is at ``path``; ``None`` when nothing is there."""
    try:
        mode = path.stat().st_mode
    except (FileNotFoundError, NotADirectoryError):
        return None
    except OSError as exc:
        reason = describe_os_error(exc)
    except ValueError:  # a NUL character
        reason = "the path contains a NUL character"
    else:
        if stat.S_ISDIR(mode):
            return "directory"
        return "file" if stat.S_ISREG(mode) else "other"
    raise UnusablePathError(reason)


def unusable_file(path: Path) -> str:
    """Why ``path`` is no file this process can read (empty when it is one); it is not opened."""
    try:
        found = kind(path)
    except UnusablePathError as problem:
        return str(problem)
    if found is None:
        return "the file does not exist"
    if found != "file":
        return "it is not a regular file"
    return "" if os.access(path, os.R_OK) else "the file is not readable by this process (permission denied)"
