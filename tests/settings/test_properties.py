"""Property tests: the reference grammar and the secret-file reader never crash, and nothing shows a secret."""

from __future__ import annotations

import contextlib
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from settings_cred._secret_files import SecretFileError, read_secret_file
from settings_cred._settings import (
    CredentialSettings,
    FileSecret,
    KeyVaultReference,
    ReferenceSyntaxError,
    SettingsError,
    parse_reference,
)
from tests.conftest import CLIENT_ID, USERNAME
from tests.settings.strategies import reference_like, secret_names, secrets, vault_names, versions

FAST = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@FAST
@given(st.text() | reference_like)
def test_the_reference_parser_never_crashes(text: str) -> None:
    """Any text either parses to a reference or raises ReferenceSyntaxError with a reason."""
    outcome: KeyVaultReference | ReferenceSyntaxError
    try:
        outcome = parse_reference(text)
    except ReferenceSyntaxError as error:
        outcome = error
    if isinstance(outcome, KeyVaultReference):
        assert outcome.secret_uri.startswith("https://")
    else:
        assert str(outcome)


@FAST
@given(vault_names, secret_names, versions)
def test_both_syntaxes_name_the_same_secret(vault: str, name: str, version: str | None) -> None:
    """SecretUri and VaultName/SecretName/SecretVersion of the same secret parse to the same reference."""
    uri = f"https://{vault}.vault.azure.net/secrets/{name}" + (f"/{version}" if version else "")
    names = f"VaultName={vault};SecretName={name}" + (f";SecretVersion={version}" if version else "")
    by_uri = parse_reference(f"@Microsoft.KeyVault(SecretUri={uri})")
    by_names = parse_reference(f"@Microsoft.KeyVault({names})")
    assert by_uri == by_names == KeyVaultReference(f"https://{vault}.vault.azure.net", name, version)
    assert by_uri.secret_uri == uri


@FAST
@given(secrets)
def test_reference_errors_never_echo_the_text(secret: str) -> None:
    """A malformed reference that carries a secret is refused without showing it."""
    for text in (f"@Microsoft.KeyVault({secret})", f"@Microsoft.KeyVault(SecretUri={secret})"):
        with pytest.raises(ReferenceSyntaxError) as caught:
            parse_reference(text)
        assert secret not in str(caught.value)


@FAST
@given(st.binary(max_size=300))
def test_the_secret_file_reader_never_crashes(content: bytes) -> None:
    """Any file content reads as text (trailing newlines gone) or fails with SecretFileError, not showing it."""
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "pw"
        path.write_bytes(content)
        outcome: str | SecretFileError
        try:
            outcome = read_secret_file(path)
        except SecretFileError as error:
            outcome = error
        if isinstance(outcome, SecretFileError):
            assert str(outcome) in {"the file is empty", "the file is not UTF-8 text"}
        else:
            text = outcome
            assert text
            assert not text.endswith(("\n", "\r"))
            assert content.decode("utf-8").removeprefix("\ufeff").startswith(text)


@FAST
@given(st.text(max_size=200))
def test_the_secret_file_reader_never_crashes_on_odd_paths(path: str) -> None:
    """Any string as a path (NUL bytes, directories, nonsense) is a SecretFileError at worst."""
    with contextlib.suppress(SecretFileError):
        read_secret_file(path)


@FAST
@given(password=secrets)
def test_no_report_repr_or_error_contains_the_password(password: str) -> None:
    """Whatever the password, describe(), repr and a SettingsError about other settings never contain it."""
    loaded = CredentialSettings.from_sources(env_file=None, client_id=CLIENT_ID, username=USERNAME, password=password)
    outputs = [repr(loaded), str(loaded), loaded.describe().as_text(), loaded.describe().as_json()]
    with pytest.raises(SettingsError) as caught:
        CredentialSettings.from_sources(env_file=None, username="x y", password=password, token_cache_key=password)
    outputs += [str(caught.value), repr(caught.value.problems)]
    assert caught.value.report is not None
    outputs += [caught.value.report.as_text(), caught.value.report.as_json()]
    for output in outputs:
        assert password not in output


@FAST
@given(password=secrets)
def test_a_password_shaped_like_a_reference_is_never_shown(password: str) -> None:
    """A password that starts like a reference but is malformed is reported without its text."""
    text = f"@Microsoft.KeyVault(SecretUri=https://kv1.vault.azure.net/secrets/{password})"
    with pytest.raises(SettingsError) as caught:
        CredentialSettings.from_sources(env_file=None, client_id=CLIENT_ID, username=USERNAME, password=text)
    assert password not in str(caught.value)


@FAST
@given(password=secrets)
def test_file_secret_reprs_never_contain_the_value(password: str) -> None:
    """A FileSecret built from any value shows only its path."""
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "pw"
        path.write_text(password, encoding="utf-8")
        source = FileSecret(path)
        assert password not in repr(source)
        assert source.get().reveal() == password
