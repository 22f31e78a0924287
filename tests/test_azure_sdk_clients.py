"""Real Azure SDK clients use the credential: Key Vault's SecretClient, and azure-identity's chain."""

from __future__ import annotations

import asyncio

import pytest
from azure.core.credentials import AccessTokenInfo
from azure.core.exceptions import ClientAuthenticationError

from settings_cred import CredentialUnavailableError, InvalidCredentialsError, UsernamePasswordCredential
from settings_cred.aio import UsernamePasswordCredential as AsyncUsernamePasswordCredential
from settings_cred.emulator import EntraEmulator
from tests.conftest import CLIENT_ID, PASSWORD, USERNAME

VAULT_URL = "https://payroll-kv.vault.azure.net"


def test_sync_secret_client_reads_a_secret(idp: EntraEmulator) -> None:
    """SecretClient answers Key Vault's bearer challenge with our token and reads the secret."""
    from azure.keyvault.secrets import SecretClient

    idp.add_secret("payroll-kv", "db-password", "s3cr3t-value")
    options = idp.pipeline_options()
    with UsernamePasswordCredential(CLIENT_ID, USERNAME, PASSWORD, **options) as credential:
        client = SecretClient(VAULT_URL, credential, **options)
        assert client.get_secret("db-password").value == "s3cr3t-value"
        assert client.get_secret("db-password").value == "s3cr3t-value"
        client.close()
    assert idp.count("token") == 1
    assert idp.count("keyvault") == 3  # the unauthenticated challenge, then two authorized reads


def test_async_secret_client_reads_a_secret(idp: EntraEmulator) -> None:
    """The async SecretClient works with the async credential."""
    from azure.keyvault.secrets.aio import SecretClient

    idp.add_secret("payroll-kv", "db-password", "async-value")
    options = idp.pipeline_options()

    async def read() -> str | None:
        credential = AsyncUsernamePasswordCredential(CLIENT_ID, USERNAME, PASSWORD, **options)
        async with credential, SecretClient(VAULT_URL, credential, **options) as client:
            return (await client.get_secret("db-password")).value

    assert asyncio.run(read()) == "async-value"


class Unavailable:
    """A credential that cannot even try, like an EnvironmentCredential without variables."""

    def get_token(self, *scopes: str, **kwargs: object) -> object:
        raise CredentialUnavailableError(message="not configured")

    def get_token_info(self, *scopes: str, options: object = None) -> AccessTokenInfo:
        raise CredentialUnavailableError(message="not configured")


def test_chain_moves_past_our_unavailable_error(idp: EntraEmulator) -> None:
    """azure-identity's ChainedTokenCredential treats our CredentialUnavailableError as its own."""
    from azure.identity import ChainedTokenCredential

    with UsernamePasswordCredential(CLIENT_ID, USERNAME, PASSWORD, **idp.pipeline_options()) as ours:
        chain = ChainedTokenCredential(Unavailable(), ours)  # type: ignore[arg-type]
        assert chain.get_token_info("https://vault.azure.net/.default").token


def test_chain_stops_on_a_definitive_failure(idp: EntraEmulator) -> None:
    """A wrong password is a real failure: the chain reports it instead of trying further credentials."""
    from azure.identity import ChainedTokenCredential

    with UsernamePasswordCredential(CLIENT_ID, USERNAME, "wrong", **idp.pipeline_options()) as ours:
        chain = ChainedTokenCredential(ours, Unavailable())  # type: ignore[arg-type]
        with pytest.raises(ClientAuthenticationError, match="AADSTS50126"):
            chain.get_token("https://vault.azure.net/.default")


def test_our_exceptions_are_azure_identity_exceptions() -> None:
    """Code that catches azure-identity's exception types catches ours."""
    import azure.identity

    assert issubclass(CredentialUnavailableError, azure.identity.CredentialUnavailableError)
    assert issubclass(InvalidCredentialsError, ClientAuthenticationError)
