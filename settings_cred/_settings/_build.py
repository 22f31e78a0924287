"""From validated settings to the chosen kind's constructor arguments: secret sources, cache and pipeline options.

The same arguments serve the sync and the async class of a kind (they share signatures), so one
function says, per kind, what the settings pass to it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, Literal, NamedTuple, TypeVar

from .._credentials._configured import CredentialKind
from .._secret import Secret, SecretSource, StaticSecret
from .._secret_files import FileSecret
from .._store._options import TokenCachePersistenceOptions
from .._transport._options import PipelineOptions
from ._errors import MISSING, NOT_SET, Problem, SettingsError
from ._keyvault_secret import KeyVaultSecret
from ._load import Loaded
from ._masked import Proxies, revealed
from ._references import looks_like_reference

if TYPE_CHECKING:
    from ._model import CredentialSettings


T = TypeVar("T")
SecretField = Literal["password", "client_secret", "client_certificate_password", "token_cache_key"]
"""The settings that hold a secret."""


class CredentialCall(NamedTuple):
    """How to construct the kind's class: positional and keyword arguments (pipeline options included)."""

    kind: CredentialKind
    args: tuple[Any, ...]
    kwargs: dict[str, Any]


def build(
    settings: CredentialSettings,
    loaded: Loaded,
    classes: Mapping[CredentialKind, Callable[..., T]],
    pipeline: Mapping[str, Any],
) -> T:
    """The credential of the kind the settings chose, from ``classes`` (the sync or the async ones)."""
    call = credential_call(settings, loaded, dict(pipeline))
    return construct(classes[call.kind], call, loaded)


def credential_call(settings: CredentialSettings, loaded: Loaded, pipeline: dict[str, Any]) -> CredentialCall:
    """The arguments of the class of the kind the settings chose; ``pipeline`` wins over the transport settings."""
    unresolved(settings, loaded)
    kind = loaded.choice.kind
    options: dict[str, Any] = {**pipeline_options(settings), **pipeline}
    args, kwargs = _ARGUMENTS[kind](settings, loaded)
    return CredentialCall(kind, args, {**kwargs, **options})


_FILE_OF_KIND: dict[str, tuple[str, str]] = {
    "certificate": (
        "client_certificate_path",
        "make {variable} a PEM file (private key and certificate) or a PKCS#12 file, and {prefix}"
        "CLIENT_CERTIFICATE_PASSWORD its password (unset when it has none)",
    ),
    "workload_identity": ("federated_token_file", "mount the federated token where {variable} points"),
}
"""The setting whose file a kind reads at construction, and how to fix it when that file cannot be used."""


def construct(factory: Callable[..., T], call: CredentialCall, loaded: Loaded) -> T:
    """``factory(*call.args, **call.kwargs)``; a file the kind cannot use becomes a :class:`SettingsError`.

    The error names the setting and its source and is raised outside the ``except``: nothing is chained.
    """
    try:
        return factory(*call.args, **call.kwargs)
    except ValueError as exc:
        if call.kind not in _FILE_OF_KIND:
            raise
        reason = str(exc)  # names what is wrong with the file, never its content or the password
    name, fix = _FILE_OF_KIND[call.kind]
    variable = loaded.env_prefix + name.upper()
    origin = loaded.origins.get(name)
    problem = Problem(
        name,
        origin.variable if origin is not None and origin.variable else variable,
        str(origin) if origin is not None else "default",
        f"cannot be used: {reason}",
        fix.format(variable=variable, prefix=loaded.env_prefix),
    )
    raise SettingsError([problem], env_prefix=loaded.env_prefix, report=loaded.report)


def cache_options(settings: CredentialSettings) -> TokenCachePersistenceOptions | None:
    """The persistent cache's options: files when ``token_cache_persistence``, Redis when ``token_cache_url``."""
    url, key = settings.token_cache_url, settings.token_cache_key
    if not settings.token_cache_persistence and url is None:
        return None
    return TokenCachePersistenceOptions(
        name=settings.token_cache_name,
        allow_unencrypted_storage=settings.token_cache_allow_unencrypted,
        encryption_key=Secret(key.get_secret_value()) if key is not None else None,
        directory=settings.token_cache_dir,
        url=Secret(url.get_secret_value()) if url is not None else None,
    )


