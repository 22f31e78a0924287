"""Workload identity federation: tokens the emulator mints as an external issuer, and federated
credentials that accept them as an app's client assertion."""

from __future__ import annotations

import time
from typing import Any

import pytest
import requests
from cryptography.hazmat.primitives.asymmetric import rsa

from settings_cred.emulator import DEFAULT_TOKEN_ISSUER, TOKEN_EXCHANGE_AUDIENCE, EntraEmulator
from settings_cred.emulator._jws import public_jwk, sign
from tests.emulator.helpers import APP_ID, claims, client_credentials, decode_part, error_of, with_assertion

SUBJECT = "system:serviceaccount:reports:exporter"
GITHUB = "https://token.actions.githubusercontent.com"


@pytest.fixture
def federated(emulator: EntraEmulator) -> EntraEmulator:
    """APP_ID trusting the emulator's default issuer for SUBJECT."""
    emulator.add_federated_credential(APP_ID, SUBJECT)
    return emulator


class TestMintedTokens:
    """``issue_federated_token`` makes what a Kubernetes cluster projects into a pod."""

    def test_a_service_account_token_has_the_claims_entra_checks(self, emulator: EntraEmulator) -> None:
        """iss, sub, aud (a list, as Kubernetes writes it), iat/nbf/exp and the kubernetes.io claim."""
        token = emulator.issue_federated_token(SUBJECT, lifetime=600)
        header, body = decode_part(token.split(".")[0]), claims(token)
        assert (header["alg"], header["typ"]) == ("RS256", "JWT")
        assert header["kid"]
        assert (body["iss"], body["sub"], body["aud"]) == (DEFAULT_TOKEN_ISSUER, SUBJECT, [TOKEN_EXCHANGE_AUDIENCE])
        assert body["exp"] - body["iat"] == 600
        assert body["nbf"] == body["iat"]
        assert body["kubernetes.io"]["namespace"] == "reports"
        assert body["kubernetes.io"]["serviceaccount"]["name"] == "exporter"

    def test_other_subjects_have_no_kubernetes_claim(self, emulator: EntraEmulator) -> None:
        """A GitHub-style subject is a plain ``sub``."""
        body = claims(emulator.issue_federated_token("repo:octo/app:ref:refs/heads/main", issuer=GITHUB))
        assert body["iss"] == GITHUB
        assert "kubernetes.io" not in body

    def test_the_issuers_jwks_verifies_its_tokens(self, emulator: EntraEmulator) -> None:
        """``token_issuer_jwks`` lists the RSA key (by ``kid``) the issuer's tokens are signed with."""
        token = emulator.issue_federated_token(SUBJECT)
        (jwk,) = emulator.token_issuer_jwks()["keys"]
        assert (jwk["kty"], jwk["kid"]) == ("RSA", decode_part(token.split(".")[0])["kid"])


class TestAccepted:
    """A token matching a federated credential signs the app in."""

    def test_a_matching_token_buys_an_app_token(self, federated: EntraEmulator, http: requests.Session) -> None:
        """The federated token is the client assertion; the answer is an app-only token."""
        assertion = federated.issue_federated_token(SUBJECT)
        response = client_credentials(http, **with_assertion(assertion))
        assert response.status_code == 200, response.text
        assert claims(response.json()["access_token"])["appid"] == APP_ID
        assert federated.requests[-1].client_auth == "federated"

    def test_any_listed_audience_matches(self, emulator: EntraEmulator, http: requests.Session) -> None:
        """A credential may list several audiences; the token needs one of them."""
        emulator.add_federated_credential(APP_ID, SUBJECT, audiences=["api://other", "api://mine"])
        assertion = emulator.issue_federated_token(SUBJECT, audience="api://mine")
        assert client_credentials(http, **with_assertion(assertion)).status_code == 200

    def test_tokens_survive_a_reset_of_the_emulator(self, emulator: EntraEmulator, http: requests.Session) -> None:
        """The issuer's key outlives ``reset()`` (a token file written before a test stays valid)."""
        assertion = emulator.issue_federated_token(SUBJECT)
        emulator.reset()
        emulator.add_federated_credential(APP_ID, SUBJECT)
        assert client_credentials(http, **with_assertion(assertion)).status_code == 200

    def test_a_trusted_external_issuer_is_accepted(self, emulator: EntraEmulator, http: requests.Session) -> None:
        """Tokens signed by your own key, whose JWKS the emulator was given, are accepted."""
        key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        emulator.trust_token_issuer(GITHUB, {"keys": [public_jwk(key.public_key(), "k1")]})
        emulator.add_federated_credential(APP_ID, "repo:octo/app:environment:prod", issuer=GITHUB)
        now = int(time.time())
        token = sign(
            {"iss": GITHUB, "sub": "repo:octo/app:environment:prod", "aud": TOKEN_EXCHANGE_AUDIENCE, "exp": now + 60},
            key,
            headers={"kid": "k1"},
        )
        assert client_credentials(http, **with_assertion(token)).status_code == 200

    def test_a_jwks_without_keys_is_refused(self, emulator: EntraEmulator) -> None:
        """Trusting an issuer needs at least one key."""
        with pytest.raises(ValueError, match="no keys"):
            emulator.trust_token_issuer(GITHUB, {"keys": []})

    def test_a_credential_needs_an_audience(self, emulator: EntraEmulator) -> None:
        """An empty audience list would match nothing, so it is refused."""
        with pytest.raises(ValueError, match="audience"):
            emulator.add_federated_credential(APP_ID, SUBJECT, audiences=[])


