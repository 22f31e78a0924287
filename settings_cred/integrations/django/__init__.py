"""Django: per-alias credentials from ``settings.SETTINGS_CRED``, system checks and a readiness view.

Add ``"settings_cred.integrations.django"`` to ``INSTALLED_APPS``, then::

    from settings_cred.integrations.django import credentials

    token = credentials["default"].get_token("https://vault.azure.net/.default")

See docs/django.md for the shape of ``SETTINGS_CRED``, the check ids and the readiness view.
"""

from .._aliases import UnknownAliasError
from ._registry import CredentialRegistry, credentials

__all__ = ["CredentialRegistry", "UnknownAliasError", "credentials"]
