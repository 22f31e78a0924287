"""The credential honours azure-identity's UsernamePasswordCredential contract, sync and async alike."""

from __future__ import annotations

import json

import pytest
from azure.core.credentials import AccessToken, AccessTokenInfo

from settings_cred import AuthenticationRecord, CredentialUnavailableError, UsernamePasswordCredential
from settings_cred.emulator import EntraEmulator
from tests.conftest import CLIENT_ID, USERNAME, VAULT_SCOPE, CredentialFactory


class TestGetToken:
    def test_returns_an_access_token_from_entra(self, make_credential: CredentialFactory, idp: EntraEmulator) -> None:
        """get_token returns azure-core's AccessToken with the emulator's token and expiry."""
        token = make_credential().get_token(VAULT_SCOPE)
        assert isinstance(token, AccessToken)
        assert token.token.count(".") == 2
        assert idp.count("token", grant_type="password") == 1

    def test_get_token_info_carries_token_type_and_expiry(self, make_credential: CredentialFactory) -> None:
        """get_token_info returns AccessTokenInfo with a Bearer token that expires in about an hour."""
        import time

        info = make_credential().get_token_info(VAULT_SCOPE)
        assert isinstance(info, AccessTokenInfo)
        assert info.token_type == "Bearer"
        assert 3500 < info.expires_on - time.time() <= 3600

    @pytest.mark.parametrize("method", ["get_token", "get_token_info"])
    def test_requires_at_least_one_scope(self, make_credential: CredentialFactory, method: str) -> None:
        """Calling without scopes is a ValueError naming the method, as in azure-identity."""
        credential = make_credential()
        with pytest.raises(ValueError, match=f"'{method}' requires at least one scope"):
            getattr(credential, method)()

    def test_refresh_in_from_entra_becomes_refresh_on(
        self, make_credential: CredentialFactory, idp: EntraEmulator
    ) -> None:
        """Entra's refresh_in is reported as AccessTokenInfo.refresh_on."""
        import time

        idp.refresh_in = 1800
        info = make_credential().get_token_info(VAULT_SCOPE)
        assert info.refresh_on is not None
        assert abs(info.refresh_on - (time.time() + 1800)) < 5


class TestAuthenticate:
    def test_returns_a_record_of_the_signed_in_account(
        self, make_credential: CredentialFactory, idp: EntraEmulator
    ) -> None:
        """authenticate() signs in and describes the account the way azure-identity does."""
        record = make_credential().authenticate(scopes=[VAULT_SCOPE])
        assert isinstance(record, AuthenticationRecord)
        assert record.username == USERNAME
        assert record.client_id == CLIENT_ID
        assert record.authority == "login.microsoftonline.com"
        assert record.tenant_id == idp.tenant_id
        uid, utid = record.home_account_id.split(".")
        assert utid == idp.tenant_id
        assert uid

    def test_defaults_to_the_management_scope_of_the_public_cloud(self, make_credential: CredentialFactory) -> None:
        """Without scopes, authenticate() asks for Azure Resource Manager's scope."""
        assert make_credential().authenticate().username == USERNAME

    def test_unknown_cloud_needs_explicit_scopes(self, make_credential: CredentialFactory) -> None:
        """For an authority without a known default scope, authenticate() says scopes are required."""
        credential = make_credential(authority="https://login.example.invalid")
        with pytest.raises(CredentialUnavailableError, match="'scopes'"):
            credential.authenticate()

    def test_record_json_matches_azure_identity(self, make_credential: CredentialFactory) -> None:
        """The serialized record has azure-identity's keys and azure-identity can read it back."""
        from azure.identity import AuthenticationRecord as IdentityRecord

        record = make_credential().authenticate(scopes=[VAULT_SCOPE])
        data = json.loads(record.serialize())
        assert sorted(data) == ["authority", "clientId", "homeAccountId", "tenantId", "username", "version"]
        theirs = IdentityRecord.deserialize(record.serialize())
        assert theirs.serialize() == record.serialize()
        assert AuthenticationRecord.deserialize(theirs.serialize()) == record


