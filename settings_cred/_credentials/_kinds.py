"""One builder per credential kind: its arguments, validated, to a token core (used by sync and async shells)."""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from typing import Any

from .._constants import META_TENANTS
from .._core._client_flow import ClientFlow
from .._core._client_material import AssertionMaterial, CertificateMaterial, ClientMaterial, SecretMaterial
from .._core._managed_identity_flow import ManagedIdentityFlow, managed_identity_spec
from .._core._password_flow import PasswordFlow
from .._core._token_core import TokenCore
from .._secret import Secret, SecretBytes, SecretSource, StaticSecret
from .._store._options import TokenCachePersistenceOptions
from ._construction import MANAGED_IDENTITY_AUTHORITY, build, common

ENV_TENANT_ID = "AZURE_TENANT_ID"
ENV_CLIENT_ID = "AZURE_CLIENT_ID"
ENV_FEDERATED_TOKEN_FILE = "AZURE_FEDERATED_TOKEN_FILE"  # noqa: S105 - a variable's name


def password_core(
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
) -> TokenCore:
    """A user signing in with a password (ROPC)."""
    parts = common(
        "password",
        "UsernamePasswordCredential",
        client_id=client_id,
        authority=authority,
        tenant_id=tenant_id,
        cache_persistence_options=cache_persistence_options,
        disable_instance_discovery=disable_instance_discovery,
        additionally_allowed_tenants=additionally_allowed_tenants,
        kwargs=kwargs,
    )
    if not username or not isinstance(username, str):
        raise ValueError("username must be the user's UPN, a non-empty string (AZURE_USERNAME).")
    if isinstance(password, StaticSecret) and not password.get():
        raise ValueError("password must not be empty (AZURE_PASSWORD).")
    return build(
        parts,
        lambda context: PasswordFlow(context, password),
        username=username,
        enable_support_logging=enable_support_logging,
    )


def client_core(
    owner: str,
    tenant_id: str | None,
    client_id: str,
    material: ClientMaterial,
    *,
    authority: str | None,
    cache_persistence_options: TokenCachePersistenceOptions | None,
    disable_instance_discovery: bool | None,
    additionally_allowed_tenants: Iterable[str] | None,
    kwargs: dict[str, Any],
) -> TokenCore:
    """An application signing in as itself (client secret, certificate or federated token: `material`'s kind)."""
    if not tenant_id or tenant_id.lower() in META_TENANTS:
        raise ValueError(
            f"{owner} needs the application's tenant: a tenant GUID or verified domain ({ENV_TENANT_ID}), "
            "not 'organizations' or 'common'."
        )
    parts = common(
        material.kind,
        owner,
        client_id=client_id,
        authority=authority,
        tenant_id=tenant_id,
        cache_persistence_options=cache_persistence_options,
        disable_instance_discovery=disable_instance_discovery,
        additionally_allowed_tenants=additionally_allowed_tenants,
        kwargs=kwargs,
    )
    return build(parts, lambda context: ClientFlow(context, material))


def secret_material(client_secret: SecretSource) -> SecretMaterial:
    """A client secret, refusing an empty one."""
    if isinstance(client_secret, StaticSecret) and not client_secret.get():
        raise ValueError("client_secret must not be empty (AZURE_CLIENT_SECRET).")
    return SecretMaterial(client_secret)


def certificate_secrets(
    certificate_data: bytes | None, password: str | bytes | Secret | SecretSource | None
) -> tuple[SecretBytes | None, Secret | SecretSource | None]:
    """The certificate's bytes and password as masked objects (so no frame of a failure shows them).

    A ``SecretSource`` password is asked again whenever the certificate is re-read (rotation).
    """
    data = SecretBytes(certificate_data) if certificate_data is not None else None
    if isinstance(password, bytes):
        return data, Secret(password.decode("utf-8"))
    return data, Secret(password) if isinstance(password, str) else password


def certificate_material(
    certificate_path: str | os.PathLike[str] | None,
    certificate_data: SecretBytes | None,
    password: Secret | SecretSource | None,
    send_certificate_chain: bool,
) -> CertificateMaterial:
    """A certificate from a file or bytes, loaded now so a bad one fails at construction."""
    try:
        return CertificateMaterial(
            path=certificate_path, data=certificate_data, password=password, send_chain=send_certificate_chain
        )
    except ValueError as exc:
        problem = str(exc)
    raise ValueError(
        f"CertificateCredential: {problem} (AZURE_CLIENT_CERTIFICATE_PATH, AZURE_CLIENT_CERTIFICATE_PASSWORD)."
    )


def workload_identity_arguments(
    tenant_id: str | None, client_id: str | None, token_file_path: str | None, environ: Mapping[str, str] = os.environ
) -> tuple[str, str, AssertionMaterial]:
    """Tenant, client id and token file, from the arguments or azure-identity's variables (as AKS sets them)."""
    tenant = tenant_id or environ.get(ENV_TENANT_ID)
    client = client_id or environ.get(ENV_CLIENT_ID)
    token_file = token_file_path or environ.get(ENV_FEDERATED_TOKEN_FILE)
    missing = [
        name
        for name, value in (("tenant_id", tenant), ("client_id", client), ("token_file_path", token_file))
        if not value
    ]
    if missing or tenant is None or client is None or token_file is None:
        raise ValueError(
            f"WorkloadIdentityCredential needs {', '.join(missing)}: pass them, or set {ENV_TENANT_ID}, "
            f"{ENV_CLIENT_ID} and {ENV_FEDERATED_TOKEN_FILE} (the AKS workload identity webhook sets all three)."
        )
    try:
        return tenant, client, AssertionMaterial(token_file)
    except ValueError as exc:
        problem = str(exc)
    raise ValueError(f"WorkloadIdentityCredential: the token file {token_file} cannot be used: {problem}.")


def managed_identity_core(
    *,
    client_id: str | None,
    identity_config: Mapping[str, str] | None,
    cache_persistence_options: TokenCachePersistenceOptions | None,
    kwargs: dict[str, Any],
) -> TokenCore:
    """The platform's managed identity: system-assigned, or user-assigned by client, object or resource id."""
    spec = managed_identity_spec(client_id, identity_config)
    parts = common(
        "managed_identity",
        "ManagedIdentityCredential",
        client_id=str(spec["Id"] or "system-assigned"),
        authority=None,
        tenant_id=None,
        cache_persistence_options=cache_persistence_options,
        disable_instance_discovery=True,
        additionally_allowed_tenants=None,
        kwargs=kwargs,
    )
    parts = parts._replace(config=parts.config._replace(authority=MANAGED_IDENTITY_AUTHORITY, tenant_id=""))
    return build(parts, lambda context: ManagedIdentityFlow(context, spec), multi_tenant=False)
