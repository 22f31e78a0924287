"""Container deployment: a process configured only by environment variables and a Kubernetes-style
secrets volume picks up a rotated password (an atomic ``..data`` swap) without a restart."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from settings_cred.emulator import EntraEmulator
from tests.conftest import CLIENT_ID, PASSWORD, USERNAME

APP = Path(__file__).with_name("container_app.py")
NEW_PASSWORD = "Rotated-Canary-Pw-91c4"


def mount_secret(volume: Path, version: str, password: str) -> None:
    """Write a new version of the secret volume and swap ``..data`` to it, as the kubelet does."""
    version_dir = volume / version
    version_dir.mkdir()
    (version_dir / "azure_password").write_text(password + "\n")
    (volume / "..data_tmp").symlink_to(version)
    os.replace(volume / "..data_tmp", volume / "..data")
    link = volume / "azure_password"
    if not link.is_symlink():
        link.symlink_to("..data/azure_password")


def test_rotated_secret_is_used_without_a_restart(idp: EntraEmulator, tmp_path: Path) -> None:
    """Old password works; after rotation in Entra it is refused once; after the volume swap, signs in again."""
    volume = tmp_path / "secrets"
    volume.mkdir()
    mount_secret(volume, "..2026_11_29_01", PASSWORD)
    environment = {
        "PATH": os.environ["PATH"],
        "PYTHONPATH": str(APP.parent.parent),
        "APP_SECRETS_DIR": str(volume),
        "AZURE_CLIENT_ID": CLIENT_ID,
        "AZURE_USERNAME": USERNAME,
        "AZURE_HTTPS_PROXY": idp.proxy_url,
        "AZURE_CA_BUNDLE": idp.ca_bundle,
    }
    with subprocess.Popen(
        [sys.executable, str(APP)], env=environment, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
        stderr=subprocess.PIPE, text=True,
    ) as app:  # fmt: skip
        stderr = converse(app, volume, idp)
    assert app.returncode == 0, stderr
    assert PASSWORD not in stderr
    assert NEW_PASSWORD not in stderr
    assert idp.count("token", grant_type="password") == 3


def converse(app: subprocess.Popen[str], volume: Path, idp: EntraEmulator) -> str:
    """Drive the app through sign-in, rotation in Entra, and rotation of the mounted secret."""
    assert app.stdin is not None
    assert app.stdout is not None

    def ask(scope: str) -> dict[str, object]:
        app.stdin.write(scope + "\n")  # type: ignore[union-attr]
        app.stdin.flush()  # type: ignore[union-attr]
        answer: dict[str, object] = json.loads(app.stdout.readline())  # type: ignore[union-attr]
        return answer

    try:
        assert json.loads(app.stdout.readline()) == {"ready": True}
        assert "token" in ask("https://vault.azure.net/.default")
        idp.set_password(USERNAME, NEW_PASSWORD)  # rotated in Entra; refresh tokens revoked
        assert ask("https://graph.microsoft.com/.default") == {"error": "InvalidCredentialsError", "guarded": False}
        assert ask("https://graph.microsoft.com/.default") == {"error": "InvalidCredentialsError", "guarded": True}
        mount_secret(volume, "..2026_11_29_02", NEW_PASSWORD)
        assert "token" in ask("https://graph.microsoft.com/.default")
    finally:
        app.stdin.close()
        app.wait(timeout=20)
    return app.stderr.read() if app.stderr else ""
