"""Flask: an extension holding one credential per alias, a ``flask settings-cred check`` command, a readiness blueprint.

.. code-block:: python

    app = Flask(__name__)
    app.config["SETTINGS_CRED"] = {"default": {"ENV_PREFIX": "AZURE_"}, "powerbi": {"ENV_PREFIX": "POWERBI_"}}
    ext = SettingsCred(app)  # or SettingsCred() at import time, then ext.init_app(app) in the factory
    app.register_blueprint(readiness_blueprint(scopes=["https://vault.azure.net/.default"]))

    @app.get("/secret")
    def read():
        token = ext.credential.get_token("https://vault.azure.net/.default")
        ...

See docs/flask.md.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Final

from flask import Blueprint, Flask, Response, current_app, jsonify

from ...health import check_readiness
from .._aliases import UnknownAliasError
from ._cli import cli
from ._config import DEFAULT_ALIAS, SETTING, configured_aliases, load_all
from ._credentials import Credentials

if TYPE_CHECKING:
    from ..._credentials._configured import ConfiguredCredential

__all__ = ["SETTING", "STATE_KEY", "Credentials", "SettingsCred", "UnknownAliasError", "readiness_blueprint"]

STATE_KEY: Final = "settings_cred"
"""The key of ``app.extensions`` holding the app's :class:`Credentials`."""


class SettingsCred:
    """The Flask extension: ``SettingsCred(app)``, or ``ext = SettingsCred()`` and later ``ext.init_app(app)``.

    The extension object keeps no app: :attr:`credential` and :attr:`credentials` answer for
    ``current_app``, so one object serves every app an app factory makes.
    """

    __slots__ = ()

    def __init__(self, app: Flask | None = None) -> None:
        if app is not None:
            self.init_app(app)

    def init_app(self, app: Flask) -> None:
        """Load and validate every alias of ``app.config["SETTINGS_CRED"]`` now; register the CLI group.

        Credentials are built on first use. Without ``SETTINGS_CRED`` the alias ``default`` is read
        from the ``AZURE_`` variables.

        :raises settings_cred.SettingsError: listing every problem of every alias (never a value).
        :raises RuntimeError: when the app already has the extension.
        """
        if STATE_KEY in app.extensions:
            raise RuntimeError(f"SettingsCred is already initialised on the app {app.name!r}")
        configs = configured_aliases(app.config.get(SETTING))
        app.extensions[STATE_KEY] = Credentials(configs, load_all(configs))
        app.cli.add_command(cli)

    @property
    def credentials(self) -> Credentials:
        """The current app's credentials by alias, ``ext.credentials["powerbi"]`` (needs an app context)."""
        return app_credentials(current_app)

    @property
    def credential(self) -> ConfiguredCredential:
        """The current app's ``default`` credential (needs an app context)."""
        return self.credentials[DEFAULT_ALIAS]

    def close(self, app: Flask | None = None) -> None:
        """Close the credentials of ``app`` (default the current app); they are also closed at exit."""
        app_credentials(app or current_app).close()


def app_credentials(app: Flask) -> Credentials:
    """``app``'s :class:`Credentials`.

    :raises RuntimeError: when ``SettingsCred`` was not initialised on ``app``.
    """
    state: Credentials | None = app.extensions.get(STATE_KEY)
    if state is None:
        raise RuntimeError(f"SettingsCred is not initialised on the app {app.name!r}: call init_app(app)")
    return state


def readiness_blueprint(
    alias: str = DEFAULT_ALIAS, *, scopes: Sequence[str] = (), url: str = "/healthz/azure", name: str | None = None
) -> Blueprint:
    """A blueprint with one GET route: 200 and the readiness report when ``alias`` can serve a token, else 503.

    The report names the token's source, expiry and the last error code; never the token.
    ``name`` tells apart two readiness blueprints of the same alias.
    """
    blueprint = Blueprint(name or f"settings_cred_readiness_{alias}", __name__)

    @blueprint.get(url)
    def readiness() -> tuple[Response, int]:
        report = check_readiness(app_credentials(current_app)[alias], *scopes)
        response = jsonify(report.as_dict())
        response.headers["Cache-Control"] = "no-store"
        return response, report.http_status

    return blueprint
