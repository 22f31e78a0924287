"""Key Vault references: both syntaxes, resolved with the real SecretClient against the emulator's vault."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from settings_cred import UsernamePasswordCredential
from settings_cred._secret import Secret
from settings_cred._settings import (
    CredentialSettings,
    KeyVaultReference,
    KeyVaultSecret,
    ReferenceSyntaxError,
    SettingsError,
    parse_reference,
)
from settings_cred._settings._keyvault import VaultAccess
from settings_cred.audit import SECRET_ROTATED, capture_audit
from settings_cred.emulator import EntraEmulator
from tests.conftest import CLIENT_ID, PASSWORD, USERNAME
from tests.settings.conftest import VAULT, VAULT_URL

VERSION = "0123456789abcdef0123456789abcdef"
KV_PASSWORD = "Vault-Canary-Pa55-61d0"


def reference(name: str, version: str | None = None, vault: str = VAULT) -> str:
    """A SecretUri reference."""
    tail = f"/{version}" if version else ""
    return f"@Microsoft.KeyVault(SecretUri=https://{vault}.vault.azure.net/secrets/{name}{tail})"


class TestGrammar:
    """The two App Service syntaxes parse to the same reference; anything else is explained."""

    @pytest.mark.parametrize(
        ("text", "expected"),
        [
            pytest.param(reference("pw"), KeyVaultReference(VAULT_URL, "pw"), id="uri"),
            pytest.param(reference("pw") + "  ", KeyVaultReference(VAULT_URL, "pw"), id="uri-trailing-space"),
            pytest.param(
                f"@Microsoft.KeyVault(SecretUri={VAULT_URL}/secrets/pw/)",
                KeyVaultReference(VAULT_URL, "pw"),
                id="uri-/",
            ),
            pytest.param(
                reference("pw", VERSION.upper()), KeyVaultReference(VAULT_URL, "pw", VERSION), id="uri-version"
            ),
            pytest.param(
                f"@Microsoft.KeyVault(VaultName={VAULT};SecretName=pw)", KeyVaultReference(VAULT_URL, "pw"), id="names"
            ),
            pytest.param(
                f"@microsoft.keyvault( vaultname = {VAULT.upper()} ; secretname=pw ; SecretVersion={VERSION} ;)",
                KeyVaultReference(VAULT_URL, "pw", VERSION),
                id="names-any-case-and-spacing",
            ),
            pytest.param(
                "@Microsoft.KeyVault(SecretUri=https://gov-kv.vault.usgovcloudapi.net/secrets/pw)",
                KeyVaultReference("https://gov-kv.vault.usgovcloudapi.net", "pw"),
                id="national-cloud",
            ),
        ],
    )
    def test_valid_references(self, text: str, expected: KeyVaultReference) -> None:
        """Both forms, any key case, optional trailing slash and version."""
        assert parse_reference(text) == expected

    def test_vault_name_takes_the_cloud_suffix(self) -> None:
        """A VaultName completes with the suffix of the configured cloud."""
        parsed = parse_reference("@Microsoft.KeyVault(VaultName=cn-kv;SecretName=pw)", vault_suffix=".vault.azure.cn")
        assert parsed.secret_uri == "https://cn-kv.vault.azure.cn/secrets/pw"

    @pytest.mark.parametrize(
        ("text", "reason"),
        [
            pytest.param("@Microsoft.KeyVault(SecretUri=https://x.vault.azure.net/secrets/pw", "form", id="no-paren"),
            pytest.param("@Microsoft.KeyVault()", "needs SecretUri", id="empty"),
            pytest.param("@Microsoft.KeyVault(SecretUri=http://kv1.vault.azure.net/secrets/pw)", "https", id="http"),
            pytest.param("@Microsoft.KeyVault(SecretUri=https://evil.example.com/secrets/pw)", "https", id="not-vault"),
            pytest.param("@Microsoft.KeyVault(SecretUri=https://kv1.vault.azure.net/keys/pw)", "path", id="keys"),
            pytest.param(
                "@Microsoft.KeyVault(SecretUri=https://kv1.vault.azure.net/secrets/p_w)", "secret name", id="name"
            ),
            pytest.param(
                "@Microsoft.KeyVault(SecretUri=https://kv1.vault.azure.net/secrets/pw/xyz)", "version", id="version"
            ),
            pytest.param(
                "@Microsoft.KeyVault(SecretUri=https://kv1.vault.azure.net/secrets/pw?x=1)", "query", id="query"
            ),
            pytest.param("@Microsoft.KeyVault(VaultName=kv1)", "VaultName and SecretName", id="no-secret-name"),
            pytest.param("@Microsoft.KeyVault(VaultName=k;SecretName=pw)", "VaultName", id="short-vault"),
            pytest.param("@Microsoft.KeyVault(VaultName=a--b;SecretName=pw)", "VaultName", id="double-hyphen"),
            pytest.param("@Microsoft.KeyVault(VaultName=kv1;SecretNmae=pw)", "unknown key 'SecretNmae'", id="typo"),
            pytest.param("@Microsoft.KeyVault(VaultName=kv1;VaultName=kv2)", "given twice", id="twice"),
            pytest.param(
                "@Microsoft.KeyVault(SecretUri=https://kv1.vault.azure.net/secrets/pw;VaultName=kv1)",
                "cannot be combined",
                id="mixed",
            ),
            pytest.param("@Microsoft.KeyVault(SecretUri)", "Key=Value", id="no-equals"),
        ],
    )
    def test_malformed_references_say_what_is_wrong(self, text: str, reason: str) -> None:
        """Each malformed reference is refused with its specific reason."""
        with pytest.raises(ReferenceSyntaxError, match=reason):
            parse_reference(text)


def required(**overrides: Any) -> dict[str, Any]:
    """The required settings, with overrides."""
    return {"client_id": CLIENT_ID, "username": USERNAME, "password": PASSWORD, **overrides}


class TestResolution:
    """References are resolved after the merge, one get_secret each, by a bootstrap credential."""

    def test_a_secret_uri_reference_is_resolved(
        self, idp: EntraEmulator, vault: dict[str, Any], monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """The password comes from Key Vault; the origin names the reference and the variable that held it."""
        idp.add_secret(VAULT, "svc-password", KV_PASSWORD)
        monkeypatch.setenv("AZURE_PASSWORD", reference("svc-password"))
        settings = CredentialSettings.from_sources(env_file=None, client_id=CLIENT_ID, username=USERNAME, **vault)
        assert settings.password.get_secret_value() == KV_PASSWORD
        assert str(settings.origins["password"]) == (
            f"keyvault {VAULT_URL}/secrets/svc-password via env AZURE_PASSWORD"
        )
        row = next(r for r in settings.describe().rows if r.field == "password")
        assert (row.variable, row.source, row.value) == ("AZURE_PASSWORD", "keyvault", "**********")

    def test_a_vault_name_reference_with_a_version_is_resolved(self, idp: EntraEmulator, vault: dict[str, Any]) -> None:
        """VaultName/SecretName/SecretVersion reads exactly that version, not the newest."""
        old = idp.add_secret(VAULT, "tenant", "old.example.com")
        idp.add_secret(VAULT, "tenant", "new.example.com")
        text = f"@Microsoft.KeyVault(VaultName={VAULT};SecretName=tenant;SecretVersion={old})"
        settings = CredentialSettings.from_sources(env_file=None, **required(tenant_id=text), **vault)
        assert settings.tenant_id == "old.example.com"

    def test_several_references_are_read_in_parallel(self, idp: EntraEmulator, vault: dict[str, Any]) -> None:
        """Three slow references take about as long as one, each with one authorized read."""
        for name in ("a", "b", "c"):
            idp.add_secret(VAULT, name, f"{name}.example.com")
        idp.inject(endpoint="keyvault", delay=0.4, times=None)
        started = time.monotonic()
        settings = CredentialSettings.from_sources(
            env_file=None,
            **required(client_id=reference("a"), username=reference("b"), tenant_id=reference("c")),
            **vault,
        )
        elapsed = time.monotonic() - started
        assert (settings.client_id, settings.username, settings.tenant_id) == (
            "a.example.com",
            "b.example.com",
            "c.example.com",
        )
        assert elapsed < 2.0, f"three references took {elapsed:.1f} s: not resolved in parallel"
        reads = [r.path.rstrip("/") for r in idp.requests if r.endpoint == "keyvault" and r.status == 200]
        assert sorted(reads) == ["/secrets/a", "/secrets/b", "/secrets/c"], "one get_secret per reference"

    def test_transport_settings_reach_the_secret_client(
        self, idp: EntraEmulator, bootstrap: UsernamePasswordCredential, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """Without keyvault_options, AZURE_HTTPS_PROXY and AZURE_CA_BUNDLE route Key Vault reads."""
        idp.add_secret(VAULT, "pw", KV_PASSWORD)
        monkeypatch.setenv("AZURE_HTTPS_PROXY", idp.proxy_url)
        monkeypatch.setenv("AZURE_CA_BUNDLE", idp.ca_bundle)
        settings = CredentialSettings.from_sources(
            env_file=None, **required(password=reference("pw")), keyvault_credential=bootstrap
        )
        assert settings.password.get_secret_value() == KV_PASSWORD

    @pytest.mark.parametrize(
        ("arrange", "text", "reason"),
        [
            pytest.param(None, reference("absent"), "the vault has no such secret", id="missing-secret"),
            pytest.param(
                None,
                "@Microsoft.KeyVault(SecretUri=https://gov-kv.vault.usgovcloudapi.net/secrets/pw)",
                "the vault could not be reached (ServiceRequestError)",
                id="unreachable-vault",
            ),
            pytest.param({"status": 403}, reference("pw"), "Key Vault refused access (HTTP 403", id="forbidden"),
            pytest.param({"status": 503}, reference("pw"), "Key Vault answered HTTP 503", id="unavailable"),
        ],
    )
    def test_failures_name_the_setting_and_the_reference(
        self,
        arrange: dict[str, Any] | None,
        text: str,
        reason: str,
        *,
        idp: EntraEmulator,
        vault: dict[str, Any],
        monkeypatch: pytest.MonkeyPatch,
    ) -> None:
        """A failed read is a SettingsError naming the variable, the reference and the reason, never a value."""
        idp.add_secret(VAULT, "pw", KV_PASSWORD)
        if arrange:
            idp.inject(endpoint="keyvault", times=None, **arrange)
        monkeypatch.setenv("AZURE_PASSWORD", text)
        with pytest.raises(SettingsError) as caught:
            CredentialSettings.from_sources(env_file=None, client_id=CLIENT_ID, username=USERNAME, **vault)
        (problem,) = caught.value.problems
        assert problem.setting == "AZURE_PASSWORD"
        assert problem.source.startswith("keyvault https://")
        assert problem.source.endswith("via env AZURE_PASSWORD")
        assert reason in problem.message
        assert "missing" not in str(caught.value)
        assert KV_PASSWORD not in str(caught.value)

    def test_an_empty_secret_is_refused(self, idp: EntraEmulator, vault: dict[str, Any]) -> None:
        """A secret whose value is empty is no password: the error says to store a value."""
        idp.add_secret(VAULT, "empty", "")
        with pytest.raises(SettingsError, match=r"the secret has no value\. Fix: store a non-empty value"):
            CredentialSettings.from_sources(env_file=None, **required(password=reference("empty")), **vault)

    def test_a_bootstrap_credential_that_raises_anything_is_reported(self, idp: EntraEmulator) -> None:
        """A bootstrap credential failing with an exception outside azure-core's is a problem, not a crash."""

        class Broken:
            def get_token(self, *scopes: str, **kwargs: Any) -> Any:
                raise RuntimeError("the bootstrap is broken")

        idp.add_secret(VAULT, "pw", KV_PASSWORD)
        with pytest.raises(SettingsError, match=r"reading the secret failed \(RuntimeError\)"):
            CredentialSettings.from_sources(
                env_file=None,
                **required(password=reference("pw")),
                keyvault_credential=Broken(),  # type: ignore[arg-type]
                keyvault_options={**idp.pipeline_options(), "retry_total": 0},
            )

    def test_a_vault_that_never_answers_times_out(self, idp: EntraEmulator, vault: dict[str, Any]) -> None:
        """A hung vault costs the timeout, not a hang."""
        idp.add_secret(VAULT, "pw", KV_PASSWORD)
        idp.inject(endpoint="keyvault", delay=3.0, times=1)
        started = time.monotonic()
        with pytest.raises(SettingsError, match=r"did not answer within 0\.5 s"):
            CredentialSettings.from_sources(
                env_file=None, **required(password=reference("pw")), **{**vault, "keyvault_timeout": 0.5}
            )
        assert time.monotonic() - started < 1.5

    def test_a_reference_is_resolved_wherever_it_came_from(
        self, idp: EntraEmulator, vault: dict[str, Any], tmp_path: Path
    ) -> None:
        """A reference in a secrets-directory file resolves too, and its origin says so."""
        idp.add_secret(VAULT, "pw", KV_PASSWORD)
        (tmp_path / "azure_password").write_text(reference("pw") + "\n")
        settings = CredentialSettings.from_sources(
            env_file=None, secrets_dir=tmp_path, client_id=CLIENT_ID, username=USERNAME, **vault
        )
        assert settings.password.get_secret_value() == KV_PASSWORD
        assert settings.origins["password"].via == f"secrets_dir {tmp_path / 'azure_password'}"


