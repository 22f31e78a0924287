"""A password Entra ID rejected is never sent again in this process, until it changes."""

from __future__ import annotations

import pytest

from settings_cred import AccountLockedError, InvalidCredentialsError, Secret, UsernamePasswordCredential
from settings_cred.audit import LOCKOUT_ENGAGED, LOCKOUT_RELEASED, TOKEN_FAILED, capture_audit
from settings_cred.emulator import EntraEmulator
from tests.conftest import CLIENT_ID, PASSWORD, USERNAME, VAULT_SCOPE, CredentialFactory


class RotatingPassword:
    """A secret source whose value the test changes, like a rotated secret file."""

    def __init__(self, value: str) -> None:
        self.value = value

    def get(self) -> Secret:
        return Secret(self.value)


def test_wrong_password_is_sent_once(make_credential: CredentialFactory, idp: EntraEmulator) -> None:
    """After a 50126, later calls fail fast with the recorded error and send nothing."""
    credential = make_credential(password="wrong-password-1")
    with pytest.raises(InvalidCredentialsError) as first:
        credential.get_token(VAULT_SCOPE)
    assert not first.value.from_lockout_guard
    with pytest.raises(InvalidCredentialsError) as second:
        credential.get_token(VAULT_SCOPE)
    assert second.value.from_lockout_guard
    assert "lockout guard" in str(second.value)
    assert second.value.correlation_id == first.value.correlation_id
    assert idp.count("token") == 1


def test_ten_instances_with_a_wrong_password_make_one_request(
    make_credential: CredentialFactory, idp: EntraEmulator
) -> None:
    """The guard is process-wide: fresh credential instances do not retry a rejected password."""
    for _ in range(10):
        with pytest.raises(InvalidCredentialsError):
            make_credential(password="wrong-password-2").get_token(VAULT_SCOPE)
    assert idp.count("token") == 1


def test_concurrent_cold_callers_with_a_wrong_password_make_one_request(
    make_credential: CredentialFactory, idp: EntraEmulator
) -> None:
    """Concurrent first calls share one attempt, so one wrong password costs one failed sign-in."""
    credential = make_credential(password="wrong-password-3")
    with pytest.raises(InvalidCredentialsError):
        credential.gather(16, VAULT_SCOPE)
    assert idp.count("token") == 1


def test_a_changed_password_signs_in_again(make_credential: CredentialFactory, idp: EntraEmulator) -> None:
    """Once the secret source yields a different password, the next call signs in."""
    password = RotatingPassword("wrong-password-4")
    credential = make_credential(password=password)
    with pytest.raises(InvalidCredentialsError):
        credential.get_token(VAULT_SCOPE)
    with pytest.raises(InvalidCredentialsError):
        credential.get_token(VAULT_SCOPE)
    password.value = PASSWORD
    with capture_audit() as events:
        assert credential.get_token(VAULT_SCOPE).token
    assert LOCKOUT_RELEASED in [e["event"] for e in events]
    assert idp.count("token", grant_type="password") == 2


def test_locked_account_is_guarded_too(make_credential: CredentialFactory, idp: EntraEmulator) -> None:
    """AADSTS50053 engages the guard just like a wrong password."""
    idp.set_user_state(USERNAME, "locked")
    credential = make_credential()
    with capture_audit() as events:
        for _ in range(3):
            with pytest.raises(AccountLockedError):
                credential.get_token(VAULT_SCOPE)
    assert idp.count("token") == 1
    names = [e["event"] for e in events]
    assert names.count(LOCKOUT_ENGAGED) == 1
    assert [e["lockout_guard"] for e in events if e["event"] == TOKEN_FAILED] == [False, True, True]


def test_guard_is_scoped_to_client_and_user(idp: EntraEmulator) -> None:
    """A rejection for one client id does not block another application's sign-in."""
    options = idp.pipeline_options()
    wrong = UsernamePasswordCredential(CLIENT_ID, USERNAME, "wrong-password-5", **options)
    with wrong, pytest.raises(InvalidCredentialsError):
        wrong.get_token(VAULT_SCOPE)
    other = UsernamePasswordCredential("other-client", USERNAME, "wrong-password-5", **options)
    with other, pytest.raises(InvalidCredentialsError) as caught:
        other.get_token(VAULT_SCOPE)
    assert not caught.value.from_lockout_guard
    assert idp.count("token") == 2


def test_transient_errors_do_not_engage_the_guard(make_credential: CredentialFactory, idp: EntraEmulator) -> None:
    """A 503 from Entra is not a verdict on the password: the next call tries again."""
    from settings_cred import EntraUnavailableError

    idp.inject(endpoint="token", status=503, retry_after=0, times=None)
    credential = make_credential(retry_total=0)
    with pytest.raises(EntraUnavailableError):
        credential.get_token(VAULT_SCOPE)
    idp.clear_faults()
    assert credential.get_token(VAULT_SCOPE).token
