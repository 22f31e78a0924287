"""``credentials[alias]``: built lazily from ``SETTINGS_CRED`` (or ``AZURE_*``), once per process, shared by threads."""

from __future__ import annotations

import base64
import json
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.test import Client, override_settings

import settings_cred.integrations.django as integration
from settings_cred import UsernamePasswordCredential
from settings_cred.emulator import EntraEmulator
from settings_cred.integrations.django import UnknownAliasError, credentials
from tests.conftest import CLIENT_ID, PASSWORD, USERNAME, VAULT_SCOPE

BOB = "bob@contoso.onmicrosoft.com"
BOB_PASSWORD = "Bob-Pa55word-for-powerbi"


def upn(credential: UsernamePasswordCredential) -> str:
    """The user a Key Vault token from ``credential`` was issued to."""
    payload = credential.get_token(VAULT_SCOPE).token.split(".")[1]
    return str(json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))["upn"])


def test_public_names_are_pinned() -> None:
    """The integration exports exactly the registry, its type and the unknown-alias error."""
    assert sorted(integration.__all__) == ["CredentialRegistry", "UnknownAliasError", "credentials"]


def test_view_gets_a_token_through_the_default_alias(emulator_env: EntraEmulator) -> None:
    """Without SETTINGS_CRED a view's ``credentials["default"]`` reads AZURE_* and signs in once."""
    client = Client()
    first = client.get("/token/default")
    second = client.get("/token/default")
    assert first.status_code == 200
    assert first.json() == second.json()
    assert emulator_env.count("token", grant_type="password") == 1


def test_two_aliases_read_their_own_prefixes(emulator_env: EntraEmulator, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each alias reads its own prefix and gets its own credential, user and sign-in."""
    emulator_env.add_user(BOB, BOB_PASSWORD)
    monkeypatch.setenv("POWERBI_CLIENT_ID", CLIENT_ID)
    monkeypatch.setenv("POWERBI_USERNAME", BOB)
    monkeypatch.setenv("POWERBI_PASSWORD", BOB_PASSWORD)
    aliases = {"default": {"ENV_PREFIX": "AZURE_"}, "powerbi": {"ENV_PREFIX": "POWERBI_", "ENV_FILE": None}}
    with override_settings(SETTINGS_CRED=aliases):
        assert (upn(credentials["default"]), upn(credentials["powerbi"])) == (USERNAME, BOB)
        assert credentials["default"] is not credentials["powerbi"]
        assert sorted(credentials) == ["default", "powerbi"]
    assert emulator_env.count("token", grant_type="password") == 2


def test_values_and_options_come_from_settings(idp: EntraEmulator) -> None:
    """Field values and pipeline OPTIONS in SETTINGS_CRED are enough: no environment variable needed."""
    entry = {"CLIENT_ID": CLIENT_ID, "USERNAME": USERNAME, "PASSWORD": PASSWORD, "ENV_FILE": None}
    with override_settings(SETTINGS_CRED={"default": {**entry, "OPTIONS": idp.pipeline_options()}}):
        assert upn(credentials["default"]) == USERNAME


def test_sixteen_threads_share_one_credential_and_one_sign_in(emulator_env: EntraEmulator) -> None:
    """Sixteen threads asking at once get the same credential, built once, and Entra sees one password grant."""
    barrier = threading.Barrier(16)

    def first_use(_: int) -> tuple[int, int]:
        barrier.wait()
        credential = credentials["default"]
        return id(credential), credential.get_token(VAULT_SCOPE).expires_on

    with ThreadPoolExecutor(16) as pool:
        results = list(pool.map(first_use, range(16)))
    assert len({identity for identity, _ in results}) == 1
    assert emulator_env.count("token", grant_type="password") == 1


def test_unknown_alias_names_the_configured_ones() -> None:
    """An alias SETTINGS_CRED does not configure raises a KeyError that lists the configured aliases."""
    with (
        override_settings(SETTINGS_CRED={"default": {}, "powerbi": {"ENV_PREFIX": "POWERBI_"}}),
        pytest.raises(KeyError) as caught,
    ):
        credentials["graph"]
    assert isinstance(caught.value, UnknownAliasError)
    assert str(caught.value) == "SETTINGS_CRED has no alias 'graph'; configured aliases: 'default', 'powerbi'"


def test_close_all_forgets_built_credentials(emulator_env: EntraEmulator) -> None:
    """After ``close_all`` the next access builds a new credential; changing SETTINGS_CRED does the same."""
    first = credentials["default"]
    credentials.close_all()
    second = credentials["default"]
    with override_settings(SETTINGS_CRED={"default": {}}):
        third = credentials["default"]
        assert repr(credentials) == "<CredentialRegistry built=['default']>"
    assert first is not second
    assert third is not second
    assert repr(credentials) == "<CredentialRegistry built=[]>"
