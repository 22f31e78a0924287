"""One-liners for web apps and containers: settings from the environment straight to a credential."""

from __future__ import annotations

import os
from dataclasses import replace
from typing import TYPE_CHECKING, Any, Final

from .._transport._options import PIPELINE_OPTION_NAMES, split_pipeline_options
from ._load import load_options, options_in_force
from ._masked import mask_arguments
from ._model import CredentialSettings

if TYPE_CHECKING:
    from azure.core.credentials import TokenCredential

    from .._credentials._configured import ConfiguredCredential
    from ..aio._configured import AsyncConfiguredCredential

KEYWORDS: Final = frozenset({*CredentialSettings.model_fields, *PIPELINE_OPTION_NAMES})
"""What ``overrides`` may name: a setting or a pipeline option."""


def credential_from_env(
    *,
    env_prefix: str = "AZURE_",
    env_file: str | os.PathLike[str] | None = ".env",
    secrets_dir: str | os.PathLike[str] | None = None,
    keyvault_credential: TokenCredential | None = None,
    **overrides: Any,
) -> ConfiguredCredential:
    """The credential the configuration describes, from arguments, the environment, ``X_FILE``, ``.env``, secret
    files and Key Vault: ``ClientSecretCredential``, ``CertificateCredential``, ``WorkloadIdentityCredential``,
    ``ManagedIdentityCredential`` or ``UsernamePasswordCredential`` (see docs/configuration.md for the rules).

    ``overrides`` are settings (``tenant_id="..."``) or azure-core pipeline options (``retry_total=5``).

    :raises SettingsError: listing every bad or missing setting, with its source and a fix.
    """
    mask_arguments(overrides, KEYWORDS)
    settings, pipeline = _load(env_prefix, env_file, secrets_dir, keyvault_credential, overrides)
    return settings.build_credential(**pipeline)


async def async_credential_from_env(
    *,
    env_prefix: str = "AZURE_",
    env_file: str | os.PathLike[str] | None = ".env",
    secrets_dir: str | os.PathLike[str] | None = None,
    keyvault_credential: TokenCredential | None = None,
    **overrides: Any,
) -> AsyncConfiguredCredential:
    """The async credential of the configured kind, from the same sources; files and Key Vault are read in a
    worker thread.

    ``keyvault_credential`` is a synchronous credential: a rotated Key Vault secret is re-read from the
    worker thread that signs in.
    """
    mask_arguments(overrides, KEYWORDS)
    import asyncio  # noqa: PLC0415 - loaded by async applications anyway; sync ones need not pay for it

    settings, pipeline = await asyncio.to_thread(
        _load, env_prefix, env_file, secrets_dir, keyvault_credential, overrides
    )
    return settings.build_async_credential(**pipeline)


def _load(
    env_prefix: str,
    env_file: str | os.PathLike[str] | None,
    secrets_dir: str | os.PathLike[str] | None,
    keyvault_credential: TokenCredential | None,
    overrides: dict[str, Any],
) -> tuple[CredentialSettings, dict[str, Any]]:
    pipeline, values = split_pipeline_options(overrides)
    with load_options(replace(options_in_force(), also_accepted=PIPELINE_OPTION_NAMES)):
        settings = CredentialSettings.from_sources(
            env_prefix=env_prefix,
            env_file=env_file,
            secrets_dir=secrets_dir,
            keyvault_credential=keyvault_credential,
            **values,
        )
    return settings, dict(pipeline)
