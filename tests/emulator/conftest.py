"""Fixtures for the emulator's own tests: a reset emulator with Alice, an HTTP client routed to it, certificates."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import requests

from settings_cred.emulator import ClientCertificate, EmulatedUser, EntraEmulator
from tests.emulator.helpers import PASSWORD, USERNAME


@pytest.fixture
def alice(entra_emulator: EntraEmulator) -> EmulatedUser:
    """Alice, a member of the default tenant."""
    return entra_emulator.add_user(USERNAME, PASSWORD, display_name="Alice")


@pytest.fixture
def emulator(entra_emulator: EntraEmulator, alice: EmulatedUser) -> EntraEmulator:
    """The plugin's per-test emulator (reset), with Alice."""
    return entra_emulator


@pytest.fixture
def http(emulator: EntraEmulator) -> Iterator[requests.Session]:
    """A requests session tunnelling HTTPS through the emulator's proxy and trusting only its CA.

    ``trust_env`` is off: with it on, requests lets ``REQUESTS_CA_BUNDLE`` (set on this machine)
    override ``session.verify``.
    """
    with requests.Session() as session:
        session.trust_env = False
        session.proxies = {"https": emulator.proxy_url}
        session.verify = emulator.ca_bundle
        yield session


@pytest.fixture(scope="session")
def certificate() -> ClientCertificate:
    """A client certificate (its RSA key is made once per session: key generation is slow)."""
    return ClientCertificate.generate("app certificate")


@pytest.fixture(scope="session")
def stranger_certificate() -> ClientCertificate:
    """A second certificate, registered on no app."""
    return ClientCertificate.generate("someone else's certificate")
