"""CertificateCredential: PEM or PKCS#12, with or without a password, re-read when the file is replaced."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from settings_cred import CertificateCredential, CertificateRejectedError
from settings_cred.emulator import ClientCertificate, EntraEmulator
from tests.kinds.conftest import APP_ID, VAULT_SCOPE, Make
from tests.security.sweep import failure_of, leaks

PASSWORD = b"Cert-Password-Canary-2d"


@pytest.fixture
def certificate(tenant: EntraEmulator) -> ClientCertificate:
    """A certificate whose public part is uploaded to the app."""
    generated = ClientCertificate.generate("settings-cred-tests")
    tenant.add_client_certificate(APP_ID, generated)
    return generated


@pytest.mark.parametrize(
    "case",
    [
        pytest.param(("pem", None), id="PEM"),
        pytest.param(("pem", PASSWORD), id="PEM with an encrypted key"),
        pytest.param(("pfx", PASSWORD), id="PKCS#12 with a password"),
        pytest.param(("pfx", None), id="PKCS#12 without a password"),
    ],
)
def test_a_certificate_file_signs_the_app_in(
    make: Make, tenant: EntraEmulator, certificate: ClientCertificate, tmp_path: Path, case: tuple[str, bytes | None]
) -> None:
    """Every usual file format works; the emulator sees a certificate assertion."""
    form, password = case
    path = tmp_path / f"app.{form}"
    path.write_bytes(certificate.pem(password) if form == "pem" else certificate.pfx(password))
    credential = make("CertificateCredential", tenant.tenant_id, APP_ID, str(path), password=password)
    assert credential.get_token(VAULT_SCOPE).token
    assert [r.client_auth for r in tenant.requests if r.endpoint == "token"] == ["certificate"]


def test_certificate_bytes_and_the_chain_can_be_given(
    make: Make, tenant: EntraEmulator, certificate: ClientCertificate
) -> None:
    """certificate_data instead of a path, with send_certificate_chain (x5c), as azure-identity takes them."""
    credential = make(
        "CertificateCredential",
        tenant.tenant_id,
        APP_ID,
        certificate_data=certificate.pem(),
        send_certificate_chain=True,
    )
    assert credential.get_token(VAULT_SCOPE).token


def test_an_unknown_certificate_is_rejected_once(make: Make, tenant: EntraEmulator, tmp_path: Path) -> None:
    """A certificate the app does not know: CertificateRejectedError, and it is not presented again."""
    path = tmp_path / "stranger.pem"
    path.write_bytes(ClientCertificate.generate("stranger").pem())
    credential = make("CertificateCredential", tenant.tenant_id, APP_ID, str(path))
    for guarded in (False, True):
        with pytest.raises(CertificateRejectedError, match="Certificates & secrets") as caught:
            credential.get_token(VAULT_SCOPE)
        assert caught.value.from_lockout_guard is guarded
    assert tenant.count("token") == 1


def test_a_replaced_certificate_file_is_used_without_a_restart(
    make: Make, tenant: EntraEmulator, certificate: ClientCertificate, tmp_path: Path
) -> None:
    """Rotation: the file is re-read when it changes, and the new certificate is tried although the old was refused."""
    stranger = ClientCertificate.generate("stranger")
    path = tmp_path / "app.pem"
    path.write_bytes(stranger.pem())
    credential = make("CertificateCredential", tenant.tenant_id, APP_ID, str(path))
    with pytest.raises(CertificateRejectedError):
        credential.get_token(VAULT_SCOPE)
    replacement = tmp_path / "new.pem"
    replacement.write_bytes(certificate.pem())
    os.replace(replacement, path)
    assert credential.get_token(VAULT_SCOPE).token
    assert tenant.count("token") == 2


@pytest.mark.parametrize(
    "case",
    [
        pytest.param((b"not a certificate", None), id="garbage"),
        pytest.param((None, b"wrong-password"), id="wrong password"),
    ],
)
def test_an_unusable_certificate_fails_at_construction_without_its_secrets(
    make: Make,
    tenant: EntraEmulator,
    certificate: ClientCertificate,
    tmp_path: Path,
    case: tuple[bytes | None, bytes | None],
) -> None:
    """A bad file or password is a ValueError naming the settings; neither the key nor the password leaks."""
    content, password = case
    path = tmp_path / "app.pem"
    path.write_bytes(content if content is not None else certificate.pem(PASSWORD))
    error = failure_of(lambda: make("CertificateCredential", tenant.tenant_id, APP_ID, str(path), password=password))
    assert isinstance(error, ValueError)
    assert "AZURE_CLIENT_CERTIFICATE_PATH" in str(error)
    assert leaks(error, [PASSWORD.decode(), certificate.private_key_pem().decode().splitlines()[1]]) == []


def test_certificate_bytes_that_fail_to_load_leave_no_copy_in_any_frame(
    tenant: EntraEmulator, certificate: ClientCertificate
) -> None:
    """certificate_data with a needless password fails; its unencrypted key is in no frame of the failure."""
    error = failure_of(
        lambda: CertificateCredential(tenant.tenant_id, APP_ID, certificate_data=certificate.pem(), password="x")
    )
    assert isinstance(error, ValueError)
    assert leaks(error, [certificate.private_key_pem().decode().splitlines()[1]]) == []
