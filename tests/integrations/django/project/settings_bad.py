"""The project with a broken alias: ``powerbi`` has a wrong-typed value and no client id anywhere."""

from .settings import *  # noqa: F403

SETTINGS_CRED = {
    "default": {},
    "powerbi": {"ENV_PREFIX": "POWERBI_", "ENV_FILE": None, "DISABLE_INSTANCE_DISCOVERY": "maybe"},
}
