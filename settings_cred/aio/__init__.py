"""Async credentials: ``settings_cred.aio.UsernamePasswordCredential`` and ``credential_from_env``."""

from .._settings import async_credential_from_env as credential_from_env
from ._credential import UsernamePasswordCredential

__all__ = ["UsernamePasswordCredential", "credential_from_env"]
