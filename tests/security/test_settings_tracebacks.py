"""No secret in any frame local or chained exception of a settings failure, nor on Django's DEBUG error page.

Each failure is rendered as Sentry, Django's technical 500 page, rich and ``pytest -l`` show it: every
exception chained to it, every frame with its locals (``tests/security/sweep.py``). The secrets are
module constants, so no frame of these tests holds one as a local: anything found comes from the code.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from settings_cred import UsernamePasswordCredential
from settings_cred._settings import (
    CredentialSettings,
    KeyVaultSecret,
    SettingsError,
    async_credential_from_env,
    credential_from_env,
    parse_reference,
)
from settings_cred._settings._keyvault import KeyVaultFetchError, VaultAccess
from settings_cred.emulator import EntraEmulator
from tests.conftest import CLIENT_ID, PASSWORD, USERNAME
from tests.integrations.django.conftest import _django_configured  # noqa: F401 - a fixture this module uses
from tests.security.sweep import chain, leaks, render
from tests.settings.conftest import VAULT

CANARY = "Traceback-Canary-Pa55-4b7e19"
"""The password planted in each source."""
PROXY_CANARY = "Proxy-Canary-Pa55-90c3"
"""The proxy's password, in ``AZURE_HTTPS_PROXY`` for every settings failure."""
KEY_CANARY = "Key-Canary-0d8f"
"""A cache key too short to be accepted: its value must not appear either."""
STORE_CANARY = "Store-Canary-Pa55-61e2"
"""The shared store's password, in ``AZURE_TOKEN_CACHE_URL``."""
PEM_CANARY = "-----BEGIN PRIVATE KEY-----\nPem-Canary-MIIEvQ\n-----END PRIVATE KEY-----"
"""A certificate's content where its path belongs."""
SECRETS = (CANARY, PROXY_CANARY, KEY_CANARY, STORE_CANARY, "Pem-Canary-MIIEvQ", PASSWORD)
BAD_TENANT = "not a tenant!"
REFERENCE = f"@Microsoft.KeyVault(VaultName={VAULT};SecretName=canary)"
MISCONFIGURED: dict[str, dict[str, Any]] = {
    "invalid-setting": {
        "default": {"CLIENT_ID": CLIENT_ID, "USERNAME": USERNAME, "PASSWORD": CANARY, "TENANT_ID": BAD_TENANT}
    },
    "malformed-alias": {"default": {"PASSWORD": CANARY, "CLIENTID": CLIENT_ID}},
    "client-secret": {"default": {"CLIENT_ID": CLIENT_ID, "CLIENT_SECRET": CANARY, "TENANT_ID": BAD_TENANT}},
    "mixed-kinds": {"default": {"CLIENT_ID": CLIENT_ID, "CLIENT_SECRET": CANARY, "PASSWORD": CANARY}},
}
"""``SETTINGS_CRED`` values that cannot load, each holding the password (module constants: in no test's frame)."""


def assert_clean(exc: BaseException) -> None:
    """``exc`` rendered with every chained exception and frame local shows frames of ours, and no secret."""
    text = render(exc)
    assert "settings_cred" in text
    assert " = " in text, "the rendering must show frame locals"
    assert leaks(exc, SECRETS) == []


def required(**overrides: Any) -> dict[str, Any]:
    """The required settings with the canary as password (a fresh dict: the callee's frame holds it)."""
    return {"env_file": None, "client_id": CLIENT_ID, "username": USERNAME, "password": CANARY, **overrides}


@pytest.fixture(autouse=True)
def proxy_with_a_password(monkeypatch: pytest.MonkeyPatch) -> None:
    """A proxy URL carrying a password, and no other credential variable."""
    for name in list(os.environ):
        if name.upper().startswith("AZURE_"):
            monkeypatch.delenv(name)
    monkeypatch.setenv("AZURE_HTTPS_PROXY", f"http://proxyuser:{PROXY_CANARY}@proxy.example.com:3128")


Failure = Callable[[pytest.MonkeyPatch, Path], object]


