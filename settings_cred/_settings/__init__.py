"""Typed settings for the credential: sources, provenance, Key Vault references, rotation."""

from .._secret_files import FileSecret
from ._errors import Problem, SettingsError, SettingsWarning
from ._factory import async_credential_from_env, credential_from_env
from ._keyvault_secret import KeyVaultSecret
from ._model import CredentialSettings
from ._origin import Origin
from ._references import KeyVaultReference, ReferenceSyntaxError, parse_reference
from ._report import SettingRow, SettingsReport

for _public in (CredentialSettings, FileSecret, SettingsError, credential_from_env):
    _public.__module__ = "settings_cred"  # where users import them from: tracebacks and reprs say so
async_credential_from_env.__module__ = "settings_cred.aio"
del _public

__all__ = [
    "CredentialSettings",
    "FileSecret",
    "KeyVaultReference",
    "KeyVaultSecret",
    "Origin",
    "Problem",
    "ReferenceSyntaxError",
    "SettingRow",
    "SettingsError",
    "SettingsReport",
    "SettingsWarning",
    "async_credential_from_env",
    "credential_from_env",
    "parse_reference",
]
