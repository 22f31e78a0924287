"""From a credential's constructor arguments to a validated token core, for every kind (shared by both shells).

Everything is validated first, then built: nothing is half-applied on a bad argument.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any, NamedTuple

from azure.core.pipeline.transport import AsyncHttpTransport

from .. import audit
from .._constants import DEFAULT_TENANT
from .._core._authority import default_authority, normalize_authority, validate_tenant_id
from .._core._config import CoreConfig
from .._core._flow import Flow, FlowContext
from .._core._token_core import TokenCore
from .._store._options import DEFAULT_LEASE_WAIT, TokenCachePersistenceOptions
from .._transport._msal_http import MsalHttpClient
from .._transport._options import PipelineOptions, split_pipeline_options

if TYPE_CHECKING:
    from .._store._metadata import SharedMetadata
    from .._store._store import Store

_IGNORED_FOR_COMPATIBILITY = frozenset({"authentication_record", "_silence_deprecation_warning"})
"""Keywords azure-identity's credentials accept and discard."""
MANAGED_IDENTITY_AUTHORITY = "managed_identity"
"""What stands for the authority of a managed identity (the platform's endpoint, not Entra ID's host)."""


class Common(NamedTuple):
    """The validated arguments every kind shares."""

    config: CoreConfig
    """The core's configuration but for what :func:`build` adds: store, user, support logging, tenancy."""
    cache_persistence_options: TokenCachePersistenceOptions | None
    pipeline: PipelineOptions


def common(
    kind: str,
    owner: str,
    *,
    client_id: str,
    authority: str | None,
    tenant_id: str | None,
    cache_persistence_options: TokenCachePersistenceOptions | None,
    disable_instance_discovery: bool | None,
    additionally_allowed_tenants: Iterable[str] | None,
    kwargs: dict[str, Any],
) -> Common:
    """Validate what every kind takes; `owner` is the class name for error messages."""
    pipeline_options, unknown = split_pipeline_options(kwargs)
    if isinstance(pipeline_options.get("transport"), AsyncHttpTransport):
        raise TypeError(
            "transport must be a synchronous azure-core HttpTransport (for example RequestsTransport): "
            "both credentials run msal's requests through a synchronous pipeline, the async one in a worker "
            "thread. Omit transport to use the default."
        )
    unknown = {k: v for k, v in unknown.items() if k not in _IGNORED_FOR_COMPATIBILITY}
    if unknown:
        raise TypeError(f"{owner} got unexpected keyword arguments: {sorted(unknown)}")
    if not client_id or not isinstance(client_id, str):
        raise ValueError("client_id must be the application (client) ID, a non-empty string (AZURE_CLIENT_ID).")
    resolved_tenant = tenant_id or DEFAULT_TENANT
    validate_tenant_id(resolved_tenant)
    config = CoreConfig(
        kind=kind,
        client_id=client_id,
        authority=normalize_authority(authority) if authority else default_authority(os.environ),
        tenant_id=resolved_tenant,
        additionally_allowed_tenants=tuple(additionally_allowed_tenants or ()),
        instance_discovery=None if disable_instance_discovery is None else not disable_instance_discovery,
        enable_support_logging=False,
        store=None,
    )
    return Common(config, cache_persistence_options, pipeline_options)


def build(
    parts: Common,
    flow: Callable[[FlowContext], Flow],
    *,
    username: str | None = None,
    enable_support_logging: bool | None = None,
    multi_tenant: bool = True,
) -> TokenCore:
    """The token core for validated `parts`, with the kind's `flow`; emits ``credential.created``."""
    options = parts.cache_persistence_options
    store = _open_store(options) if options is not None else None
    config = parts.config._replace(
        enable_support_logging=bool(enable_support_logging),
        store=store,
        sign_in_wait=options.sign_in_wait if options is not None else DEFAULT_LEASE_WAIT,
        username=username,
        multi_tenant=multi_tenant,
    )
    metadata = _shared_metadata(store) if store is not None else None
    http = MsalHttpClient(PipelineOptions(**parts.pipeline), config.authority, metadata)
    core = TokenCore(config, http, flow)
    audit.emit(
        audit.CREDENTIAL_CREATED,
        **core.identity,
        persistent_cache=options is not None,
        instance_discovery=config.instance_discovery is not False,
    )
    return core


def _open_store(options: TokenCachePersistenceOptions) -> Store:
    from .._store._open import open_store  # noqa: PLC0415 - the store (cryptography, backends) loads only when used

    return open_store(options, os.environ)


def _shared_metadata(store: Store) -> SharedMetadata:
    from .._store._metadata import SharedMetadata  # noqa: PLC0415

    return SharedMetadata(store)
