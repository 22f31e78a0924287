"""The app config: add ``"settings_cred.integrations.django"`` to ``INSTALLED_APPS``."""

from __future__ import annotations

from django.apps import AppConfig
from django.core import checks

from .checks import check_settings


class SettingsCredConfig(AppConfig):  # type: ignore[misc]  # Django ships no type information
    """Registers the ``settings_cred`` system checks."""

    name = "settings_cred.integrations.django"
    label = "settings_cred"
    verbose_name = "settings_cred"

    def ready(self) -> None:
        """Register :func:`~settings_cred.integrations.django.checks.check_settings` (tag ``settings_cred``)."""
        checks.register(check_settings, "settings_cred")
