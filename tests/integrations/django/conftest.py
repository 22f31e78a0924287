"""Django is configured here, lazily and once, from the test project's settings; nothing leaks to other tests.

Each test runs with the project's ``ROOT_URLCONF``/``ALLOWED_HOSTS`` overridden in, a clean ``AZURE_*``
environment and working directory, and an empty ``credentials`` registry afterwards.
"""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

from settings_cred.emulator import EntraEmulator
from tests.conftest import CLIENT_ID, PASSWORD, USERNAME


@pytest.fixture(scope="session")
def _django_configured() -> None:
    """Configure Django from the test project unless something else already has (then just set it up)."""
    import django
    from django.apps import apps
    from django.conf import settings

    from tests.integrations.django.project import settings as project

    if not settings.configured:
        settings.configure(**{name: getattr(project, name) for name in dir(project) if name.isupper()})
    if not apps.ready:
        django.setup()


@pytest.fixture(autouse=True)
def _django(_django_configured: None, monkeypatch: pytest.MonkeyPatch, tmp_path: os.PathLike[str]) -> Iterator[None]:
    """The project's routes, no stray ``AZURE_``/``POWERBI_`` variable or ``.env``, and no credential left over."""
    from django.test import override_settings

    from settings_cred.integrations.django import credentials

    for name in os.environ:
        if name.startswith(("AZURE_", "POWERBI_")):
            monkeypatch.delenv(name)
    monkeypatch.chdir(tmp_path)
    with override_settings(ROOT_URLCONF="tests.integrations.django.project.urls", ALLOWED_HOSTS=["testserver"]):
        yield
    credentials.close_all()


@pytest.fixture
def emulator_env(idp: EntraEmulator, monkeypatch: pytest.MonkeyPatch) -> EntraEmulator:
    """The environment a deployed app would have: the emulator reached by proxy, Alice in ``AZURE_*``."""
    for name, value in idp.environ().items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("AZURE_CLIENT_ID", CLIENT_ID)
    monkeypatch.setenv("AZURE_USERNAME", USERNAME)
    monkeypatch.setenv("AZURE_PASSWORD", PASSWORD)
    return idp
