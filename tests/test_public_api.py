"""The public surface is pinned: adding or removing a name is a deliberate change."""

from __future__ import annotations

import warnings

import pytest

import settings_cred
import settings_cred.aio
from settings_cred import _notice
from settings_cred.emulator import EntraEmulator
from tests.conftest import CLIENT_ID, PASSWORD, USERNAME, VAULT_SCOPE

EXPECTED = {
    "AccountDisabledError", "AccountLockedError", "ApplicationNotFoundError", "AuthenticationRecord",
    "AuthenticationRequiredError", "AzureAuthorityHosts", "ConditionalAccessBlockedError", "ConsentRequiredError",
    "CredentialSettings", "FileSecret", "SettingsError", "credential_from_env",
    "CredentialUnavailableError", "EntraAuthenticationError", "EntraUnavailableError",
    "ExternalChallengeRequiredError", "InteractionRequiredError", "InvalidCredentialsError", "KnownAuthorities",
    "MfaRequiredError", "PasswordExpiredError", "PipelineOptions", "PublicClientFlowsDisabledError",
    "RefreshTokenRejectedError", "ResourcePrincipalNotFoundError", "RopcDeprecationWarning", "Secret",
    "SecretSource", "ServerLoopError", "SharedSignInTimeoutError", "StaticSecret", "StoreConfigurationError",
    "TenantNotAllowedError", "TenantNotFoundError", "TokenCachePersistenceOptions", "UntrustedEndpointError",
    "UserNotFoundError", "UsernamePasswordCredential", "WeakKeyError", "__version__", "configure_json_logging",
    "ClientSecretCredential", "CertificateCredential", "WorkloadIdentityCredential", "ManagedIdentityCredential",
    "InvalidClientSecretError", "ClientSecretExpiredError", "CertificateRejectedError",
    "ClientAssertionExpiredError", "FederatedCredentialMismatchError", "ManagedIdentityError",
}  # fmt: skip


def test_exports_are_pinned() -> None:
    """settings_cred exports exactly the documented names, sorted."""
    assert set(settings_cred.__all__) == EXPECTED
    assert settings_cred.__all__ == sorted(settings_cred.__all__)
    for name in settings_cred.__all__:
        assert hasattr(settings_cred, name)


def test_async_namespace() -> None:
    """Every credential kind has its async twin under settings_cred.aio, with the same name."""
    assert settings_cred.aio.__all__ == [
        "CertificateCredential",
        "ClientSecretCredential",
        "ManagedIdentityCredential",
        "UsernamePasswordCredential",
        "WorkloadIdentityCredential",
        "credential_from_env",
    ]


def test_authority_hosts_match_azure_identity() -> None:
    """AzureAuthorityHosts has azure-identity's values."""
    from azure.identity import AzureAuthorityHosts

    for name in ("AZURE_CHINA", "AZURE_GOVERNMENT", "AZURE_PUBLIC_CLOUD"):
        assert getattr(settings_cred.AzureAuthorityHosts, name) == getattr(AzureAuthorityHosts, name)


def test_ropc_notice_is_shown_once_per_process(monkeypatch: pytest.MonkeyPatch) -> None:
    """The deprecation notice appears for the first credential only, and msal's per-call warning never."""
    monkeypatch.setattr(_notice, "_shown", False)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        for _ in range(3):
            settings_cred.UsernamePasswordCredential("c", "u@x.com", "p").close()
    notices = [w for w in caught if issubclass(w.category, settings_cred.RopcDeprecationWarning)]
    assert len(notices) == 1
    assert "cannot do multi-factor authentication" in str(notices[0].message)
    assert notices[0].filename == __file__


def test_msal_per_call_warning_never_reaches_users(idp: EntraEmulator, monkeypatch: pytest.MonkeyPatch) -> None:
    """Three password sign-ins with every warning shown: only our one notice, none of msal's."""
    monkeypatch.setattr(_notice, "_shown", False)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        for _ in range(3):
            with settings_cred.UsernamePasswordCredential(
                CLIENT_ID, USERNAME, PASSWORD, **idp.pipeline_options()
            ) as credential:
                credential.get_token(VAULT_SCOPE)
    assert idp.count("token", grant_type="password") == 3
    assert [w.category for w in caught] == [settings_cred.RopcDeprecationWarning]


@pytest.mark.parametrize(
    ("statement", "absent"),
    [
        pytest.param(
            "from settings_cred import UsernamePasswordCredential",
            ["azure.identity", "msal", "requests", "pydantic", "pydantic_settings", "dotenv", "structlog",
             "msal_extensions", "redis", "cryptography", "opentelemetry"],
            id="the credential",
        ),
        pytest.param(
            "from settings_cred import credential_from_env",
            ["azure.core", "azure.identity", "msal", "structlog", "msal_extensions", "redis", "cryptography"],
            id="the settings layer",
        ),
        pytest.param(
            "import settings_cred.aio",
            ["azure.identity", "msal", "pydantic", "structlog", "redis", "cryptography"],
            id="the async namespace",
        ),
    ],
)  # fmt: skip
def test_an_import_loads_only_what_it_uses(statement: str, absent: list[str]) -> None:
    """Import cost (decision 16): optional and heavy packages load on first use, never at import."""
    import subprocess
    import sys

    code = f"import sys\n{statement}\nprint(sorted(m for m in {absent!r} if m in sys.modules))"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"
