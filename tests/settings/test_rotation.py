"""Rotation without restart: a password file re-read on change, releasing the lockout guard only when it changes."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from settings_cred import InvalidCredentialsError
from settings_cred._settings import CredentialSettings, FileSecret
from settings_cred.audit import LOCKOUT_RELEASED, SECRET_ROTATED, capture_audit
from settings_cred.emulator import EntraEmulator
from tests.conftest import CLIENT_ID, PASSWORD, USERNAME, VAULT_SCOPE, Driver, Drivers

WRONG = "Wrong-Rotation-Canary-0b7c"
Rotate = Callable[[str], None]


class PlainFile:
    """A password file rewritten in place (an operator's `echo new > file`)."""

    def __init__(self, root: Path) -> None:
        self.path = root / "pw"

    def write(self, value: str) -> None:
        self.path.write_text(value + "\n")


class KubernetesVolume:
    """A mounted Secret: each update writes a new timestamped directory and swaps the ``..data`` link atomically."""

    def __init__(self, root: Path) -> None:
        self.root = root / "volume"
        self.root.mkdir()
        self.path = self.root / "azure_password"
        self.generation = 0

    def write(self, value: str) -> None:
        self.generation += 1
        new = self.root / f"..2024_01_01_00_00_0{self.generation}"
        new.mkdir()
        (new / "azure_password").write_text(value)
        link = self.root / "..data_tmp"
        link.symlink_to(new.name)
        old = os.readlink(self.root / "..data") if (self.root / "..data").is_symlink() else None
        os.replace(link, self.root / "..data")
        if old is not None:
            for entry in (self.root / old).iterdir():
                entry.unlink()
            (self.root / old).rmdir()
        if not self.path.is_symlink():
            self.path.symlink_to("..data/azure_password")


@pytest.fixture(params=["plain-rewrite", "data-swap"])
def secret_file(request: pytest.FixtureRequest, tmp_path: Path) -> PlainFile | KubernetesVolume:
    """A password file rotated one of the two ways deployments do it."""
    return PlainFile(tmp_path) if request.param == "plain-rewrite" else KubernetesVolume(tmp_path)


@pytest.fixture(params=["sync", "async"])
def build(request: pytest.FixtureRequest, idp: EntraEmulator) -> Iterator[Callable[[CredentialSettings], Driver]]:
    """Build the sync or the async credential from settings, pointed at the emulator."""
    with Drivers(request.param) as drivers:

        def factory(settings: CredentialSettings) -> Driver:
            options = idp.pipeline_options()
            if drivers.loop:
                return drivers.add(settings.build_async_credential(**options))
            return drivers.add(settings.build_credential(**options))

        yield factory


def test_a_rotated_file_releases_the_lockout_guard(
    secret_file: PlainFile | KubernetesVolume,
    build: Callable[[CredentialSettings], Driver],
    idp: EntraEmulator,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Wrong password: one failed sign-in; same value rewritten: still guarded; new value: signs in, no restart."""
    secret_file.write(WRONG)
    monkeypatch.setenv("AZURE_PASSWORD_FILE", str(secret_file.path))
    settings = CredentialSettings.from_sources(env_file=None, client_id=CLIENT_ID, username=USERNAME)
    credential = build(settings)

    with pytest.raises(InvalidCredentialsError) as first:
        credential.get_token(VAULT_SCOPE)
    assert not first.value.from_lockout_guard

    with capture_audit() as unchanged:
        secret_file.write(WRONG)
        with pytest.raises(InvalidCredentialsError) as second:
            credential.get_token(VAULT_SCOPE)
    assert second.value.from_lockout_guard
    assert SECRET_ROTATED not in [e["event"] for e in unchanged]
    assert idp.count("token", grant_type="password") == 1

    with capture_audit() as rotated:
        secret_file.write(PASSWORD)
        assert credential.get_token(VAULT_SCOPE).token
    names = [e["event"] for e in rotated]
    assert names.index(SECRET_ROTATED) < names.index(LOCKOUT_RELEASED)
    event = next(e for e in rotated if e["event"] == SECRET_ROTATED)
    assert (event["env_prefix"], event["field"], event["source"]) == ("AZURE_", "password", "file")
    assert idp.count("token", grant_type="password") == 2


def test_the_secrets_directory_source_rotates_too(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A password from the secrets directory is a file source, audited with its own kind."""
    volume = KubernetesVolume(tmp_path)
    volume.write("first")
    settings = CredentialSettings.from_sources(
        env_file=None, secrets_dir=volume.root, client_id=CLIENT_ID, username=USERNAME
    )
    source = settings.password_source()
    assert isinstance(source, FileSecret)
    with capture_audit() as events:
        volume.write("second")
        assert source.get().reveal() == "second"
    assert [e["source"] for e in events if e["event"] == SECRET_ROTATED] == ["secrets_dir"]


class TestFileSecret:
    """The file source keeps serving the last good value through a rotation's awkward moments."""

    def test_a_half_written_file_keeps_the_last_value(self, tmp_path: Path) -> None:
        """An empty file (caught mid-write) is ignored; the completed write is picked up."""
        path = tmp_path / "pw"
        path.write_text("first")
        source = FileSecret(path)
        path.write_text("")
        assert source.get().reveal() == "first"
        path.write_text("second")
        assert source.get().reveal() == "second"

    def test_a_briefly_missing_file_keeps_the_last_value(self, tmp_path: Path) -> None:
        """A file that vanishes for a moment does not turn into an error at sign-in."""
        path = tmp_path / "pw"
        path.write_text("first")
        source = FileSecret(path)
        path.unlink()
        assert source.get().reveal() == "first"

    def test_get_answers_from_memory_while_stat_is_unchanged(self, tmp_path: Path) -> None:
        """Only a change of real path, inode, size or mtime triggers a read: get() is a stat, not a read."""
        path = tmp_path / "pw"
        path.write_text("first")
        source = FileSecret(path)
        assert source.get().reveal() == "first"
        before = path.stat()
        path.write_text("third")  # same size
        os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
        assert source.get().reveal() == "first"
        path.write_text("fourth")
        assert source.get().reveal() == "fourth"

    def test_repr_masks_the_value(self, tmp_path: Path) -> None:
        """The repr names the path, never the content."""
        path = tmp_path / "pw"
        path.write_text(PASSWORD)
        assert PASSWORD not in repr(FileSecret(path))
        assert str(path) in repr(FileSecret(path))
