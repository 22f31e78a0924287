"""SettingsError connects the dots: near-miss variables, unparsable ``.env`` lines, misspelt keywords,
a count that matches its bullets, and public names in tracebacks."""

from __future__ import annotations

import traceback
from pathlib import Path

import pytest

import settings_cred
from settings_cred import CredentialSettings, FileSecret, SettingsError, credential_from_env
from tests.conftest import CLIENT_ID, PASSWORD, USERNAME
from tests.settings.conftest import Write


class TestNearMisses:
    """A missing setting is explained by the variable that was probably meant for it."""

    def test_a_misspelt_variable_is_named_where_the_value_is_missing(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """With AZURE_USER_NAME set, the error itself says it is set and asks whether AZURE_USERNAME was meant."""
        monkeypatch.setenv("AZURE_CLIENT_ID", CLIENT_ID)
        monkeypatch.setenv("AZURE_USER_NAME", USERNAME)
        monkeypatch.setenv("AZURE_PASSWORD", PASSWORD)
        with pytest.raises(SettingsError) as caught:
            credential_from_env(env_file=None)
        (problem,) = caught.value.problems
        assert problem.setting == "AZURE_USERNAME"
        assert "AZURE_USER_NAME is set in the environment: did you mean AZURE_USERNAME?" in problem.message
        assert "missing: AZURE_USERNAME. AZURE_USER_NAME is set in the environment: did you mean AZURE_USERNAME?" in (
            str(caught.value)
        )

    def test_a_misspelt_file_variable_in_dotenv_is_named(self, write: Write, monkeypatch: pytest.MonkeyPatch) -> None:
        """A misspelt AZURE_PASSWORD_FILE in a .env file is named with the file it is in."""
        env_file = write("app/.env", "AZURE_PASSWORD_FIEL=/run/secrets/pw\n")
        with pytest.raises(SettingsError) as caught:
            CredentialSettings.from_sources(env_file=env_file, client_id=CLIENT_ID, username=USERNAME)
        assert f"AZURE_PASSWORD_FIEL is set in {env_file}: did you mean AZURE_PASSWORD_FILE?" in str(caught.value)

    def test_a_near_miss_of_a_setting_that_is_present_only_warns(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """A typo beside a setting that has its value is a warning, not part of any problem."""
        monkeypatch.setenv("AZURE_PASWORD", "x")
        with pytest.raises(SettingsError) as caught:
            CredentialSettings.from_sources(env_file=None, client_id=CLIENT_ID, password=PASSWORD)
        assert "AZURE_PASWORD" not in str(caught.value)
        assert caught.value.report is not None
        assert [w.setting for w in caught.value.report.warnings] == ["AZURE_PASWORD"]


class TestDotEnvSyntax:
    """A line python-dotenv cannot parse is named, with its file and line, in the error it explains."""

    def test_an_unparsable_line_explains_the_missing_value(
        self, write: Write, capfd: pytest.CaptureFixture[str]
    ) -> None:
        """The broken AZURE_PASSWORD line is named by file and line; python-dotenv prints nothing of its own."""
        env_file = write("app/.env", f'AZURE_CLIENT_ID={CLIENT_ID}\nAZURE_PASSWORD="{PASSWORD}\nAZURE_USERNAME=u@x\n')
        with pytest.raises(SettingsError) as caught:
            CredentialSettings.from_sources(env_file=env_file)
        (problem,) = caught.value.problems
        assert problem.setting == "AZURE_PASSWORD"
        assert f"python-dotenv could not parse line 2 of {env_file} (AZURE_PASSWORD=...)" in problem.message
        assert f"line 2 of {env_file}" in str(caught.value)
        assert PASSWORD not in str(caught.value)
        captured = capfd.readouterr()
        assert "python-dotenv" not in captured.err + captured.out

    def test_an_unparsable_line_of_no_known_name_is_named_too(self, write: Write) -> None:
        """A broken line whose variable cannot be told is still named where a value is missing."""
        env_file = write("app/.env", f"AZURE_CLIENT_ID={CLIENT_ID}\nthis is not a line\n")
        with pytest.raises(SettingsError) as caught:
            CredentialSettings.from_sources(env_file=env_file, username=USERNAME)
        assert f"python-dotenv could not parse line 2 of {env_file}." in str(caught.value)

    def test_an_unparsable_line_is_a_warning_when_nothing_is_missing(self, write: Write) -> None:
        """With every setting present, the broken line is reported as a warning of the load."""
        env_file = write("app/.env", "this is not a line\n")
        settings = CredentialSettings.from_sources(
            env_file=env_file, client_id=CLIENT_ID, username=USERNAME, password=PASSWORD
        )
        (warning,) = settings.describe().warnings
        assert (warning.kind, warning.setting) == ("env_file_syntax", str(env_file))
        assert "line 1" in warning.message


class TestMisspeltKeywords:
    """A keyword that is neither a setting nor a pipeline option gets the closest of either."""

    @pytest.mark.parametrize(
        ("keyword", "suggestion", "message"),
        [
            pytest.param("retry_totl", "retry_total", "is neither a setting nor a pipeline option.", id="option"),
            pytest.param("tenantid", "tenant_id", "is neither a setting nor a pipeline option.", id="setting"),
            pytest.param("conection_verify", "connection_verify", "is neither", id="transport"),
        ],
    )
    def test_credential_from_env_suggests_the_closest(self, keyword: str, suggestion: str, message: str) -> None:
        """credential_from_env(retry_totl=3) asks whether retry_total was meant."""
        with pytest.raises(SettingsError) as caught:
            credential_from_env(
                env_file=None, client_id=CLIENT_ID, username=USERNAME, password=PASSWORD, **{keyword: 3}
            )
        (problem,) = caught.value.problems
        assert (problem.setting, problem.source) == (keyword, f"argument {keyword}")
        assert message in problem.message
        assert problem.fix == f"did you mean {suggestion}?"

    def test_from_sources_suggests_the_closest_setting(self) -> None:
        """from_sources(tenant=...) asks whether tenant_id was meant (it takes no pipeline option)."""
        with pytest.raises(SettingsError) as caught:
            CredentialSettings.from_sources(
                env_file=None, client_id=CLIENT_ID, username=USERNAME, password=PASSWORD, tenant="x"
            )
        (problem,) = caught.value.problems
        assert problem.message == "is not a setting."
        assert problem.fix == "did you mean tenant_id?"


class TestRendering:
    """The header counts the bullets below it; one missing variable reads "set it"."""

    def test_the_count_matches_the_bullets(self) -> None:
        """Three missing settings share one bullet: with one bad value, the header says 2 problems."""
        with pytest.raises(SettingsError) as caught:
            CredentialSettings.from_sources(env_file=None, tenant_id="not a tenant!")
        lines = str(caught.value).splitlines()
        bullets = [line for line in lines if line.startswith("  - ")]
        assert lines[0] == f"Invalid credential settings (prefix AZURE_): {len(bullets)} problems."
        assert len(bullets) == 2

    def test_one_missing_variable_reads_set_it(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """A single missing variable gets "Fix: set it ...", naming its own _FILE variant."""
        with pytest.raises(SettingsError) as caught:
            CredentialSettings.from_sources(env_file=None, client_id=CLIENT_ID, username=USERNAME)
        message = str(caught.value)
        assert message.startswith("Invalid credential settings (prefix AZURE_): 1 problem.\n")
        assert (
            "  - missing: AZURE_PASSWORD. The password kind needs it (chosen by argument username). "
            "Fix: set it as an environment variable, or AZURE_PASSWORD_FILE"
        ) in message

    def test_several_missing_variables_read_set_each(self) -> None:
        """Several missing variables share "Fix: set each ..."; with nothing set, the default kind says so."""
        with pytest.raises(SettingsError) as caught:
            CredentialSettings.from_sources(env_file=None)
        assert (
            "missing: AZURE_CLIENT_ID, AZURE_USERNAME, AZURE_PASSWORD. The password kind needs them (the default: "
            "no variable of another kind is set, nor AZURE_CREDENTIAL_KIND). Fix: set each as"
        ) in str(caught.value)


@pytest.mark.parametrize("public", [CredentialSettings, FileSecret, SettingsError, credential_from_env])
def test_public_names_are_the_ones_tracebacks_show(public: object) -> None:
    """Each public settings name says it lives in settings_cred, where users import it from."""
    assert getattr(public, "__module__", None) == "settings_cred"
    assert getattr(settings_cred, getattr(public, "__name__", "")) is public


def test_a_traceback_names_settings_cred_settings_error(tmp_path: Path) -> None:
    """The last line of a SettingsError's traceback reads settings_cred.SettingsError, not the private module."""
    with pytest.raises(SettingsError) as caught:
        CredentialSettings.from_sources(env_file=None)
    last = traceback.format_exception_only(caught.value)[0]
    assert last.startswith("settings_cred.SettingsError: Invalid credential settings")
