"""From validated settings to credential arguments: password source, pipeline options, cache options."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .._secret import Secret, SecretSource, StaticSecret
from .._secret_files import FileSecret
from .._store._options import TokenCachePersistenceOptions
from .._transport._pipeline import PipelineOptions
from ._errors import Problem, SettingsError
from ._keyvault_secret import KeyVaultSecret
from ._load import Loaded
from ._masked import Proxies, revealed
from ._references import looks_like_reference

if TYPE_CHECKING:
    from ._model import CredentialSettings


def credential_arguments(settings: CredentialSettings) -> dict[str, Any]:
    """The credential's keyword arguments other than the pipeline options."""
    cache = None
    if settings.token_cache_persistence:
        key = settings.token_cache_key
        cache = TokenCachePersistenceOptions(
            name=settings.token_cache_name,
            allow_unencrypted_storage=settings.token_cache_allow_unencrypted,
            encryption_key=Secret(key.get_secret_value()) if key is not None else None,
            directory=settings.token_cache_dir,
        )
    return {
        "authority": settings.authority_host,
        "tenant_id": settings.tenant_id,
        "cache_persistence_options": cache,
        "disable_instance_discovery": settings.disable_instance_discovery or None,
        "additionally_allowed_tenants": settings.additionally_allowed_tenants,
        "enable_support_logging": settings.enable_support_logging,
    }


def pipeline_options(settings: CredentialSettings) -> PipelineOptions:
    """``connection_verify`` from the CA bundle and ``proxies`` from the proxy URL, when set."""
    options = PipelineOptions()
    if settings.ca_bundle is not None:
        options["connection_verify"] = str(settings.ca_bundle)
    if settings.https_proxy is not None:
        options["proxies"] = Proxies(https=settings.https_proxy.get_secret_value())
    return options


def password_source(settings: CredentialSettings, loaded: Loaded) -> SecretSource:
    """A file source for a password from a file, a Key Vault source for a reference, else a static one."""
    value = Secret(settings.password.get_secret_value())
    origin = loaded.origins.get("password")
    prefix = loaded.env_prefix
    if origin is not None and origin.kind in ("file", "secrets_dir"):
        return FileSecret(origin.location, initial=value, env_prefix=prefix, kind=origin.kind)
    reference = loaded.references.get("password")
    if reference is not None and loaded.access is not None:
        return KeyVaultSecret(
            reference, loaded.access, initial=value, refresh_interval=loaded.refresh_interval, env_prefix=prefix
        )
    return StaticSecret(value)


def unresolved(settings: CredentialSettings, loaded: Loaded) -> None:
    """Raise :class:`SettingsError` if a setting still holds an unresolved Key Vault reference."""
    problems = []
    for row in loaded.report.rows:
        value = getattr(settings, row.field)
        if looks_like_reference(revealed(value)):
            problems.append(
                Problem(
                    row.field,
                    row.variable,
                    str(row.origin),
                    "holds a Key Vault reference that was not resolved.",
                    "load the settings with resolve_references=True (the default) before building a credential",
                )
            )
    if problems:
        raise SettingsError(problems, env_prefix=loaded.env_prefix)