class TestUnresolvedReferences:
    """Text that App Service passed through unresolved is detected and explained."""

    def test_a_malformed_reference_is_explained(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """A broken reference is not sent to Entra ID as a password: the error says what App Service does."""
        monkeypatch.setenv("AZURE_PASSWORD", "@Microsoft.KeyVault(SecretUri=https://kv1.vault.azure.net/secret/pw)")
        with pytest.raises(SettingsError) as caught:
            CredentialSettings.from_sources(env_file=None, client_id=CLIENT_ID, username=USERNAME)
        message = str(caught.value)
        assert "AZURE_PASSWORD (env AZURE_PASSWORD): looks like a Key Vault reference but is malformed" in message
        assert "App Service passes a reference through as plain text" in message
        assert "@Microsoft.KeyVault(VaultName=<vault>;SecretName=<name>" in message

    def test_on_app_service_the_hint_names_the_managed_identity(
        self, idp: EntraEmulator, vault: dict[str, Any], monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """Running under App Service, a reference we cannot resolve either points at its identity's access."""
        monkeypatch.setenv("WEBSITE_SITE_NAME", "reports")
        with pytest.raises(SettingsError, match="App Service passed the reference through unresolved too"):
            CredentialSettings.from_sources(env_file=None, **required(password=reference("absent")), **vault)

    def test_left_unresolved_on_request_they_are_reported(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """resolve_references=False keeps the reference, warns, and refuses to build a credential."""
        monkeypatch.setenv("AZURE_PASSWORD", reference("pw"))
        monkeypatch.setenv("AZURE_DISABLE_INSTANCE_DISCOVERY", reference("flag"))
        settings = CredentialSettings.from_sources(
            env_file=None, client_id=CLIENT_ID, username=USERNAME, resolve_references=False
        )
        assert [w.kind for w in settings.describe().warnings] == ["unresolved_reference"] * 2
        assert settings.disable_instance_discovery is False
        rows = {r.field: r for r in settings.describe().rows}
        assert (rows["password"].source, rows["password"].value) == ("keyvault", "**********")
        assert rows["disable_instance_discovery"].value == "(Key Vault reference, not resolved)"
        with pytest.raises(SettingsError, match="holds a Key Vault reference that was not resolved"):
            settings.build_credential()

    def test_without_azure_identity_the_error_says_what_to_install(self, tmp_path: Path) -> None:
        """With no bootstrap credential and no azure-identity, the error names the extra and the keyword."""
        code = (
            "import sys; sys.modules['azure.identity'] = None\n"
            "from settings_cred._settings import CredentialSettings, SettingsError\n"
            "try:\n"
            "    CredentialSettings.from_sources(env_file=None, client_id='c', username='u@x.com',\n"
            f"        password={reference('pw')!r})\n"
            "except SettingsError as error:\n"
            "    print(error)\n"
        )
        result = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True, cwd=tmp_path
        )
        assert "azure-identity is not installed" in result.stdout
        assert "pip install 'settings-cred[keyvault]'" in result.stdout
        assert "keyvault_credential=" in result.stdout


class TestKeyVaultRotation:
    """A versionless reference is re-read after its interval; a pinned one never; failures keep the last value."""

    def access(self, idp: EntraEmulator, bootstrap: UsernamePasswordCredential) -> VaultAccess:
        return VaultAccess(bootstrap, {**idp.pipeline_options(), "retry_total": 0}, 5.0)

    def test_a_versionless_reference_follows_the_newest_version(
        self, idp: EntraEmulator, bootstrap: UsernamePasswordCredential
    ) -> None:
        """After the interval, a new version is picked up and audited as a rotation."""
        idp.add_secret(VAULT, "pw", "first")
        source = KeyVaultSecret(
            parse_reference(reference("pw")), self.access(idp, bootstrap), refresh_interval=0.2, env_prefix="AZURE_"
        )
        assert source.get().reveal() == "first"
        idp.add_secret(VAULT, "pw", "second")
        assert source.get().reveal() == "first", "re-read before the interval"
        time.sleep(0.25)
        with capture_audit() as events:
            assert source.get().reveal() == "second"
            assert source.get().reveal() == "second"
        assert [e for e in events if e["event"] == SECRET_ROTATED] == [
            {
                "event": SECRET_ROTATED,
                "log_level": "info",
                "env_prefix": "AZURE_",
                "field": "password",
                "source": "keyvault",
            }
        ]

    def test_a_pinned_version_is_never_read_again(
        self, idp: EntraEmulator, bootstrap: UsernamePasswordCredential
    ) -> None:
        """A reference with a version is served from memory forever."""
        version = idp.add_secret(VAULT, "pw", "pinned")
        source = KeyVaultSecret(
            parse_reference(reference("pw", version)), self.access(idp, bootstrap), refresh_interval=0.01
        )
        reads = idp.count("keyvault")
        time.sleep(0.05)
        assert source.get().reveal() == "pinned"
        assert idp.count("keyvault") == reads

    def test_a_failed_refresh_keeps_the_last_good_value(
        self, idp: EntraEmulator, bootstrap: UsernamePasswordCredential, caplog: pytest.LogCaptureFixture
    ) -> None:
        """While the vault fails, the last value is served and the failure is logged without the value."""
        source = KeyVaultSecret(
            parse_reference(reference("pw")),
            self.access(idp, bootstrap),
            initial=Secret("last-good"),
            refresh_interval=0.01,
        )
        idp.inject(endpoint="keyvault", status=500, times=None)
        time.sleep(0.02)
        assert source.get().reveal() == "last-good"
        assert "keeping the last good value" in caplog.text
        assert "last-good" not in caplog.text
