"""The file backend: the processes of one host share a cache directory.

Entries are files written atomically (a rename) with mode 0600. Compare-and-set writes and leases use
``flock`` locks, which the kernel drops when their process dies: a killed process never leaves a lock
behind. The directory is trusted only if it is a real directory (not a symlink), owned by this user
and writable by nobody else, as ssh insists for ``~/.ssh``.
"""

from __future__ import annotations

import errno
import os
import stat
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Final

from ._backend import FENCE_DIGITS, StoreUnavailable, fence_field
from ._errors import StoreConfigurationError
from ._options import ENV_CACHE_DIR
from ._sealing import HEADER_BYTES, fence_of

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows: no flock, see docs/fleet.md
    fcntl = None  # type: ignore[assignment]

_WRITES_LOCK: Final = ".settings_cred.writes.lock"
_READ_LIMIT: Final = 16 * 1024 * 1024
_OPEN_FLAGS: Final = os.O_NOFOLLOW | getattr(os, "O_CLOEXEC", 0)


def trusted_directory(path: Path, *, setting: str = ENV_CACHE_DIR) -> Path:
    """Create `path` (0700) if missing; refuse it unless it is ours alone. Returns the absolute path."""
    path = path.expanduser().absolute()
    try:
        path.mkdir(mode=0o700, parents=True, exist_ok=True)
        status = os.lstat(path)
    except OSError as exc:
        raise StoreConfigurationError(
            f"The token cache directory {path} cannot be created or read ({exc.strerror or type(exc).__name__}). "
            f"Fix: point {setting} (or TokenCachePersistenceOptions(directory=...)) at a directory this user owns.",
            setting=setting,
        ) from None
    problem = _distrust(status)
    if problem:
        raise StoreConfigurationError(
            f"The token cache directory {path} is refused: {problem}. Other users could read or replace cached "
            f"tokens there. Fix: {_fix(problem, path)}, or point {setting} at a private directory.",
            setting=setting,
        )
    return path


def _distrust(status: os.stat_result) -> str | None:
    if stat.S_ISLNK(status.st_mode):
        return "it is a symbolic link"
    if not stat.S_ISDIR(status.st_mode):
        return "it is not a directory"
    if hasattr(os, "geteuid") and status.st_uid != os.geteuid():
        return "it belongs to another user"
    if status.st_mode & 0o022:
        return f"its mode {stat.S_IMODE(status.st_mode):04o} lets other users write to it"
    return None


def _fix(problem: str, path: Path) -> str:
    if "mode" in problem:
        return f"chmod 700 {path}"
    if "symbolic" in problem:
        return "configure the link's target itself"
    return "use a directory created by this user"


class FileLease:
    """A lease held as an exclusive ``flock`` on the lease's file; the file keeps the last fence."""

    __slots__ = ("_fd", "fence")

    def __init__(self, fd: int, fence: int) -> None:
        self._fd: int | None = fd
        self.fence = fence

    def release(self) -> None:
        """Unlock and close (the kernel would do both if the process died)."""
        fd, self._fd = self._fd, None
        if fd is not None:
            os.close(fd)


class FileBackend:
    """Sealed entries as files in a trusted directory."""

    def __init__(self, directory: Path, *, setting: str = ENV_CACHE_DIR) -> None:
        if fcntl is None:  # pragma: no cover - Windows
            raise StoreConfigurationError(
                "The shared file cache needs POSIX file locks (Linux, macOS).", setting=setting
            )
        self.directory = trusted_directory(directory, setting=setting)

    @property
    def location(self) -> str:
        """The directory."""
        return str(self.directory)

    def read(self, key: str) -> bytes | None:
        """The file's bytes, or None if there is none (a symlink planted there reads as none)."""
        return self._read(key, _READ_LIMIT)

    def _read(self, key: str, limit: int) -> bytes | None:
        """The file's first `limit` bytes (see :meth:`read`)."""
        try:
            fd = os.open(self._path(key), os.O_RDONLY | _OPEN_FLAGS)
        except FileNotFoundError:
            return None
        except OSError as exc:
            if exc.errno == errno.ELOOP:
                return None
            raise StoreUnavailable(_reason(exc)) from None
        try:
            with os.fdopen(fd, "rb") as stream:
                return stream.read(limit)
        except OSError as exc:
            raise StoreUnavailable(_reason(exc)) from None

    def write(self, key: str, blob: bytes, *, fence: int, ttl: float) -> bool:
        """Replace the file atomically unless it holds a larger fence (expiry is sealed in `blob`)."""
        try:
            with locked(self.directory / _WRITES_LOCK):
                current = self._read(key, HEADER_BYTES)
                if current is not None and fence_of(current) > fence:
                    return False
                _write_atomically(self._path(key), blob)
                return True
        except OSError as exc:
            raise StoreUnavailable(_reason(exc)) from None

    def delete(self, key: str) -> None:
        """Remove the file, if any."""
        try:
            self._path(key).unlink(missing_ok=True)
        except OSError as exc:
            raise StoreUnavailable(_reason(exc)) from None

    def try_lease(self, key: str, ttl: float) -> FileLease | None:
        """Lock the lease file without waiting; on success, advance the fence it records."""
        try:
            fd = os.open(self._path(key), os.O_RDWR | os.O_CREAT | _OPEN_FLAGS, 0o600)
        except OSError as exc:
            raise StoreUnavailable(_reason(exc)) from None
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            return None
        except OSError as exc:
            os.close(fd)
            raise StoreUnavailable(_reason(exc)) from None
        try:
            fence = _next_fence(fd)
        except OSError as exc:
            os.close(fd)
            raise StoreUnavailable(_reason(exc)) from None
        return FileLease(fd, fence)

    def ping(self) -> None:
        """Check that the directory is still there."""
        try:
            os.stat(self.directory)
        except OSError as exc:
            raise StoreUnavailable(_reason(exc)) from None

    def close(self) -> None:
        """Nothing stays open between calls."""

    def _path(self, key: str) -> Path:
        return self.directory / key.replace(":", ".").replace("{", "").replace("}", "")


@contextmanager
def locked(path: Path) -> Iterator[None]:
    """Hold an exclusive ``flock`` on the lock file `path` (created 0600, never followed if a symlink)."""
    fd = os.open(path, os.O_RDWR | os.O_CREAT | _OPEN_FLAGS, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)


def _next_fence(fd: int) -> int:
    """Microseconds since the epoch, or one more than the last fence if the clock went back."""
    recorded = os.pread(fd, FENCE_DIGITS, 0)
    try:
        last = int(recorded, 16) if recorded else 0
    except ValueError:
        last = 0
    fence = max(time.time_ns() // 1000, last + 1)
    os.pwrite(fd, fence_field(fence), 0)
    return fence


def _write_atomically(location: Path, data: bytes) -> None:
    handle, temporary = tempfile.mkstemp(dir=location.parent, prefix=f".{location.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temporary, 0o600)
        os.replace(temporary, location)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _reason(exc: OSError) -> str:
    return errno.errorcode.get(exc.errno or 0, type(exc).__name__)
