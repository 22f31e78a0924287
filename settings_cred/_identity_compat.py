"""azure-identity's exception types, when azure-identity is installed, so ours are also theirs.

azure-identity's ``ChainedTokenCredential`` moves on only for *its* ``CredentialUnavailableError``;
inheriting from it (when present) keeps settings_cred usable inside such chains.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from azure.core.exceptions import ClientAuthenticationError

if TYPE_CHECKING:
    IdentityCredentialUnavailableError = ClientAuthenticationError
    IdentityAuthenticationRequiredError = ClientAuthenticationError
else:
    try:
        from azure.identity import AuthenticationRequiredError as IdentityAuthenticationRequiredError
        from azure.identity import CredentialUnavailableError as IdentityCredentialUnavailableError
    except ImportError:  # azure-identity is optional
        IdentityCredentialUnavailableError = ClientAuthenticationError
        IdentityAuthenticationRequiredError = ClientAuthenticationError
