"""The file backend trusts a cache directory only if it is this user's alone, and never follows a planted link."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from settings_cred import StoreConfigurationError, TokenCachePersistenceOptions, UsernamePasswordCredential
from settings_cred._store._files import FileBackend
from tests.conftest import CACHE_KEY, CLIENT_ID, PASSWORD, USERNAME


def test_a_missing_directory_is_created_private(tmp_path: Path) -> None:
    """The directory (and its missing parents) is created; the directory itself with mode 0700."""
    FileBackend(tmp_path / "a" / "cache")
    assert stat.S_IMODE((tmp_path / "a" / "cache").stat().st_mode) == 0o700


def test_entries_are_private_files(cache_dir: Path) -> None:
    """Every entry is written with mode 0600."""
    backend = FileBackend(cache_dir)
    backend.write("settings_cred:t:{a}:token", b"SCS1" + b"0" * 16, fence=0, ttl=60)
    entries = [p for p in cache_dir.iterdir() if p.name.startswith("settings_cred.")]
    assert entries
    assert {stat.S_IMODE(p.stat().st_mode) for p in entries} == {0o600}


@pytest.mark.parametrize("mode", [0o777, 0o770, 0o702])
def test_a_directory_others_can_write_is_refused(tmp_path: Path, mode: int) -> None:
    """A directory group or others can write is refused with the fix (as ssh refuses a loose ~/.ssh)."""
    directory = tmp_path / "loose"
    directory.mkdir()
    directory.chmod(mode)
    with pytest.raises(StoreConfigurationError, match=rf"lets other users write to it.*chmod 700 {directory}"):
        FileBackend(directory)


def test_a_symlinked_directory_is_refused(tmp_path: Path) -> None:
    """A cache directory that is a symbolic link is refused, even to a private directory."""
    (tmp_path / "real").mkdir(mode=0o700)
    (tmp_path / "link").symlink_to(tmp_path / "real")
    with pytest.raises(StoreConfigurationError, match="symbolic link"):
        FileBackend(tmp_path / "link")


@pytest.mark.skipif(os.geteuid() != 0, reason="changing a directory's owner needs root")
def test_a_directory_of_another_user_is_refused(tmp_path: Path) -> None:
    """A directory that belongs to someone else is refused."""
    directory = tmp_path / "theirs"
    directory.mkdir(mode=0o700)
    os.chown(directory, 65534, 65534)
    with pytest.raises(StoreConfigurationError, match="belongs to another user"):
        FileBackend(directory)


def test_a_file_in_place_of_the_directory_is_refused(tmp_path: Path) -> None:
    """A path that is not a directory cannot be a cache directory."""
    (tmp_path / "file").write_text("x")
    with pytest.raises(StoreConfigurationError, match="cannot be created or read"):
        FileBackend(tmp_path / "file")


def test_a_planted_symlink_entry_reads_as_absent(cache_dir: Path, tmp_path: Path) -> None:
    """An entry replaced by a link to another file is not followed."""
    backend = FileBackend(cache_dir)
    (tmp_path / "elsewhere").write_bytes(b"SCS1" + b"0" * 16 + b"planted")
    (cache_dir / "settings_cred.t.a.token").symlink_to(tmp_path / "elsewhere")
    assert backend.read("settings_cred:t:{a}:token") is None


def test_the_credential_refuses_a_loose_cache_directory(tmp_path: Path) -> None:
    """Building a credential over a world-writable cache directory fails at once, naming the setting."""
    directory = tmp_path / "loose"
    directory.mkdir()
    directory.chmod(0o777)
    options = TokenCachePersistenceOptions(directory=directory, encryption_key=CACHE_KEY)
    with pytest.raises(StoreConfigurationError) as caught:
        UsernamePasswordCredential(CLIENT_ID, USERNAME, PASSWORD, cache_persistence_options=options)
    assert caught.value.setting == "SETTINGS_CRED_CACHE_DIR"
