"""Turning a credential's constructor arguments into a validated token core (shared by both shells)."""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from azure.core.pipeline.transport import AsyncHttpTransport

from .. import audit
from .._constants import DEFAULT_TENANT
from .._core._authority import default_authority, normalize_authority, validate_tenant_id
from .._core._config import CoreConfig
from .._core._token_core import TokenCore
from .._notice import warn_once
from .._secret import SecretSource, StaticSecret
from .._store._options import DEFAULT_LEASE_WAIT, TokenCachePersistenceOptions
from .._transport._msal_http import MsalHttpClient
from .._transport._pipeline import PipelineOptions, split_pipeline_options

if TYPE_CHECKING:
    from .._store._metadata import SharedMetadata
    from .._store._store import Store

_IGNORED_FOR_COMPATIBILITY = frozenset({"authentication_record", "_silence_deprecation_warning"})
"""Keywords azure-identity's UsernamePasswordCredential accepts and discards."""


def build_core(
    client_id: str,
    username: str,
    password: SecretSource,
    *,
    authority: str | None,
    tenant_id: str | None,
    cache_persistence_options: TokenCachePersistenceOptions | None,
    disable_instance_discovery: bool | None,
    additionally_allowed_tenants: Iterable[str] | None,
    enable_support_logging: bool | None,
    kwargs: dict[str, Any],
    environ: Mapping[str, str] = os.environ,
) -> TokenCore:
    """Validate everything first, then build; nothing is half-applied on a bad argument."""
    pipeline_options, unknown = split_pipeline_options(kwargs)
    if isinstance(pipeline_options.get("transport"), AsyncHttpTransport):
        raise TypeError(
            "transport must be a synchronous azure-core HttpTransport (for example RequestsTransport): "
            "both credentials run msal's requests through a synchronous pipeline, the async one in a worker "
            "thread. Omit transport to use the default."
        )
    unknown = {k: v for k, v in unknown.items() if k not in _IGNORED_FOR_COMPATIBILITY}
    if unknown:
        raise TypeError(f"UsernamePasswordCredential got unexpected keyword arguments: {sorted(unknown)}")
    if not client_id or not isinstance(client_id, str):
        raise ValueError("client_id must be the application (client) ID, a non-empty string (AZURE_CLIENT_ID).")
    if not username or not isinstance(username, str):
        raise ValueError("username must be the user's UPN, a non-empty string (AZURE_USERNAME).")
    if isinstance(password, StaticSecret) and not password.get():
        raise ValueError("password must not be empty (AZURE_PASSWORD).")
    resolved_tenant = tenant_id or DEFAULT_TENANT
    validate_tenant_id(resolved_tenant)
    resolved_authority = normalize_authority(authority) if authority else default_authority(environ)
    store = _open_store(cache_persistence_options, environ) if cache_persistence_options else None
    config = CoreConfig(
        client_id=client_id,
        username=username,
        password=password,
        authority=resolved_authority,
        tenant_id=resolved_tenant,
        additionally_allowed_tenants=tuple(additionally_allowed_tenants or ()),
        instance_discovery=None if disable_instance_discovery is None else not disable_instance_discovery,
        enable_support_logging=bool(enable_support_logging),
        store=store,
        sign_in_wait=cache_persistence_options.sign_in_wait if cache_persistence_options else DEFAULT_LEASE_WAIT,
    )
    metadata = _shared_metadata(store) if store is not None else None
    http = MsalHttpClient(PipelineOptions(**pipeline_options), resolved_authority, metadata)
    core = TokenCore(config, http, environ=environ)
    warn_once(stacklevel=3)
    audit.emit(
        audit.CREDENTIAL_CREATED,
        **core.identity,
        persistent_cache=cache_persistence_options is not None,
        instance_discovery=config.instance_discovery is not False,
    )
    return core


def _open_store(options: TokenCachePersistenceOptions, environ: Mapping[str, str]) -> Store:
    from .._store._open import open_store  # noqa: PLC0415 - the store (cryptography, backends) loads only when used

    return open_store(options, environ)


def _shared_metadata(store: Store) -> SharedMetadata:
    from .._store._metadata import SharedMetadata  # noqa: PLC0415

    return SharedMetadata(store)
