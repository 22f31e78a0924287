"""Async credentials: ``settings_cred.aio.UsernamePasswordCredential``."""

from ._credential import UsernamePasswordCredential

__all__ = ["UsernamePasswordCredential"]
