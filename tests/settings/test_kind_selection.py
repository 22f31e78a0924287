"""The configuration chooses the credential kind: the variables set, ``AZURE_CREDENTIAL_KIND``, or the platform.

No request is made here: these are the rules, through ``CredentialSettings`` and as a pure function.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from settings_cred._settings import CredentialSettings, SettingsError
from settings_cred._settings._kind import (
    PRECEDENCE,
    SIGNALS,
    KindChoice,
    KindConflict,
    choose_kind,
)
from tests.conftest import CLIENT_ID, PASSWORD, USERNAME

TENANT = "contoso.onmicrosoft.com"
SECRET = "Kind-Selection-Secret-9f"
KIND_VARIABLES = {
    "client_secret": {"AZURE_CLIENT_SECRET": SECRET},
    "certificate": {"AZURE_CLIENT_CERTIFICATE_PATH": "app.pem"},
    "workload_identity": {"AZURE_FEDERATED_TOKEN_FILE": "token"},
    "password": {"AZURE_USERNAME": USERNAME, "AZURE_PASSWORD": PASSWORD},
}
"""The variables that choose each kind (files relative to the test's working directory, created by ``files``)."""


@pytest.fixture(autouse=True)
def files(isolated: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A certificate and a token file in the working directory, and no platform identity endpoint."""
    (isolated / "app.pem").write_text("a certificate")
    (isolated / "token").write_text("a federated token")
    for name in ("IDENTITY_ENDPOINT", "IDENTITY_HEADER", "MSI_ENDPOINT"):
        monkeypatch.delenv(name, raising=False)
    return isolated


def load(monkeypatch: pytest.MonkeyPatch, variables: dict[str, str]) -> CredentialSettings:
    """Settings from exactly ``variables`` (and no .env)."""
    for name, value in variables.items():
        monkeypatch.setenv(name, value)
    return CredentialSettings.from_sources(env_file=None)


class TestChosenByVariables:
    """Without AZURE_CREDENTIAL_KIND, the variables of one kind choose it; the report says which did."""

    @pytest.mark.parametrize(
        ("variables", "kind", "chosen_by"),
        [
            pytest.param(
                {"AZURE_CLIENT_SECRET": SECRET}, "client_secret", ("AZURE_CLIENT_SECRET",), id="client-secret"
            ),
            pytest.param(
                {"AZURE_CLIENT_CERTIFICATE_PATH": "app.pem", "AZURE_CLIENT_CERTIFICATE_PASSWORD": "pw"},
                "certificate",
                ("AZURE_CLIENT_CERTIFICATE_PATH",),
                id="certificate",
            ),
            pytest.param(
                {"AZURE_FEDERATED_TOKEN_FILE": "token"},
                "workload_identity",
                ("AZURE_FEDERATED_TOKEN_FILE",),
                id="workload-identity",
            ),
            pytest.param(
                {"AZURE_USERNAME": USERNAME, "AZURE_PASSWORD": PASSWORD},
                "password",
                ("AZURE_USERNAME", "AZURE_PASSWORD"),
                id="username-and-password",
            ),
            pytest.param(
                {"IDENTITY_ENDPOINT": "http://127.0.0.1:41234/msi/token"},
                "managed_identity",
                ("IDENTITY_ENDPOINT",),
                id="app-service-identity-endpoint",
            ),
        ],
    )
    def test_the_variables_of_one_kind_choose_it(
        self, monkeypatch: pytest.MonkeyPatch, variables: dict[str, str], kind: str, chosen_by: tuple[str, ...]
    ) -> None:
        """Each kind's own variables choose it, and ``settings.kind`` names them."""
        settings = load(monkeypatch, {"AZURE_CLIENT_ID": CLIENT_ID, "AZURE_TENANT_ID": TENANT, **variables})
        assert settings.kind == KindChoice(kind, chosen_by)
        assert settings.describe().kind == settings.kind
        assert f"credential kind: {kind} (chosen by {', '.join(chosen_by)})" in settings.describe().as_text()

    def test_a_file_variable_chooses_as_well_and_is_named(self, monkeypatch: pytest.MonkeyPatch, files: Path) -> None:
        """AZURE_CLIENT_SECRET_FILE chooses the client_secret kind and is named as the reason."""
        (files / "secret").write_text(SECRET)
        settings = load(
            monkeypatch,
            {"AZURE_CLIENT_ID": CLIENT_ID, "AZURE_TENANT_ID": TENANT, "AZURE_CLIENT_SECRET_FILE": "secret"},
        )
        assert settings.kind.reason() == "chosen by AZURE_CLIENT_SECRET_FILE"

    def test_the_platform_identity_gives_way_to_configured_variables(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """On App Service with a managed identity, a configured client secret is still what is used."""
        settings = load(
            monkeypatch,
            {
                "IDENTITY_ENDPOINT": "http://127.0.0.1:41234/msi/token",
                "AZURE_CLIENT_ID": CLIENT_ID,
                "AZURE_TENANT_ID": TENANT,
                "AZURE_CLIENT_SECRET": SECRET,
            },
        )
        assert settings.kind.kind == "client_secret"

    def test_a_client_id_with_the_platform_identity_picks_a_user_assigned_one(
        self, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """Only AZURE_CLIENT_ID on a platform with an identity endpoint: a user-assigned managed identity."""
        settings = load(
            monkeypatch, {"IDENTITY_ENDPOINT": "http://127.0.0.1:41234/msi/token", "AZURE_CLIENT_ID": CLIENT_ID}
        )
        assert settings.kind.kind == "managed_identity"
        assert settings.client_id == CLIENT_ID

    def test_a_password_only_flag_does_not_choose_the_password_kind(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """AZURE_ENABLE_SUPPORT_LOGGING on App Service: still the managed identity, and the flag is flagged unused."""
        settings = load(
            monkeypatch,
            {"IDENTITY_ENDPOINT": "http://127.0.0.1:41234/msi/token", "AZURE_ENABLE_SUPPORT_LOGGING": "true"},
        )
        assert settings.kind.kind == "managed_identity"
        assert [(w.kind, w.setting) for w in settings.describe().warnings] == [
            ("ignored", "AZURE_ENABLE_SUPPORT_LOGGING")
        ]

    def test_nothing_at_all_is_the_password_kind_as_before(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """With no variable of any kind, the password kind applies (what this library always read)."""
        with pytest.raises(SettingsError) as caught:
            load(monkeypatch, {"AZURE_CLIENT_ID": CLIENT_ID})
        assert [p.setting for p in caught.value.problems] == ["AZURE_USERNAME", "AZURE_PASSWORD"]
        assert "The password kind needs them (the default: no variable of another kind is set, nor " in str(
            caught.value
        )


class TestExplicitKind:
    """AZURE_CREDENTIAL_KIND names the kind; the variables of other kinds are then ignored, with a warning."""

    @pytest.mark.parametrize("spelling", ["client_secret", "Client-Secret", " CLIENT_SECRET "])
    def test_the_kind_is_named_in_any_case(self, monkeypatch: pytest.MonkeyPatch, spelling: str) -> None:
        """Case, hyphens and surrounding blanks do not matter."""
        settings = load(
            monkeypatch,
            {
                "AZURE_CREDENTIAL_KIND": spelling,
                "AZURE_CLIENT_ID": CLIENT_ID,
                "AZURE_TENANT_ID": TENANT,
                "AZURE_CLIENT_SECRET": SECRET,
            },
        )
        assert settings.kind == KindChoice("client_secret", ("AZURE_CREDENTIAL_KIND",), explicit=True)
        assert settings.kind.reason() == "set by AZURE_CREDENTIAL_KIND"

    def test_other_kinds_variables_are_ignored_with_a_warning(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """In the middle of a migration, both sets of variables may stay: the named kind wins, the rest is flagged."""
        settings = load(
            monkeypatch,
            {
                "AZURE_CREDENTIAL_KIND": "client_secret",
                "AZURE_CLIENT_ID": CLIENT_ID,
                "AZURE_TENANT_ID": TENANT,
                "AZURE_CLIENT_SECRET": SECRET,
                **KIND_VARIABLES["password"],
            },
        )
        ignored = [w.setting for w in settings.describe().warnings if w.kind == "ignored"]
        assert ignored == ["AZURE_USERNAME", "AZURE_PASSWORD"]
        assert "AZURE_PASSWORD has no effect: the credential kind is client_secret (set by AZURE_CREDENTIAL_KIND)" in (
            settings.describe().as_text()
        )

    def test_managed_identity_can_be_named_where_no_endpoint_is_seen(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """A VM's IMDS sets no variable: AZURE_CREDENTIAL_KIND=managed_identity is how to ask for it."""
        settings = load(monkeypatch, {"AZURE_CREDENTIAL_KIND": "managed_identity"})
        assert settings.kind.kind == "managed_identity"
        assert settings.client_id is None

    def test_an_unknown_kind_lists_the_known_ones(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """A misspelt kind is a problem naming the variable, its source and every valid value."""
        with pytest.raises(SettingsError) as caught:
            load(monkeypatch, {"AZURE_CREDENTIAL_KIND": "secret", **KIND_VARIABLES["password"]})
        assert "AZURE_CREDENTIAL_KIND (env AZURE_CREDENTIAL_KIND)" in str(caught.value)
        assert "password, client_secret, certificate, workload_identity, managed_identity" in str(caught.value)


class TestMixedKinds:
    """Variables of two kinds without AZURE_CREDENTIAL_KIND are an error that names both, never a silent pick."""

    @pytest.mark.parametrize(
        ("first", "second"),
        [
            pytest.param(first, second, id=f"{first}+{second}")
            for index, first in enumerate(PRECEDENCE)
            for second in PRECEDENCE[index + 1 :]
        ],
    )
    def test_two_kinds_are_a_settings_error_naming_both(
        self, monkeypatch: pytest.MonkeyPatch, first: str, second: str
    ) -> None:
        """The error names each kind with its variables and says to set AZURE_CREDENTIAL_KIND or remove one."""
        variables = {"AZURE_CLIENT_ID": CLIENT_ID, **KIND_VARIABLES[first], **KIND_VARIABLES[second]}
        with pytest.raises(SettingsError) as caught:
            load(monkeypatch, variables)
        message = str(caught.value)
        for kind in (first, second):
            assert f"{kind} ({', '.join(KIND_VARIABLES[kind])})" in message
            assert f"AZURE_CREDENTIAL_KIND={kind}" in message
        assert "or remove the variables of the kind you no longer use" in message
        assert [p.setting for p in caught.value.problems] == ["AZURE_CREDENTIAL_KIND"]
        assert SECRET not in message
        assert PASSWORD not in message

    def test_the_error_says_what_azure_identity_would_have_done(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """EnvironmentCredential's silent pick (the client secret over the password) is named, not made."""
        with pytest.raises(SettingsError, match="EnvironmentCredential would silently take client_secret"):
            load(monkeypatch, {**KIND_VARIABLES["password"], **KIND_VARIABLES["client_secret"]})

    def test_the_kinds_of_a_prefix_are_its_own(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """POWERBI_CLIENT_SECRET chooses for the POWERBI_ settings only; AZURE_USERNAME does not mix in."""
        monkeypatch.setenv("AZURE_USERNAME", USERNAME)
        monkeypatch.setenv("POWERBI_CLIENT_ID", CLIENT_ID)
        monkeypatch.setenv("POWERBI_TENANT_ID", TENANT)
        monkeypatch.setenv("POWERBI_CLIENT_SECRET", SECRET)
        settings = CredentialSettings.from_sources(env_prefix="POWERBI_", env_file=None)
        assert settings.kind == KindChoice("client_secret", ("POWERBI_CLIENT_SECRET",))


class TestRequiredPerKind:
    """Missing settings are those the chosen kind needs, reported together with why that kind."""

    @pytest.mark.parametrize(
        ("variables", "missing"),
        [
            pytest.param({"AZURE_CLIENT_SECRET": SECRET}, ["AZURE_CLIENT_ID", "AZURE_TENANT_ID"], id="client-secret"),
            pytest.param(
                {"AZURE_CLIENT_CERTIFICATE_PATH": "app.pem"},
                ["AZURE_CLIENT_ID", "AZURE_TENANT_ID"],
                id="certificate",
            ),
            pytest.param(
                {"AZURE_CLIENT_CERTIFICATE_PASSWORD": "pw"},
                ["AZURE_CLIENT_ID", "AZURE_TENANT_ID", "AZURE_CLIENT_CERTIFICATE_PATH"],
                id="certificate-password-alone",
            ),
            pytest.param(
                {"AZURE_FEDERATED_TOKEN_FILE": "token", "AZURE_CLIENT_ID": CLIENT_ID},
                ["AZURE_TENANT_ID"],
                id="workload-identity",
            ),
            pytest.param({"AZURE_PASSWORD": PASSWORD}, ["AZURE_CLIENT_ID", "AZURE_USERNAME"], id="password"),
            pytest.param(
                {"AZURE_CREDENTIAL_KIND": "workload_identity"},
                ["AZURE_CLIENT_ID", "AZURE_TENANT_ID", "AZURE_FEDERATED_TOKEN_FILE"],
                id="named-workload-identity",
            ),
        ],
    )
    def test_the_missing_settings_are_the_kinds(
        self, monkeypatch: pytest.MonkeyPatch, variables: dict[str, str], missing: list[str]
    ) -> None:
        """One bullet lists what the kind lacks and says which kind and why."""
        with pytest.raises(SettingsError) as caught:
            load(monkeypatch, variables)
        assert [p.setting for p in caught.value.problems if p.missing] == missing
        assert f"missing: {', '.join(missing)}. The " in str(caught.value)

    def test_a_managed_identity_needs_nothing(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """The system-assigned identity needs no setting at all."""
        settings = load(monkeypatch, {"AZURE_CREDENTIAL_KIND": "managed_identity"})
        assert settings.describe().valid

    @pytest.mark.parametrize("tenant", ["organizations", "common"])
    def test_an_application_kind_needs_its_own_tenant(self, monkeypatch: pytest.MonkeyPatch, tenant: str) -> None:
        """``organizations`` is fine for a user; an application signs in to its own tenant, which must be named."""
        with pytest.raises(SettingsError) as caught:
            load(monkeypatch, {"AZURE_CLIENT_ID": CLIENT_ID, "AZURE_TENANT_ID": tenant, "AZURE_CLIENT_SECRET": SECRET})
        message = str(caught.value)
        assert f"AZURE_TENANT_ID (env AZURE_TENANT_ID): is {tenant}, but the client_secret kind signs" in message
        assert "set AZURE_TENANT_ID to the tenant GUID or verified domain of the app registration" in message

    def test_a_setting_whose_source_failed_is_not_also_missing(
        self, monkeypatch: pytest.MonkeyPatch, files: Path
    ) -> None:
        """An unreadable AZURE_CLIENT_SECRET_FILE still chooses its kind and is reported once, as unreadable."""
        with pytest.raises(SettingsError) as caught:
            load(
                monkeypatch,
                {
                    "AZURE_CLIENT_ID": CLIENT_ID,
                    "AZURE_TENANT_ID": TENANT,
                    "AZURE_CLIENT_SECRET_FILE": str(files / "absent"),
                },
            )
        assert [(p.setting, p.missing) for p in caught.value.problems] == [("AZURE_CLIENT_SECRET_FILE", False)]
        assert "the file does not exist" in str(caught.value)

    def test_a_certificate_path_that_is_no_file_names_the_setting(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """A certificate path where nothing is mounted is a problem of that setting, with its source."""
        with pytest.raises(SettingsError) as caught:
            load(
                monkeypatch,
                {"AZURE_CLIENT_ID": CLIENT_ID, "AZURE_TENANT_ID": TENANT, "AZURE_CLIENT_CERTIFICATE_PATH": "absent"},
            )
        assert "AZURE_CLIENT_CERTIFICATE_PATH (env AZURE_CLIENT_CERTIFICATE_PATH): There is no file at absent" in str(
            caught.value
        )


signals = st.sets(st.sampled_from([field for fields in SIGNALS.values() for field in fields]))


@settings(max_examples=80, deadline=None)
@given(present=signals, endpoint=st.booleans())
def test_the_choice_is_one_kind_or_a_conflict_naming_every_kind_set(present: set[str], endpoint: bool) -> None:
    """Whatever is set: the one kind whose variables are set, a conflict naming all of them, or the fallbacks."""
    environ = {"IDENTITY_ENDPOINT": "http://127.0.0.1/msi/token"} if endpoint else {}
    outcome = choose_kind({field: field.upper() for field in present}, None, environ)
    kinds = [kind for kind in PRECEDENCE if set(SIGNALS[kind]) & present]
    if len(kinds) > 1:
        assert isinstance(outcome, KindConflict)
        assert [kind for kind, _ in outcome.kinds] == kinds
    elif kinds:
        assert outcome == KindChoice(kinds[0], tuple(f.upper() for f in SIGNALS[kinds[0]] if f in present))
    elif endpoint:
        assert outcome == KindChoice("managed_identity", ("IDENTITY_ENDPOINT",))
    else:
        assert outcome == KindChoice("password")
