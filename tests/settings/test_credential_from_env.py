"""From settings to a working credential: the one-liners, transport settings, Key Vault, the persistent cache."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path
from typing import Any

import pytest

from settings_cred import EntraUnavailableError, InvalidCredentialsError, UsernamePasswordCredential
from settings_cred._settings import (
    CredentialSettings,
    KeyVaultSecret,
    SettingsError,
    async_credential_from_env,
    credential_from_env,
)
from settings_cred.aio import UsernamePasswordCredential as AsyncUsernamePasswordCredential
from settings_cred.audit import LOCKOUT_RELEASED, SECRET_ROTATED, capture_audit
from settings_cred.emulator import EntraEmulator
from tests.conftest import CACHE_KEY, CLIENT_ID, PASSWORD, USERNAME, VAULT_SCOPE
from tests.settings.conftest import VAULT


@pytest.fixture
def deployment(idp: EntraEmulator, monkeypatch: pytest.MonkeyPatch, signed_in_env: None) -> EntraEmulator:
    """A deployment configured only through variables, the transport ones pointing at the emulator."""
    monkeypatch.setenv("AZURE_HTTPS_PROXY", idp.proxy_url)
    monkeypatch.setenv("AZURE_CA_BUNDLE", idp.ca_bundle)
    return idp


def test_credential_from_env_signs_in(deployment: EntraEmulator) -> None:
    """credential_from_env() with no argument gives a working sync credential."""
    with credential_from_env() as credential:
        assert isinstance(credential, UsernamePasswordCredential)
        assert credential.get_token(VAULT_SCOPE).token
        assert USERNAME not in repr(credential)
    assert deployment.count("token", grant_type="password") == 1


def test_async_credential_from_env_signs_in(deployment: EntraEmulator) -> None:
    """The async one-liner gives a working async credential."""

    async def sign_in() -> str:
        async with await async_credential_from_env() as credential:
            assert isinstance(credential, AsyncUsernamePasswordCredential)
            return (await credential.get_token(VAULT_SCOPE)).token

    assert asyncio.run(sign_in())


def test_overrides_are_settings_or_pipeline_options(deployment: EntraEmulator) -> None:
    """tenant_id= overrides a setting, retry_total= reaches the pipeline: the 503 is not retried."""
    deployment.inject(endpoint="token", status=503, times=None)
    credential = credential_from_env(tenant_id=deployment.tenant_id, retry_total=0)
    with credential, pytest.raises(EntraUnavailableError):
        credential.get_token(VAULT_SCOPE)
    assert deployment.count("token") == 1
    assert deployment.requests[-1].path.startswith(f"/{deployment.tenant_id}/")


def test_an_unknown_override_is_a_settings_error(deployment: EntraEmulator) -> None:
    """A keyword that is neither a setting nor a pipeline option is reported, not ignored."""
    with pytest.raises(SettingsError, match="tenantid"):
        credential_from_env(tenantid="x")


def test_prefix_and_files(idp: EntraEmulator, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A prefixed configuration from a .env file and a secrets directory signs in."""
    (tmp_path / "powerbi.env").write_text(f"POWERBI_CLIENT_ID={CLIENT_ID}\nPOWERBI_USERNAME={USERNAME}\n")
    (tmp_path / "secrets").mkdir()
    (tmp_path / "secrets" / "powerbi_password").write_text(PASSWORD + "\n")
    credential = credential_from_env(
        env_prefix="POWERBI_", env_file=tmp_path / "powerbi.env", secrets_dir=tmp_path / "secrets",
        **idp.pipeline_options(),
    )  # fmt: skip
    with credential:
        assert credential.get_token(VAULT_SCOPE).token


def test_the_persistent_cache_settings_reach_the_credential(deployment: EntraEmulator, tmp_path: Path) -> None:
    """Persistence, name, key and directory from settings make the credential write its encrypted cache there."""
    cache_dir = tmp_path / "cache"
    credential = credential_from_env(
        token_cache_persistence=True,
        token_cache_name="reports",
        token_cache_key=CACHE_KEY,
        token_cache_dir=cache_dir,
    )
    with credential:
        credential.get_token(VAULT_SCOPE)
    entries = [p for p in cache_dir.iterdir() if p.name.startswith("settings_cred.reports.") and p.suffix != ".lease"]
    assert entries
    assert all(path.read_bytes().startswith(b"SCS1") for path in entries)
    assert all(PASSWORD.encode() not in path.read_bytes() for path in entries)


def test_a_rotated_key_vault_password_releases_the_lockout_guard(
    idp: EntraEmulator, vault: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A versionless reference to a wrong password fails once; a new version is signed in with after the interval."""
    idp.add_secret(VAULT, "svc-password", "Wrong-Vault-Canary-77")
    monkeypatch.setenv("AZURE_PASSWORD", f"@Microsoft.KeyVault(VaultName={VAULT};SecretName=svc-password)")
    settings = CredentialSettings.from_sources(
        env_file=None, client_id=CLIENT_ID, username=USERNAME, keyvault_refresh_interval=0.2, **vault
    )
    assert isinstance(settings.password_source(), KeyVaultSecret)
    bootstrap_sign_ins = idp.count("token", grant_type="password")
    with settings.build_credential(**idp.pipeline_options()) as credential:
        for _ in range(2):
            with pytest.raises(InvalidCredentialsError):
                credential.get_token(VAULT_SCOPE)
        idp.add_secret(VAULT, "svc-password", PASSWORD)
        time.sleep(0.25)
        with capture_audit() as events:
            assert credential.get_token(VAULT_SCOPE).token
    names = [e["event"] for e in events]
    assert SECRET_ROTATED in names
    assert LOCKOUT_RELEASED in names
    assert idp.count("token", grant_type="password") - bootstrap_sign_ins == 2
