"""Whoever can write the cache directory cannot redirect the password: metadata is sealed, and egress is checked."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from settings_cred import TokenCachePersistenceOptions, UntrustedEndpointError, UsernamePasswordCredential
from settings_cred._store._sealing import PlainText, fence_of
from settings_cred.audit import CACHE_UNREADABLE, capture_audit
from settings_cred.emulator import EntraEmulator
from tests.conftest import CACHE_KEY, CLIENT_ID, PASSWORD, USERNAME, VAULT_SCOPE

BOB = "bob@contoso.onmicrosoft.com"
BOB_PASSWORD = "Bob-Canary-Pa55-64e1"
EVIL = "collector.evil.example.net"


def sign_in(idp: EntraEmulator, options: TokenCachePersistenceOptions, username: str, password: str) -> None:
    """One credential, one token, closed."""
    with UsernamePasswordCredential(
        CLIENT_ID, username, password, cache_persistence_options=options, **idp.pipeline_options()
    ) as credential:
        credential.get_token(VAULT_SCOPE)


def metadata_files(directory: Path) -> list[Path]:
    """The metadata entries of the cache directory."""
    return [p for p in directory.iterdir() if ".metadata." in p.name]


def redirect_token_endpoint(directory: Path) -> int:
    """What an attacker with write access does to a plain-text cache: point token_endpoint at their host."""
    changed = 0
    for path in metadata_files(directory):
        entry = PlainText().open(path.name, path.read_bytes())
        body = json.loads(entry.payload)
        if "token_endpoint" in body:
            body["token_endpoint"] = f"https://{EVIL}/organizations/oauth2/v2.0/token"
            payload = json.dumps(body).encode()
            path.write_bytes(PlainText().seal(path.name, fence_of(path.read_bytes()), payload, entry.expires_at))
            changed += 1
    return changed


def test_planted_metadata_in_an_encrypted_cache_reads_as_absent(idp: EntraEmulator, cache_dir: Path) -> None:
    """Metadata rewritten in clear next to an encrypted cache is not authentic: it is ignored and reported."""
    options = TokenCachePersistenceOptions(name="m", directory=cache_dir, encryption_key=CACHE_KEY)
    sign_in(idp, options, USERNAME, PASSWORD)
    files = metadata_files(cache_dir)
    assert files
    for path in files:
        planted = {"token_endpoint": f"https://{EVIL}/organizations/oauth2/v2.0/token", "issuer": "x"}
        path.write_bytes(PlainText().seal(path.name, 0, json.dumps(planted).encode(), time.time() + 3600))
    idp.add_user(BOB, BOB_PASSWORD)
    idp.clear_requests()
    with capture_audit() as events:
        sign_in(idp, options, BOB, BOB_PASSWORD)
    assert CACHE_UNREADABLE in [e["event"] for e in events]
    assert idp.count("token", grant_type="password") == 1
    assert idp.refused_connects == []


def test_a_password_is_never_posted_to_another_host_whatever_the_metadata_says(
    idp: EntraEmulator, cache_dir: Path
) -> None:
    """With a plain-text cache an attacker can rewrite, the password still goes nowhere but the authority."""
    options = TokenCachePersistenceOptions(name="m", directory=cache_dir, allow_unencrypted_storage=True)
    sign_in(idp, options, USERNAME, PASSWORD)
    assert redirect_token_endpoint(cache_dir) == 1
    idp.add_user(BOB, BOB_PASSWORD)
    idp.clear_requests()
    with pytest.raises(UntrustedEndpointError, match=EVIL) as caught:
        sign_in(idp, options, BOB, BOB_PASSWORD)
    assert idp.refused_connects == []
    assert [r for r in idp.requests if r.endpoint == "token" and r.username == BOB] == []
    assert BOB_PASSWORD not in str(caught.value)


def test_a_refresh_token_is_never_posted_to_another_host_either(idp: EntraEmulator, cache_dir: Path) -> None:
    """The same wall holds for refresh tokens (and client secrets and assertions)."""
    options = TokenCachePersistenceOptions(name="m", directory=cache_dir, allow_unencrypted_storage=True)
    sign_in(idp, options, USERNAME, PASSWORD)
    redirect_token_endpoint(cache_dir)
    idp.clear_requests()
    with (
        UsernamePasswordCredential(
            CLIENT_ID, USERNAME, PASSWORD, cache_persistence_options=options, **idp.pipeline_options()
        ) as credential,
        pytest.raises(UntrustedEndpointError),
    ):
        credential.get_token("https://graph.microsoft.com/.default")
    assert idp.refused_connects == []
    assert idp.count("token") == 0


def test_aliases_from_instance_discovery_are_trusted(idp: EntraEmulator) -> None:
    """A token endpoint on an alias that instance discovery listed for the authority is fine (login.windows.net)."""
    from settings_cred._transport._egress import EgressGuard

    guard = EgressGuard("https://login.microsoftonline.com")
    discovery = {
        "metadata": [
            {
                "preferred_network": "login.microsoftonline.com",
                "aliases": ["login.microsoftonline.com", "login.windows.net"],
            },
            {"preferred_network": "login.partner.microsoftonline.cn", "aliases": ["login.chinacloudapi.cn"]},
        ]
    }
    url = "https://login.microsoftonline.com/common/discovery/instance?api-version=1.1"
    guard.learn(url, json.dumps(discovery))
    guard.check("https://login.windows.net/organizations/oauth2/v2.0/token", {"password": "x"})
    with pytest.raises(UntrustedEndpointError):
        guard.check("https://login.chinacloudapi.cn/organizations/oauth2/v2.0/token", {"password": "x"})


def test_an_unresolved_key_vault_reference_is_never_sent_as_a_password(idp: EntraEmulator) -> None:
    """A password that is still `@Microsoft.KeyVault(...)` text never reaches Entra ID (no lockout count)."""
    from settings_cred import CredentialUnavailableError, UsernamePasswordCredential

    reference = "@Microsoft.KeyVault(VaultName=contoso-vault;SecretName=svc-password)"
    with (
        UsernamePasswordCredential(CLIENT_ID, USERNAME, reference, **idp.pipeline_options()) as credential,
        pytest.raises(CredentialUnavailableError, match="unresolved Key Vault reference"),
    ):
        credential.get_token(VAULT_SCOPE)
    assert idp.count("token") == 0