class TestRefused:
    """Mismatches get Entra's federation codes, naming what was presented."""

    @pytest.mark.parametrize(
        ("mint", "code", "fragment"),
        [
            ({"subject": SUBJECT, "issuer": GITHUB}, 700211, f"assertion issuer '{GITHUB}'"),
            ({"subject": "system:serviceaccount:reports:other"}, 700213, "assertion subject"),
            ({"subject": SUBJECT.upper()}, 700213, "assertion subject"),
            ({"subject": SUBJECT, "audience": "api://elsewhere"}, 700212, "assertion audience 'api://elsewhere'"),
            ({"subject": SUBJECT, "issued_at": time.time() - 7200}, 700024, "not within its valid time range"),
        ],
        ids=["other-issuer", "other-subject", "subject-case-differs", "other-audience", "expired"],
    )
    def test_a_mismatch_gets_the_federation_code(
        self, federated: EntraEmulator, http: requests.Session, mint: dict[str, Any], code: int, fragment: str
    ) -> None:
        """Issuer, subject (case-sensitive), audience and lifetime are each checked."""
        assertion = federated.issue_federated_token(**mint)
        response = client_credentials(http, **with_assertion(assertion))
        assert error_of(response) == (401, "invalid_client", [code])
        assert fragment in response.json()["error_description"]

    def test_an_app_without_federated_credentials_is_aadsts70021(
        self, emulator: EntraEmulator, http: requests.Session
    ) -> None:
        """The general refusal lists issuer, subject and audience of the presented token."""
        emulator.add_client_secret(APP_ID, "unrelated-secret")
        response = client_credentials(http, **with_assertion(emulator.issue_federated_token(SUBJECT)))
        assert error_of(response) == (400, "invalid_request", [70021])
        description = response.json()["error_description"]
        assert f"Assertion Issuer: '{DEFAULT_TOKEN_ISSUER}'" in description
        assert f"Assertion Subject: '{SUBJECT}'" in description

    def test_a_key_the_issuer_does_not_publish_is_aadsts7000272(
        self, federated: EntraEmulator, http: requests.Session
    ) -> None:
        """A token signed by a key the issuer's metadata does not list names the key id."""
        key = rsa.generate_private_key(public_exponent=65537, key_size=1024)  # noqa: S505 - a throwaway key
        now = int(time.time())
        token = sign(
            {"iss": DEFAULT_TOKEN_ISSUER, "sub": SUBJECT, "aud": [TOKEN_EXCHANGE_AUDIENCE], "exp": now + 60},
            key,
            headers={"kid": "rogue"},
        )
        response = client_credentials(http, **with_assertion(token))
        assert error_of(response)[2] == [7000272]
        assert "identifier rogue" in response.json()["error_description"]

    def test_a_tampered_token_fails_signature_validation(
        self, federated: EntraEmulator, http: requests.Session
    ) -> None:
        """Changing the claims of a signed token breaks its signature: AADSTS700027."""
        header, _, signature = federated.issue_federated_token("system:serviceaccount:reports:other").split(".")
        body = federated.issue_federated_token(SUBJECT).split(".")[1]
        response = client_credentials(http, **with_assertion(f"{header}.{body}.{signature}"))
        assert error_of(response)[2] == [700027]