class TestConstruction:
    @pytest.mark.parametrize(
        ("overrides", "message"),
        [
            pytest.param({"authority": "http://login.microsoftonline.com"}, "https", id="http-authority"),
            pytest.param({"tenant_id": "contoso/../evil"}, "Invalid tenant ID", id="bad-tenant"),
            pytest.param({"client_id": ""}, "client_id", id="empty-client-id"),
            pytest.param({"username": ""}, "username", id="empty-username"),
            pytest.param({"password": ""}, "password must not be empty", id="empty-password"),
        ],
    )
    def test_rejects_bad_arguments_clearly(self, overrides: dict[str, str], message: str) -> None:
        """Invalid arguments fail at construction with a message that names them."""
        arguments = {"client_id": CLIENT_ID, "username": USERNAME, "password": "x", **overrides}
        with pytest.raises(ValueError, match=message):
            UsernamePasswordCredential(**arguments)

    def test_unknown_keyword_is_a_type_error(self) -> None:
        """A misspelt keyword is reported instead of silently ignored."""
        with pytest.raises(TypeError, match="conection_verify"):
            UsernamePasswordCredential(CLIENT_ID, USERNAME, "x", conection_verify=False)  # type: ignore[call-arg]

    def test_async_transports_are_refused_with_an_explanation(self) -> None:
        """An async azure-core transport is a clear TypeError: msal runs over a synchronous pipeline."""
        from azure.core.pipeline.transport import AioHttpTransport

        with pytest.raises(TypeError, match="synchronous"):
            UsernamePasswordCredential(CLIENT_ID, USERNAME, "x", transport=AioHttpTransport())  # type: ignore[arg-type]

    def test_azure_identity_only_keywords_are_accepted(self) -> None:
        """Keywords azure-identity accepts and discards (authentication_record) are accepted too."""
        UsernamePasswordCredential(CLIENT_ID, USERNAME, "x", authentication_record=None).close()  # type: ignore[call-arg]

    def test_authority_host_comes_from_the_environment(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """AZURE_AUTHORITY_HOST sets the default authority, as in azure-identity."""
        monkeypatch.setenv("AZURE_AUTHORITY_HOST", "login.microsoftonline.us")
        with UsernamePasswordCredential(CLIENT_ID, USERNAME, "x") as credential:
            assert "https://login.microsoftonline.us" in repr(credential)

    def test_repr_names_the_account_but_masks_it(self) -> None:
        """The repr shows client id, tenant and a masked username, never the password."""
        with UsernamePasswordCredential(CLIENT_ID, USERNAME, "hunter2-secret") as credential:
            text = repr(credential)
        assert text.startswith("settings_cred.UsernamePasswordCredential(")
        assert CLIENT_ID in text
        assert "a***@contoso.onmicrosoft.com" in text
        assert USERNAME not in text
        assert "hunter2" not in text


class TestLifecycle:
    def test_sync_context_manager_closes(self, idp: EntraEmulator) -> None:
        """The sync credential is a context manager and can be closed twice."""
        with UsernamePasswordCredential(CLIENT_ID, USERNAME, "x", **idp.pipeline_options()) as credential:
            pass
        credential.close()

    def test_async_context_manager_closes(self, idp: EntraEmulator) -> None:
        """The async credential is an async context manager."""
        import asyncio

        from settings_cred.aio import UsernamePasswordCredential as AsyncCredential

        async def use() -> None:
            async with AsyncCredential(CLIENT_ID, USERNAME, "x", **idp.pipeline_options()) as credential:
                assert "settings_cred.aio.UsernamePasswordCredential(" in repr(credential)

        asyncio.run(use())

    def test_implements_azure_core_protocols(self) -> None:
        """Both shells satisfy azure-core's token credential protocols."""
        from azure.core.credentials import SupportsTokenInfo, TokenCredential
        from azure.core.credentials_async import AsyncSupportsTokenInfo, AsyncTokenCredential

        from settings_cred.aio import UsernamePasswordCredential as AsyncCredential

        sync = UsernamePasswordCredential(CLIENT_ID, USERNAME, "x")
        assert isinstance(sync, TokenCredential)
        assert isinstance(sync, SupportsTokenInfo)
        sync.close()
        asynchronous = AsyncCredential(CLIENT_ID, USERNAME, "x")
        assert isinstance(asynchronous, AsyncTokenCredential)
        assert isinstance(asynchronous, AsyncSupportsTokenInfo)
