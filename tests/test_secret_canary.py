"""A planted password and the issued tokens never appear in any log, audit event, exception, repr or output."""

from __future__ import annotations

import logging
import traceback
from collections.abc import Iterator

import pytest

from settings_cred import InvalidCredentialsError, Secret, StaticSecret, UsernamePasswordCredential
from settings_cred.audit import capture_audit
from settings_cred.emulator import EntraEmulator
from tests.conftest import PASSWORD, VAULT_SCOPE, CredentialFactory

WRONG = "Wrong-Canary-5c1d0a77e2"


@pytest.fixture
def debug_everything() -> Iterator[list[logging.LogRecord]]:
    """Every logger at DEBUG, every record kept (with its formatted message)."""
    records: list[logging.LogRecord] = []

    class Keep(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            record.formatted = self.format(record)  # type: ignore[attr-defined]
            records.append(record)

    handler = Keep(logging.DEBUG)
    handler.setFormatter(logging.Formatter("%(name)s %(levelname)s %(message)s"))
    root = logging.getLogger()
    previous = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    loggers = [logging.getLogger(name) for name in list(logging.root.manager.loggerDict)]
    levels = [(lg, lg.level) for lg in loggers]
    for lg in loggers:
        lg.setLevel(logging.DEBUG)
    try:
        yield records
    finally:
        root.removeHandler(handler)
        root.setLevel(previous)
        for lg, level in levels:
            lg.setLevel(level)


def test_no_secret_reaches_any_output(
    make_credential: CredentialFactory,
    idp: EntraEmulator,
    debug_everything: list[logging.LogRecord],
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Wrong then right password with logging_enable and DEBUG everywhere: no secret is captured anywhere."""
    captured: list[str] = []
    with capture_audit() as events:
        wrong = make_credential(password=WRONG, logging_enable=True)
        for _ in range(2):
            with pytest.raises(InvalidCredentialsError) as caught:
                wrong.get_token(VAULT_SCOPE)
            captured += [str(caught.value), repr(caught.value), "".join(traceback.format_exception(caught.value))]
        right = make_credential(logging_enable=True)
        info = right.get_token_info(VAULT_SCOPE)
        right.get_token(VAULT_SCOPE)
        record = right.authenticate(scopes=[VAULT_SCOPE])
        captured += [repr(wrong.credential), repr(right.credential), repr(record), record.serialize()]
    out = capsys.readouterr()
    captured += [out.out, out.err, repr(events)]
    captured += [r.formatted for r in debug_everything]  # type: ignore[attr-defined]
    captured += [repr(r.__dict__) for r in debug_everything]
    refresh_tokens = idp.issued_refresh_tokens()
    assert debug_everything, "DEBUG logging captured nothing: the sweep would prove nothing"
    assert any("settings_cred.http" in r.name for r in debug_everything), "logging_enable logged no request"
    haystack = "\n".join(captured)
    for secret in [PASSWORD, WRONG, info.token, *refresh_tokens]:
        assert secret not in haystack


def test_secret_types_never_show_their_value() -> None:
    """Secret and StaticSecret mask repr and str, refuse pickling, and reveal only on request."""
    import pickle

    secret = Secret(PASSWORD)
    for text in (repr(secret), str(secret), repr(StaticSecret(PASSWORD)), f"{secret}"):
        assert PASSWORD not in text
    assert secret.reveal() == PASSWORD
    with pytest.raises(TypeError):
        pickle.dumps(secret)


def test_credential_cannot_be_pickled_with_its_password(idp: EntraEmulator) -> None:
    """Pickling a credential fails instead of writing the password out."""
    import pickle

    credential = UsernamePasswordCredential("c", "u@x.com", PASSWORD, **idp.pipeline_options())
    with credential, pytest.raises(TypeError):
        pickle.dumps(credential)
