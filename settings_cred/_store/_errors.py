"""Configuration errors of the persistent cache and the shared store, raised when a credential is built."""

from __future__ import annotations


class StoreConfigurationError(ValueError):
    """The persistent cache or shared store cannot be used as configured; the message says what to change.

    ``setting`` names the variable or option at fault (for example ``AZURE_TOKEN_CACHE_KEY``).
    """

    def __init__(self, message: str, *, setting: str) -> None:
        super().__init__(message)
        self.setting = setting


StoreConfigurationError.__module__ = "settings_cred"


class WeakKeyError(StoreConfigurationError):
    """The configured cache key is too short or too predictable to protect tokens."""

    def __init__(self, message: str) -> None:
        super().__init__(message, setting="AZURE_TOKEN_CACHE_KEY")


WeakKeyError.__module__ = "settings_cred"