def pipeline_options(settings: CredentialSettings) -> PipelineOptions:
    """``connection_verify`` from the CA bundle and ``proxies`` from the proxy URL, when set."""
    options = PipelineOptions()
    if settings.ca_bundle is not None:
        options["connection_verify"] = str(settings.ca_bundle)
    if settings.https_proxy is not None:
        options["proxies"] = Proxies(https=settings.https_proxy.get_secret_value())
    return options


def secret_source(settings: CredentialSettings, loaded: Loaded, name: SecretField) -> SecretSource | None:
    """Secret setting ``name`` as a source: re-read from its file or Key Vault reference, else static."""
    value = revealed(getattr(settings, name))
    if value is None:
        return None
    secret = Secret(value)
    origin = loaded.origins.get(name)
    prefix = loaded.env_prefix
    if origin is not None and origin.kind in ("file", "secrets_dir"):
        return FileSecret(origin.location, initial=secret, env_prefix=prefix, field=name, kind=origin.kind)
    reference = loaded.references.get(name)
    if reference is not None and loaded.access is not None:
        return KeyVaultSecret(
            reference,
            loaded.access,
            initial=secret,
            refresh_interval=loaded.refresh_interval,
            env_prefix=prefix,
            field=name,
        )
    return StaticSecret(secret)


def required_secret_source(settings: CredentialSettings, loaded: Loaded, name: SecretField) -> SecretSource:
    """:func:`secret_source`, or a :class:`SettingsError` naming the setting when it is not set."""
    source = secret_source(settings, loaded, name)
    if source is None:
        variable = loaded.env_prefix + name.upper()
        problem = Problem(name, variable, NOT_SET, MISSING, f"set {variable} (or {variable}_FILE)")
        raise SettingsError([problem], env_prefix=loaded.env_prefix)
    return source


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


Arguments = tuple[tuple[Any, ...], dict[str, Any]]


def _application(settings: CredentialSettings) -> dict[str, Any]:
    """What every kind that signs in to Entra ID takes."""
    return {
        "authority": settings.authority_host,
        "cache_persistence_options": cache_options(settings),
        "disable_instance_discovery": settings.disable_instance_discovery or None,
        "additionally_allowed_tenants": settings.additionally_allowed_tenants,
    }


def _password(settings: CredentialSettings, loaded: Loaded) -> Arguments:
    source = secret_source(settings, loaded, "password")
    keywords = {
        **_application(settings),
        "tenant_id": settings.tenant_id,
        "enable_support_logging": settings.enable_support_logging,
    }
    return (settings.client_id, settings.username, source), keywords


def _client_secret(settings: CredentialSettings, loaded: Loaded) -> Arguments:
    source = secret_source(settings, loaded, "client_secret")
    return (settings.tenant_id, settings.client_id, source), _application(settings)


def _certificate(settings: CredentialSettings, loaded: Loaded) -> Arguments:
    keywords = {
        **_application(settings),
        "password": secret_source(settings, loaded, "client_certificate_password"),
        "send_certificate_chain": settings.client_send_certificate_chain,
    }
    return (settings.tenant_id, settings.client_id, str(settings.client_certificate_path)), keywords


def _workload_identity(settings: CredentialSettings, loaded: Loaded) -> Arguments:
    keywords = {
        **_application(settings),
        "tenant_id": settings.tenant_id,
        "client_id": settings.client_id,
        "token_file_path": str(settings.federated_token_file),
    }
    return (), keywords


def _managed_identity(settings: CredentialSettings, loaded: Loaded) -> Arguments:
    return (), {"client_id": settings.client_id, "cache_persistence_options": cache_options(settings)}


_ARGUMENTS: dict[CredentialKind, Callable[[CredentialSettings, Loaded], Arguments]] = {
    "password": _password,
    "client_secret": _client_secret,
    "certificate": _certificate,
    "workload_identity": _workload_identity,
    "managed_identity": _managed_identity,
}
