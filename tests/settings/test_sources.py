"""Each source on its own: environment, prefixes, X_FILE, .env and the secrets directory."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from pydantic_settings import SettingsConfigDict

from settings_cred._settings import CredentialSettings, SettingsError
from tests.conftest import CACHE_KEY, CLIENT_ID, PASSWORD, USERNAME
from tests.settings.conftest import Write


def origin_text(settings: CredentialSettings, field: str) -> str:
    """The origin of ``field`` as the report prints it."""
    return str(settings.origins[field])


class TestEnvironment:
    """Variables are azure-identity's names with the prefix; any case is accepted."""

    def test_every_field_is_read_from_its_variable(self, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
        """Each AZURE_* variable lands in its field, typed (those of other kinds too, unused)."""
        ca = tmp_path / "ca.pem"
        ca.write_text("pem")
        variables = {
            "AZURE_CLIENT_ID": CLIENT_ID,
            "AZURE_USERNAME": USERNAME,
            "AZURE_PASSWORD": PASSWORD,
            "AZURE_TENANT_ID": "contoso.onmicrosoft.com",
            "AZURE_CREDENTIAL_KIND": "Password",
            "AZURE_CLIENT_SECRET": "client-secret",
            "AZURE_CLIENT_CERTIFICATE_PATH": str(ca),
            "AZURE_CLIENT_CERTIFICATE_PASSWORD": "certificate-password",
            "AZURE_CLIENT_SEND_CERTIFICATE_CHAIN": "true",
            "AZURE_FEDERATED_TOKEN_FILE": str(ca),
            "AZURE_TOKEN_CACHE_URL": "rediss://:redis-password@cache.example.com:6380/0",
            "AZURE_AUTHORITY_HOST": "login.microsoftonline.us",
            "AZURE_ADDITIONALLY_ALLOWED_TENANTS": " fabrikam.com ; ;tailspin.com",
            "AZURE_DISABLE_INSTANCE_DISCOVERY": "true",
            "AZURE_TOKEN_CACHE_PERSISTENCE": "1",
            "AZURE_TOKEN_CACHE_NAME": "reports.cache",
            "AZURE_TOKEN_CACHE_ALLOW_UNENCRYPTED": "no",
            "AZURE_TOKEN_CACHE_KEY": CACHE_KEY,
            "AZURE_TOKEN_CACHE_DIR": str(tmp_path / "cache"),
            "AZURE_ENABLE_SUPPORT_LOGGING": "false",
            "AZURE_CA_BUNDLE": str(ca),
            "AZURE_HTTPS_PROXY": "http://proxy.example.com:3128",
        }
        for name, value in variables.items():
            monkeypatch.setenv(name, value)
        settings = CredentialSettings.from_sources(env_file=None)
        assert settings.password is not None
        assert settings.password.get_secret_value() == PASSWORD
        assert (settings.credential_kind, settings.kind.kind) == ("password", "password")
        assert settings.client_certificate_path == settings.federated_token_file == ca
        assert settings.client_send_certificate_chain is True
        assert settings.token_cache_url is not None
        assert str(settings.token_cache_url) == "rediss://***@cache.example.com:6380/0"
        assert settings.authority_host == "https://login.microsoftonline.us"
        assert settings.additionally_allowed_tenants == ("fabrikam.com", "tailspin.com")
        assert (settings.disable_instance_discovery, settings.token_cache_persistence) == (True, True)
        assert settings.token_cache_allow_unencrypted is False
        assert settings.token_cache_dir == tmp_path / "cache"
        assert settings.pipeline_options() == {
            "connection_verify": str(ca),
            "proxies": {"https": "http://proxy.example.com:3128"},
        }
        assert {row.variable for row in settings.describe().rows} == set(variables)
        assert {row.source for row in settings.describe().rows} == {"env"}

    def test_lower_case_variables_are_accepted(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """azure_username works like AZURE_USERNAME, and the origin keeps the spelling used."""
        monkeypatch.setenv("azure_client_id", CLIENT_ID)
        monkeypatch.setenv("Azure_Username", USERNAME)
        monkeypatch.setenv("AZURE_PASSWORD", PASSWORD)
        settings = CredentialSettings.from_sources(env_file=None)
        assert settings.username == USERNAME
        assert origin_text(settings, "username") == "env Azure_Username"

    def test_surrounding_whitespace_is_trimmed_from_ids_but_not_from_the_password(
        self, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """A stray space around the client id is dropped; a password is taken exactly as given."""
        monkeypatch.setenv("AZURE_CLIENT_ID", f" {CLIENT_ID} ")
        settings = CredentialSettings.from_sources(env_file=None, username=USERNAME, password=" pw ")
        assert settings.client_id == CLIENT_ID
        assert settings.password.get_secret_value() == " pw "


class TestPrefixes:
    """A prefix lets one application hold several credentials."""

    def test_two_prefixes_side_by_side(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """POWERBI_* and DYNAMICS_* configure two independent credentials."""
        for prefix, user in (("POWERBI_", "pbi@contoso.com"), ("DYNAMICS_", "crm@contoso.com")):
            monkeypatch.setenv(f"{prefix}CLIENT_ID", CLIENT_ID)
            monkeypatch.setenv(f"{prefix}USERNAME", user)
            monkeypatch.setenv(f"{prefix}PASSWORD", PASSWORD)
        powerbi = CredentialSettings.from_sources(env_prefix="POWERBI_", env_file=None)
        dynamics = CredentialSettings.from_sources(env_prefix="DYNAMICS_", env_file=None)
        assert (powerbi.username, dynamics.username) == ("pbi@contoso.com", "crm@contoso.com")
        assert origin_text(powerbi, "username") == "env POWERBI_USERNAME"
        assert powerbi.env_prefix == "POWERBI_"

    def test_pydantic_settings_init_keywords_work(self, monkeypatch: pytest.MonkeyPatch, write: Write) -> None:
        """CredentialSettings(_env_prefix=..., _env_file=..., _secrets_dir=...) is the idiomatic spelling."""
        monkeypatch.setenv("POWERBI_CLIENT_ID", CLIENT_ID)
        env_file = write("app/powerbi.env", f"POWERBI_USERNAME={USERNAME}\n")
        secrets = write("secrets/powerbi_password", PASSWORD).parent
        settings = CredentialSettings(_env_prefix="POWERBI_", _env_file=env_file, _secrets_dir=secrets)
        assert [settings.origins[f].kind for f in ("client_id", "username", "password")] == [
            "env",
            "env_file",
            "secrets_dir",
        ]

    def test_a_subclass_can_fix_its_prefix_and_env_file(self, monkeypatch: pytest.MonkeyPatch, write: Write) -> None:
        """A subclass's model_config env_prefix and env_file apply to from_sources() and to the constructor."""
        env_file = write("app/powerbi.env", f"POWERBI_USERNAME={USERNAME}\n")

        class PowerBISettings(CredentialSettings):
            model_config = SettingsConfigDict(env_prefix="POWERBI_", env_file=env_file)

        monkeypatch.setenv("POWERBI_CLIENT_ID", CLIENT_ID)
        monkeypatch.setenv("POWERBI_PASSWORD", PASSWORD)
        settings = PowerBISettings.from_sources()
        assert (settings.username, settings.env_prefix) == (USERNAME, "POWERBI_")
        assert settings.origins["username"].location == str(env_file)
        assert PowerBISettings().username == USERNAME  # type: ignore[call-arg]  # no pydantic mypy plugin here

    def test_an_impossible_prefix_is_refused(self) -> None:
        """A prefix with characters no variable name has is a usage error."""
        with pytest.raises(ValueError, match="env_prefix"):
            CredentialSettings.from_sources(env_prefix="MY APP-")


class TestFileIndirection:
    """AZURE_X_FILE names a file that holds AZURE_X's value."""

    @pytest.mark.parametrize(
        ("content", "value"),
        [
            pytest.param("pw\n", "pw", id="newline"),
            pytest.param("pw\r\n", "pw", id="crlf"),
            pytest.param("pw\n\n\n", "pw", id="several-newlines"),
            pytest.param(" pw \t\n", " pw \t", id="other-whitespace-kept"),
            pytest.param("\ufeffpw", "pw", id="byte-order-mark"),
            pytest.param("line1\nline2\n", "line1\nline2", id="inner-newline-kept"),
        ],
    )
    def test_trailing_newlines_are_stripped(
        self, content: str, value: str, write: Write, monkeypatch: pytest.MonkeyPatch, signed_in_env: None
    ) -> None:
        """Only trailing newlines go: a password ending in a space keeps it."""
        monkeypatch.delenv("AZURE_PASSWORD")
        monkeypatch.setenv("AZURE_PASSWORD_FILE", str(write("run/secrets/pw", content)))
        settings = CredentialSettings.from_sources(env_file=None)
        assert settings.password.get_secret_value() == value

    def test_origin_names_the_file_and_the_variable(
        self, write: Write, monkeypatch: pytest.MonkeyPatch, signed_in_env: None
    ) -> None:
        """The password's origin is the file, reached via AZURE_PASSWORD_FILE."""
        monkeypatch.delenv("AZURE_PASSWORD")
        path = write("run/secrets/pw", PASSWORD)
        monkeypatch.setenv("AZURE_PASSWORD_FILE", str(path))
        settings = CredentialSettings.from_sources(env_file=None)
        assert origin_text(settings, "password") == f"file {path} via AZURE_PASSWORD_FILE"
        row = next(r for r in settings.describe().rows if r.field == "password")
        assert (row.variable, row.source, row.location, row.value) == (
            "AZURE_PASSWORD_FILE",
            "file",
            str(path),
            "**********",
        )

    def test_a_relative_path_is_relative_to_the_working_directory(
        self, isolated: Path, monkeypatch: pytest.MonkeyPatch, signed_in_env: None
    ) -> None:
        """AZURE_PASSWORD_FILE=pw reads ./pw."""
        monkeypatch.delenv("AZURE_PASSWORD")
        (isolated / "pw").write_text(PASSWORD)
        monkeypatch.setenv("AZURE_PASSWORD_FILE", "pw")
        assert CredentialSettings.from_sources(env_file=None).password.get_secret_value() == PASSWORD

    def test_setting_both_is_an_error_naming_both(
        self, write: Write, monkeypatch: pytest.MonkeyPatch, signed_in_env: None
    ) -> None:
        """AZURE_PASSWORD and AZURE_PASSWORD_FILE together are ambiguous."""
        monkeypatch.setenv("AZURE_PASSWORD_FILE", str(write("pw", "other")))
        with pytest.raises(SettingsError) as caught:
            CredentialSettings.from_sources(env_file=None)
        assert "both AZURE_PASSWORD and AZURE_PASSWORD_FILE are set in the environment" in str(caught.value)
        assert PASSWORD not in str(caught.value)

    @pytest.mark.parametrize(
        ("make", "reason"),
        [
            pytest.param(lambda root: root / "absent", "does not exist", id="missing"),
            pytest.param(lambda root: root, "not a regular file", id="directory"),
            pytest.param(lambda root: _write(root / "empty", ""), "is empty", id="empty"),
            pytest.param(lambda root: _write(root / "nl", "\n\n"), "is empty", id="only-newlines"),
            pytest.param(lambda root: _write(root / "big", "x" * 70_000), "larger than 64 KiB", id="too-large"),
            pytest.param(lambda root: _write_bytes(root / "bin", b"\xff\xfe\x00"), "not UTF-8", id="binary"),
        ],
    )
    def test_an_unusable_file_is_an_error_naming_variable_and_path(
        self, make: object, reason: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, signed_in_env: None
    ) -> None:
        """The error says which variable named which path and why it cannot be used."""
        monkeypatch.delenv("AZURE_PASSWORD")
        path = make(tmp_path)  # type: ignore[operator]
        monkeypatch.setenv("AZURE_PASSWORD_FILE", str(path))
        with pytest.raises(SettingsError) as caught:
            CredentialSettings.from_sources(env_file=None)
        message = str(caught.value)
        assert f"AZURE_PASSWORD_FILE names {path}" in message
        assert reason in message
        assert "missing" not in message, "a password that could not be read is not also reported missing"


def _write(path: Path, text: str) -> Path:
    path.write_text(text)
    return path


def _write_bytes(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


class TestDotEnv:
    """A .env file read with python-dotenv, below the environment."""

    def test_a_missing_file_is_fine(self, signed_in_env: None) -> None:
        """The default ./.env need not exist."""
        assert CredentialSettings.from_sources().username == USERNAME

    def test_values_and_origin(self, write: Write, isolated: Path) -> None:
        """The default .env in the working directory is read; the origin is its absolute path."""
        lines = ["# comment", f"AZURE_CLIENT_ID={CLIENT_ID}", f"export AZURE_USERNAME='{USERNAME}'"]
        (isolated / ".env").write_text("\n".join([*lines, f'AZURE_PASSWORD="{PASSWORD}"', ""]))
        settings = CredentialSettings.from_sources()
        assert (settings.client_id, settings.username) == (CLIENT_ID, USERNAME)
        assert settings.password.get_secret_value() == PASSWORD
        assert origin_text(settings, "username") == f".env {isolated / '.env'}"

    def test_x_file_inside_dotenv_is_relative_to_the_dotenv(
        self, write: Write, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """AZURE_PASSWORD_FILE=secrets/pw in /app/.env reads /app/secrets/pw."""
        monkeypatch.setenv("AZURE_CLIENT_ID", CLIENT_ID)
        monkeypatch.setenv("AZURE_USERNAME", USERNAME)
        pw = write("app/secrets/pw", PASSWORD + "\n")
        env_file = write("app/.env", "AZURE_PASSWORD_FILE=secrets/pw\n")
        settings = CredentialSettings.from_sources(env_file=env_file)
        assert settings.password.get_secret_value() == PASSWORD
        assert origin_text(settings, "password") == f"file {pw} via AZURE_PASSWORD_FILE in {env_file}"

    def test_both_in_dotenv_is_an_error_naming_both_and_the_file(self, write: Write, signed_in_env: None) -> None:
        """AZURE_TENANT_ID and AZURE_TENANT_ID_FILE in the same .env conflict."""
        write("app/tenant", "contoso.com")
        env_file = write("app/.env", "AZURE_TENANT_ID=contoso.com\nAZURE_TENANT_ID_FILE=tenant\n")
        with pytest.raises(SettingsError, match=f"both AZURE_TENANT_ID and AZURE_TENANT_ID_FILE are set in {env_file}"):
            CredentialSettings.from_sources(env_file=env_file)

    def test_environment_beats_dotenv_without_conflict(self, write: Write, monkeypatch: pytest.MonkeyPatch) -> None:
        """AZURE_PASSWORD_FILE in the environment and AZURE_PASSWORD in .env: the environment wins, no error."""
        monkeypatch.setenv("AZURE_PASSWORD_FILE", str(write("pw", PASSWORD)))
        env_file = write("app/.env", f"AZURE_CLIENT_ID={CLIENT_ID}\nAZURE_USERNAME={USERNAME}\nAZURE_PASSWORD=stale\n")
        settings = CredentialSettings.from_sources(env_file=env_file)
        assert settings.password.get_secret_value() == PASSWORD
        assert settings.origins["password"].kind == "file"

    def test_an_unreadable_file_is_an_error(self, write: Write, signed_in_env: None) -> None:
        """A .env that is not UTF-8 text is reported with its path."""
        env_file = write("app/.env", "")
        env_file.write_bytes(b"AZURE_TENANT_ID=\xff\xfe\n")
        with pytest.raises(SettingsError, match=f"env_file \\(.env {env_file}\\): it cannot be read"):
            CredentialSettings.from_sources(env_file=env_file)

    def test_a_directory_instead_of_a_file_is_an_error(self, tmp_path: Path, signed_in_env: None) -> None:
        """env_file naming a directory is reported, with the path."""
        with pytest.raises(SettingsError, match=f"{tmp_path}.*it is not a file"):
            CredentialSettings.from_sources(env_file=tmp_path)


class TestSecretsDirectory:
    """Files named like the variables, as Docker (/run/secrets) and Kubernetes volumes provide them."""

    @pytest.mark.parametrize("name", ["azure_password", "AZURE_PASSWORD", "Azure_Password"])
    def test_file_names_match_in_any_case(self, name: str, write: Write, monkeypatch: pytest.MonkeyPatch) -> None:
        """The password file may be named in any case; its trailing newline is dropped."""
        monkeypatch.setenv("AZURE_CLIENT_ID", CLIENT_ID)
        monkeypatch.setenv("AZURE_USERNAME", USERNAME)
        path = write(f"secrets/{name}", PASSWORD + "\n")
        settings = CredentialSettings.from_sources(env_file=None, secrets_dir=path.parent)
        assert settings.password.get_secret_value() == PASSWORD
        assert origin_text(settings, "password") == f"secrets_dir {path}"

    def test_kubernetes_volume_layout(self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        """A projected volume (..data link, timestamped directory, per-key links) reads through the links."""
        monkeypatch.setenv("AZURE_CLIENT_ID", CLIENT_ID)
        monkeypatch.setenv("AZURE_USERNAME", USERNAME)
        volume = tmp_path / "volume"
        (volume / "..2024_01_01").mkdir(parents=True)
        (volume / "..2024_01_01" / "azure_password").write_text(PASSWORD)
        (volume / "..data").symlink_to("..2024_01_01")
        (volume / "azure_password").symlink_to("..data/azure_password")
        settings = CredentialSettings.from_sources(env_file=None, secrets_dir=volume)
        assert settings.password.get_secret_value() == PASSWORD

    def test_a_missing_directory_is_a_warning(self, tmp_path: Path, signed_in_env: None) -> None:
        """A secrets directory that does not exist is reported, not fatal."""
        settings = CredentialSettings.from_sources(env_file=None, secrets_dir=tmp_path / "absent")
        assert [w.kind for w in settings.describe().warnings] == ["secrets_dir_missing"]

    def test_an_unusable_entry_is_an_error_naming_it(self, tmp_path: Path, signed_in_env: None) -> None:
        """A directory where a secret file should be is reported with its path."""
        entry = tmp_path / "secrets" / "azure_tenant_id"
        entry.mkdir(parents=True)
        with pytest.raises(SettingsError) as caught:
            CredentialSettings.from_sources(env_file=None, secrets_dir=entry.parent)
        assert f"AZURE_TENANT_ID (secrets_dir {entry}): {entry} cannot be used: it is not a regular file" in str(
            caught.value
        )


def test_paths_are_expanded_and_made_absolute(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """~ in env_file and secrets_dir is the home directory; provenance shows absolute paths."""
    monkeypatch.setenv("HOME", str(tmp_path))
    (tmp_path / "app.env").write_text(f"AZURE_CLIENT_ID={CLIENT_ID}\nAZURE_USERNAME={USERNAME}\nAZURE_PASSWORD=x\n")
    settings = CredentialSettings.from_sources(env_file="~/app.env")
    assert origin_text(settings, "client_id") == f".env {tmp_path / 'app.env'}"
    assert os.path.isabs(settings.origins["client_id"].location)
