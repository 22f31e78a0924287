"""No plain copy of a secret: the proxy's password is masked wherever a person or a log can see it, and
settings refuse to be pickled (a pickle would hold the password and the cache key)."""

from __future__ import annotations

import copy
import pickle

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from settings_cred._settings import CredentialSettings
from settings_cred._settings._masked import Proxies, ProxyUrl
from settings_cred.emulator import EntraEmulator
from tests.conftest import CLIENT_ID, PASSWORD, USERNAME, VAULT_SCOPE

PROXY_PASSWORD = "Proxy-Pa55-Canary-31f0"
PROXY = f"http://proxyuser:{PROXY_PASSWORD}@proxy.example.com:3128"
MASKED = "http://proxyuser:**********@proxy.example.com:3128"


def load(**values: object) -> CredentialSettings:
    """Settings for Alice with the proxy above."""
    return CredentialSettings.from_sources(
        env_file=None, client_id=CLIENT_ID, username=USERNAME, password=PASSWORD, https_proxy=PROXY, **values
    )


def test_the_proxy_password_is_masked_everywhere_it_is_shown() -> None:
    """model_dump(), model_dump_json(), vars(), pipeline_options(), repr and str show the proxy masked."""
    loaded = load()
    shown = {
        "model_dump": repr(loaded.model_dump()),
        "model_dump_json": loaded.model_dump_json(),
        "vars": repr(vars(loaded)),
        "pipeline_options": repr(loaded.pipeline_options()),
        "pipeline_options-str": str(loaded.pipeline_options()),
        "repr": repr(loaded),
        "str": str(loaded),
        "field": f"{loaded.https_proxy} {loaded.https_proxy!r}",
    }
    assert {name: PROXY_PASSWORD in text for name, text in shown.items()} == dict.fromkeys(shown, False)
    assert all(MASKED in text for text in shown.values())


def test_the_transport_gets_the_real_url() -> None:
    """What the transport reads is the URL with its password; the field gives it only on request."""
    loaded = load()
    assert isinstance(loaded.https_proxy, ProxyUrl)
    assert loaded.https_proxy.get_secret_value() == PROXY
    assert loaded.pipeline_options()["proxies"] == {"https": PROXY}


def test_a_proxy_with_credentials_carries_the_sign_in(idp: EntraEmulator) -> None:
    """A proxy URL with user and password, from the settings, routes a real sign-in through the emulator."""
    proxy = idp.proxy_url.replace("http://", f"http://proxyuser:{PROXY_PASSWORD}@")
    loaded = CredentialSettings.from_sources(
        env_file=None,
        client_id=CLIENT_ID,
        username=USERNAME,
        password=PASSWORD,
        https_proxy=proxy,
        ca_bundle=idp.ca_bundle,
    )
    with loaded.build_credential() as credential:
        assert credential.get_token(VAULT_SCOPE).token
    assert idp.count("token", grant_type="password") == 1


def test_settings_refuse_pickling() -> None:
    """pickle.dumps(settings) is a TypeError that says why and what to do instead."""
    with pytest.raises(TypeError, match=r"cannot be pickled: it holds secrets .*; load the settings again"):
        pickle.dumps(load())


def test_settings_can_still_be_copied() -> None:
    """model_copy(deep=True) and copy.deepcopy work: copying is not pickling."""
    loaded = load()
    for copied in (loaded.model_copy(deep=True), copy.deepcopy(loaded), copy.copy(loaded)):
        assert copied.https_proxy == loaded.https_proxy
        assert copied.password == loaded.password


def test_a_proxy_url_refuses_pickling() -> None:
    """The proxy URL alone does not pickle either: it may carry the proxy's password."""
    with pytest.raises(TypeError, match="proxy's password"):
        pickle.dumps(ProxyUrl(PROXY))


def test_a_proxy_url_that_cannot_be_parsed_is_masked_whole() -> None:
    """Text that is no URL at all shows only the mask: its parts cannot be told apart."""
    assert repr(ProxyUrl(f"http://user:{PROXY_PASSWORD}@[::1")) == "ProxyUrl('**********')"


@settings(max_examples=60, deadline=None)
@given(st.from_regex(r"[A-Za-z0-9._~!$&'()*+,;=-]{6,30}", fullmatch=True))
def test_no_rendering_of_a_proxy_shows_its_password(password: str) -> None:
    """For any password in a proxy URL's user info, repr, str and the proxies option show it masked."""
    url = f"http://user:{password}@proxy.internal:8080"
    shown = " ".join([repr(ProxyUrl(url)), str(ProxyUrl(url)), repr(Proxies(https=url)), str(Proxies(https=url))])
    assert password not in shown
    assert "http://user:**********@proxy.internal:8080" in shown