def argument_to_constructor(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> object:
    """The password passed to ``CredentialSettings(...)``."""
    return CredentialSettings(
        _env_file=None, client_id=CLIENT_ID, username=USERNAME, password=CANARY, tenant_id=BAD_TENANT
    )


def argument_to_from_sources(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> object:
    """The password passed to ``CredentialSettings.from_sources(...)``."""
    return CredentialSettings.from_sources(**required(tenant_id=BAD_TENANT))


def argument_to_credential_from_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> object:
    """The password passed to ``credential_from_env(...)``, with a pipeline option."""
    return credential_from_env(**required(tenant_id=BAD_TENANT, retry_total=0))


def argument_to_async_credential_from_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> object:
    """The password passed to the async ``credential_from_env(...)``, loaded in a worker thread."""
    return asyncio.run(async_credential_from_env(**required(tenant_id=BAD_TENANT)))


def unknown_keyword(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> object:
    """The password passed under a misspelt keyword."""
    return credential_from_env(env_file=None, client_id=CLIENT_ID, username=USERNAME, passwrod=CANARY)


def environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> object:
    """The password in ``AZURE_PASSWORD``."""
    monkeypatch.setenv("AZURE_PASSWORD", CANARY)
    return CredentialSettings.from_sources(env_file=None, client_id=CLIENT_ID, username=USERNAME, tenant_id=BAD_TENANT)


def environment_with_a_missing_setting(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> object:
    """The password in ``AZURE_PASSWORD`` and the username missing."""
    monkeypatch.setenv("AZURE_PASSWORD", CANARY)
    return CredentialSettings.from_sources(env_file=None, client_id=CLIENT_ID)


def short_cache_key(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> object:
    """A cache key too short to be accepted, from the environment."""
    monkeypatch.setenv("AZURE_TOKEN_CACHE_KEY", KEY_CANARY)
    return CredentialSettings.from_sources(**required())


def file_variable(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> object:
    """The password in the file ``AZURE_PASSWORD_FILE`` names."""
    (tmp_path / "pw").write_text(CANARY + "\n")
    monkeypatch.setenv("AZURE_PASSWORD_FILE", str(tmp_path / "pw"))
    return CredentialSettings.from_sources(env_file=None, client_id=CLIENT_ID, username=USERNAME, tenant_id=BAD_TENANT)


def dotenv(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> object:
    """The password in a ``.env`` file."""
    (tmp_path / ".env").write_text(f"AZURE_PASSWORD={CANARY}\nAZURE_TENANT_ID={BAD_TENANT}\n")
    return CredentialSettings.from_sources(env_file=tmp_path / ".env", client_id=CLIENT_ID, username=USERNAME)


def secrets_dir(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> object:
    """The password in a secrets directory."""
    (tmp_path / "secrets").mkdir()
    (tmp_path / "secrets" / "azure_password").write_text(CANARY)
    return CredentialSettings.from_sources(
        env_file=None, secrets_dir=tmp_path / "secrets", client_id=CLIENT_ID, username=USERNAME, tenant_id=BAD_TENANT
    )


def application(**overrides: Any) -> dict[str, Any]:
    """An application's settings (the client_secret kind unless overridden), with a bad tenant: a fresh dict."""
    return {"env_file": None, "client_id": CLIENT_ID, "tenant_id": BAD_TENANT, **overrides}


def client_secret_argument(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> object:
    """The client secret passed to ``credential_from_env(...)``."""
    return credential_from_env(**application(client_secret=CANARY))


def client_secret_in_each_file_source(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> object:
    """The client secret in ``AZURE_CLIENT_SECRET_FILE``; a second load would find it in a secrets directory."""
    (tmp_path / "client-secret").write_text(CANARY + "\n")
    monkeypatch.setenv("AZURE_CLIENT_SECRET_FILE", str(tmp_path / "client-secret"))
    return CredentialSettings.from_sources(**application())


def client_secret_in_a_secrets_directory(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> object:
    """The client secret in a secrets directory, beside a leftover password: two kinds, and a bad tenant."""
    (tmp_path / "secrets").mkdir()
    (tmp_path / "secrets" / "azure_client_secret").write_text(CANARY)
    (tmp_path / "secrets" / "azure_password").write_text(CANARY)
    return CredentialSettings.from_sources(**application(secrets_dir=tmp_path / "secrets"))


def certificate_password_in_dotenv(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> object:
    """The certificate's password in ``.env``, its path missing."""
    (tmp_path / ".env").write_text(f"AZURE_CLIENT_CERTIFICATE_PASSWORD={CANARY}\n")
    return CredentialSettings.from_sources(**application(env_file=tmp_path / ".env"))


def wrong_certificate_password(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> object:
    """A certificate that its configured password does not open, at ``build_credential()``."""
    from settings_cred.emulator import ClientCertificate

    (tmp_path / "app.pfx").write_bytes(ClientCertificate.generate().pfx(b"another password"))
    monkeypatch.setenv("AZURE_CLIENT_CERTIFICATE_PATH", str(tmp_path / "app.pfx"))
    monkeypatch.setenv("AZURE_CLIENT_CERTIFICATE_PASSWORD", CANARY)
    return CredentialSettings.from_sources(**application(tenant_id="contoso.onmicrosoft.com")).build_credential()


def certificate_content_as_its_path(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> object:
    """A private key pasted into ``AZURE_CLIENT_CERTIFICATE_PATH``."""
    monkeypatch.setenv("AZURE_CLIENT_CERTIFICATE_PATH", PEM_CANARY)
    return CredentialSettings.from_sources(**application(tenant_id="contoso.onmicrosoft.com"))


def store_url_without_its_key(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> object:
    """A Redis URL with a password, and no ``AZURE_TOKEN_CACHE_KEY``."""
    monkeypatch.setenv("AZURE_TOKEN_CACHE_URL", f"rediss://:{STORE_CANARY}@cache.example.com:6380/0")
    return CredentialSettings.from_sources(**required())


def store_url_of_another_scheme(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> object:
    """A URL with a password that is no Redis URL."""
    return CredentialSettings.from_sources(
        **required(token_cache_url=f"https://app:{STORE_CANARY}@cache.example.com/0", token_cache_key=CANARY * 2)
    )


SOURCES = [
    argument_to_constructor,
    argument_to_from_sources,
    argument_to_credential_from_env,
    argument_to_async_credential_from_env,
    unknown_keyword,
    environment,
    environment_with_a_missing_setting,
    short_cache_key,
    file_variable,
    dotenv,
    secrets_dir,
    client_secret_argument,
    client_secret_in_each_file_source,
    client_secret_in_a_secrets_directory,
    certificate_password_in_dotenv,
    wrong_certificate_password,
    certificate_content_as_its_path,
    store_url_without_its_key,
    store_url_of_another_scheme,
]


@pytest.mark.parametrize("fail", [pytest.param(f, id=f.__name__.replace("_", "-")) for f in SOURCES])
def test_a_settings_error_from_any_source_holds_no_secret(
    fail: Failure, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """Whichever source held the password, the SettingsError has no chain and no frame that shows a secret."""
    with pytest.raises(SettingsError) as caught:
        fail(monkeypatch, tmp_path)
    assert caught.value.__context__ is None
    assert_clean(caught.value)


class TestKeyVault:
    """A value read from Key Vault, and the failures of reading one, leave no secret behind."""

    @pytest.fixture
    def vault_options(self, idp: EntraEmulator) -> Iterator[dict[str, Any]]:
        """``from_sources`` keywords reading the emulator's vault with Alice as the bootstrap credential."""
        with UsernamePasswordCredential(CLIENT_ID, USERNAME, PASSWORD, **idp.pipeline_options()) as bootstrap:
            yield {
                "keyvault_credential": bootstrap,
                "keyvault_options": {**idp.pipeline_options(), "retry_total": 0},
                "keyvault_timeout": 5.0,
            }

    def test_a_resolved_value_is_not_kept_by_a_later_failure(
        self, idp: EntraEmulator, vault_options: dict[str, Any]
    ) -> None:
        """The password read from Key Vault is nowhere in the error that another bad setting causes."""
        idp.add_secret(VAULT, "canary", CANARY)
        with pytest.raises(SettingsError) as caught:
            CredentialSettings.from_sources(**required(password=REFERENCE, tenant_id=BAD_TENANT), **vault_options)
        assert_clean(caught.value)

    @pytest.mark.parametrize("status", [403, 404, 500])
    def test_a_failed_read_holds_no_secret(
        self, status: int, idp: EntraEmulator, vault_options: dict[str, Any]
    ) -> None:
        """A vault answering an error is a SettingsError without the bootstrap's password or a chain."""
        idp.add_secret(VAULT, "canary", CANARY)
        idp.inject(endpoint="keyvault", status=status, times=None)
        with pytest.raises(SettingsError) as caught:
            CredentialSettings.from_sources(**required(password=REFERENCE), **vault_options)
        assert_clean(caught.value)

    def test_a_failing_bootstrap_credential_holds_no_secret(self, idp: EntraEmulator) -> None:
        """A bootstrap credential whose own password is wrong fails the load without showing that password."""
        with (
            UsernamePasswordCredential(CLIENT_ID, USERNAME, CANARY, **idp.pipeline_options()) as wrong,
            pytest.raises(SettingsError) as caught,
        ):
            CredentialSettings.from_sources(
                **required(password=REFERENCE),
                keyvault_credential=wrong,
                keyvault_options={**idp.pipeline_options(), "retry_total": 0},
            )
        assert "could not get a token for Key Vault" in str(caught.value)
        assert_clean(caught.value)

    def test_a_key_vault_secret_that_cannot_be_read_raises_without_a_chain(
        self, idp: EntraEmulator, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """The error of a first read is raised outside any ``except``: nothing is chained to it."""
        monkeypatch.delenv("AZURE_HTTPS_PROXY")  # requests would copy it into the proxies of this test's own frame
        idp.inject(endpoint="keyvault", status=403, times=None)
        with UsernamePasswordCredential(CLIENT_ID, USERNAME, PASSWORD, **idp.pipeline_options()) as bootstrap:
            access = VaultAccess(bootstrap, {**idp.pipeline_options(), "retry_total": 0}, 5.0)
            with pytest.raises(KeyVaultFetchError) as caught:
                KeyVaultSecret(parse_reference(REFERENCE), access)
        assert list(chain(caught.value)) == [caught.value]
        assert_clean(caught.value)


@pytest.mark.usefixtures("_django_configured")
class TestDjangoDebugPage:
    """Django's technical 500 page (DEBUG=True) shows frame locals: none of them is a secret."""

    @pytest.fixture(autouse=True)
    def project(self, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[None]:
        """The test project's routes with DEBUG on; no credential is left built afterwards."""
        from django.test import override_settings

        from settings_cred.integrations.django import credentials

        monkeypatch.chdir(tmp_path)
        with override_settings(
            ROOT_URLCONF="tests.integrations.django.project.urls", ALLOWED_HOSTS=["testserver"], DEBUG=True
        ):
            yield
        credentials.close_all()

    def debug_page(self, aliases: object) -> str:
        """The technical 500 page that ``GET /token/default`` answers with ``SETTINGS_CRED = aliases``.

        (This frame and the test's hold ``aliases``, but the page shows only the frames of the request.)
        """
        from django.test import Client, override_settings

        with override_settings(SETTINGS_CRED=aliases):
            response = Client(raise_request_exception=False).get("/token/default")
        assert response.status_code == 500
        page: str = response.content.decode()
        assert "Local vars" in page, "the page must show frame locals"
        return page

    @pytest.mark.parametrize("case", sorted(MISCONFIGURED))
    def test_a_misconfigured_alias(self, case: str) -> None:
        """A view using an alias whose settings are wrong shows the error, not the password."""
        page = self.debug_page(MISCONFIGURED[case])
        assert "SettingsError" in page or "ConfigurationError" in page
        assert CANARY not in page
        assert PROXY_CANARY not in page

    @pytest.mark.parametrize("case", sorted(MISCONFIGURED))
    def test_the_registry_error_holds_no_secret(self, case: str) -> None:
        """``credentials[alias]`` of a misconfigured alias raises an error with no secret in any frame or chain."""
        from django.core.exceptions import ImproperlyConfigured
        from django.test import override_settings

        from settings_cred.integrations.django import credentials

        with (
            override_settings(SETTINGS_CRED=MISCONFIGURED[case]),
            pytest.raises((SettingsError, ImproperlyConfigured)) as caught,
        ):
            credentials["default"]
        assert_clean(caught.value)

    def test_a_credential_that_fails(self, idp: EntraEmulator, monkeypatch: pytest.MonkeyPatch) -> None:
        """A view whose credential is refused by Entra ID shows the error, not the password."""
        for name, value in idp.environ().items():
            monkeypatch.setenv(name, value)
        monkeypatch.delenv("AZURE_HTTPS_PROXY")
        page = self.debug_page({"default": {"CLIENT_ID": CLIENT_ID, "USERNAME": USERNAME, "PASSWORD": CANARY}})
        assert "InvalidCredentialsError" in page
        assert CANARY not in page


@pytest.mark.parametrize("case", sorted(MISCONFIGURED))
def test_flask_init_app_error_holds_no_secret(case: str) -> None:
    """``SettingsCred(app)`` with a misconfigured alias raises a SettingsError with no secret in any frame."""
    from flask import Flask

    from settings_cred.integrations.flask import SettingsCred

    app = Flask(__name__)
    app.config["SETTINGS_CRED"] = MISCONFIGURED[case]
    with pytest.raises(SettingsError) as caught:
        SettingsCred(app)
    assert caught.value.__context__ is None
    assert_clean(caught.value)
