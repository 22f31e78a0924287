"""Property tests: maskers and secret types never reveal what they hide, whatever the input."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from settings_cred import Secret, StaticSecret
from settings_cred._masking import mask_username
from settings_cred._transport._pipeline import redact_url
from settings_cred.errors import error_from_result

MASKED_FORMS = "StaticSecret('**********')"
secrets = st.text(min_size=6).filter(lambda s: s not in MASKED_FORMS)
local_parts = st.text(alphabet=st.characters(blacklist_characters="@"), min_size=2, max_size=40)
domains = st.from_regex(r"[a-z0-9]{1,20}\.(com|net|onmicrosoft\.com)", fullmatch=True)


@given(secrets)
def test_secret_reprs_never_contain_the_value(value: str) -> None:
    """repr, str and format of a Secret (and a StaticSecret) never contain the value."""
    secret = Secret(value)
    for text in (repr(secret), str(secret), f"{secret!r}", repr(StaticSecret(value))):
        assert value not in text


@given(secrets, secrets)
def test_fingerprints_tell_values_apart(a: str, b: str) -> None:
    """Equal values have equal fingerprints; different values have different ones."""
    assert (Secret(a).fingerprint() == Secret(b).fingerprint()) == (a == b)


@given(local_parts, domains)
def test_masked_username_hides_the_local_part(local: str, domain: str) -> None:
    """A masked UPN keeps at most the first character of the local part, and the whole domain."""
    masked = mask_username(f"{local}@{domain}")
    assert masked.endswith(f"***@{domain}")
    assert local not in masked.split("***")[0] or len(local) <= 1


@given(local_parts, domains)
def test_redacted_user_realm_urls_hide_the_username(local: str, domain: str) -> None:
    """A user-realm URL in a log line never contains the full username."""
    username = f"{local}@{domain}".replace("/", "").replace("?", "")
    url = f"https://login.microsoftonline.com/common/userrealm/{username}?api-version=1.0"
    if len(username.split("@")[0]) > 1:
        assert username not in redact_url(url)


@given(st.dictionaries(st.sampled_from(["error", "error_description", "error_codes", "correlation_id"]), st.text()))
def test_error_mapping_never_crashes_on_odd_answers(answer: dict[str, str]) -> None:
    """Any dict msal might return maps to an exception without raising while mapping."""
    assert str(error_from_result(answer, 400))
