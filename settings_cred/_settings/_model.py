"""``CredentialSettings``: the credential's configuration, typed, validated, with provenance per field."""

from __future__ import annotations

import enum
import os
from collections.abc import Iterator, Mapping
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn, SupportsIndex

from pydantic import (
    Field,
    PrivateAttr,
    SecretStr,
    ValidationError,
    ValidationInfo,
    field_serializer,
    field_validator,
    model_validator,
)
from pydantic_settings import BaseSettings, PydanticBaseSettingsSource, SettingsConfigDict
from typing_extensions import Self, Unpack

from .._constants import DEFAULT_TENANT
from .._credentials._configured import CredentialKind, credential_classes
from .._secret import Secret, SecretSource
from .._store._options import TokenCachePersistenceOptions
from .._transport._options import PipelineOptions
from . import _fields as rules
from ._build import SecretField, build, cache_options, pipeline_options, required_secret_source
from ._keyvault import DEFAULT_REFRESH_INTERVAL, DEFAULT_TIMEOUT
from ._kind import KindChoice, normalized_kind
from ._load import Load, Loaded, active_load, load_options, options_in_force
from ._masked import ProxyUrl, StoreUrl, mask_arguments, mask_options, revealed
from ._origin import Origin
from ._outcome import accept, loaded_without_sources, reject
from ._report import SettingsReport, display
from ._requirements import check_requirements
from ._resolution import resolve_references
from ._sources import ArgumentSource, DotEnvSource, EnvironmentSource, FileVariableSource, SecretsDirSource
from ._variables import VariableNames

if TYPE_CHECKING:
    from azure.core.credentials import TokenCredential

    from .._credentials._configured import ConfiguredCredential
    from ..aio._configured import AsyncConfiguredCredential


class ClassDefault(enum.Enum):
    """A keyword left to the class's ``model_config`` (``env_file``: ``./.env`` unless a subclass says otherwise)."""

    CONFIG = "config"


class CredentialSettings(BaseSettings):
    """A credential's configuration, of any kind, from arguments, the environment, files and Key Vault.

    Variables are ``AZURE_<FIELD>`` (the prefix is configurable); ``AZURE_<FIELD>_FILE`` names a file
    holding the value. The variables that are set choose the credential kind (client secret, certificate,
    workload identity, username and password, or the platform's managed identity), or
    ``AZURE_CREDENTIAL_KIND`` names it. See docs/configuration.md for every variable and the rules.
    """

    model_config = SettingsConfigDict(
        env_prefix="AZURE_", env_file=".env", extra="forbid", frozen=True, hide_input_in_errors=True, defer_build=True
    )

    client_id: str | None = Field(
        default=None,
        description="Application (client) ID; for managed identity, a user-assigned identity's (optional).",
    )
    username: str | None = Field(default=None, description="The user's UPN (the password kind).")
    password: SecretStr | None = Field(default=None, description="The user's password (the password kind).")
    tenant_id: str = Field(default=DEFAULT_TENANT, description="Tenant GUID or verified domain.")
    credential_kind: CredentialKind | None = Field(
        default=None, description="The credential kind; by default chosen by the variables that are set."
    )
    client_secret: SecretStr | None = Field(default=None, description="A client secret (the client_secret kind).")
    client_certificate_path: Path | None = Field(
        default=None, description="PEM or PKCS#12 file with the certificate and its key (the certificate kind)."
    )
    client_certificate_password: SecretStr | None = Field(
        default=None, description="Password of the certificate file (the certificate kind)."
    )
    client_send_certificate_chain: bool = Field(
        default=False, description="Send the certificate chain (x5c), for subject name/issuer authentication."
    )
    federated_token_file: Path | None = Field(
        default=None, description="Federated token file (the workload_identity kind; AKS projects it)."
    )
    authority_host: str | None = Field(default=None, description="Authority host; default login.microsoftonline.com.")
    additionally_allowed_tenants: tuple[str, ...] = Field(
        default=(), description="Other tenants tokens may be requested for."
    )
    disable_instance_discovery: bool = Field(default=False, description="Skip instance discovery (private clouds).")
    token_cache_persistence: bool = Field(default=False, description="Persist the token cache on disk.")
    token_cache_url: StoreUrl | None = Field(
        default=None, description="Redis URL of a store shared by a fleet (implies persistence); its password masked."
    )
    token_cache_name: str = Field(default="msal.cache", description="Name prefix of the persistent cache's files.")
    token_cache_allow_unencrypted: bool = Field(default=False, description="Store the cache in plain text when needed.")
    token_cache_key: SecretStr | None = Field(default=None, description="Key that encrypts the persistent cache.")
    token_cache_dir: Path | None = Field(default=None, description="Directory of the persistent cache.")
    enable_support_logging: bool = Field(default=False, description="Let msal log personal data for a support case.")
    ca_bundle: Path | None = Field(default=None, description="CA bundle to trust (connection_verify).")
    https_proxy: ProxyUrl | None = Field(default=None, description="HTTPS proxy URL (proxies); its password masked.")

    _loaded: Loaded | None = PrivateAttr(None)

    def __init__(self, **values: Any) -> None:
        mask_arguments(values, type(self).model_fields)
        config = type(self).model_config
        prefix = values.pop("_env_prefix", None)
        env_file = values.pop("_env_file", ClassDefault.CONFIG)
        secrets_dir = values.pop("_secrets_dir", None)
        load = Load(
            VariableNames(config.get("env_prefix", "") if prefix is None else prefix, type(self).model_fields),
            None,
            None,
            type(self).model_fields,
        )
        if env_file is ClassDefault.CONFIG:
            load.env_file = load.location("env_file", config.get("env_file"), "model_config['env_file']")
        else:
            load.env_file = load.location("env_file", env_file, "argument env_file")
        if secrets_dir is None:
            load.secrets_dir = load.location("secrets_dir", config.get("secrets_dir"), "model_config['secrets_dir']")
        else:
            load.secrets_dir = load.location("secrets_dir", secrets_dir, "argument secrets_dir")
        failure = None
        with load.active():
            try:
                super().__init__(_env_file=None, _secrets_dir=None, **values)
            except ValidationError as exc:
                failure = reject(load, exc)
        if failure is not None:
            raise failure  # outside the except: no chained ValidationError with its frames
        self._loaded = accept(load, self)

    @classmethod
    def from_sources(
        cls,
        *,
        env_prefix: str | None = None,
        env_file: str | os.PathLike[str] | ClassDefault | None = ClassDefault.CONFIG,
        secrets_dir: str | os.PathLike[str] | None = None,
        keyvault_credential: TokenCredential | None = None,
        keyvault_options: Mapping[str, Any] | None = None,
        keyvault_timeout: float = DEFAULT_TIMEOUT,
        keyvault_refresh_interval: float = DEFAULT_REFRESH_INTERVAL,
        resolve_references: bool = True,
        **values: Any,
    ) -> Self:
        """Load settings; explicit ``values`` (field names) win over every other source.

        :param env_prefix: variable prefix (default the class's, ``AZURE_``), e.g. ``POWERBI_``.
        :param env_file: the ``.env`` file (a missing file is fine; default the class's, ``./.env``); ``None``
            to read none.
        :param secrets_dir: a directory of files named like the variables (``/run/secrets``).
        :param keyvault_credential: authenticates Key Vault reads; default a chain that never uses a password
            (workload or managed identity, then developer sign-ins such as az login): docs/keyvault-references.md.
        :param keyvault_options: azure-core options for ``SecretClient`` (default: the transport settings).
        :param keyvault_timeout: seconds to wait for all references together.
        :param keyvault_refresh_interval: seconds after which a versionless reference is read again.
        :param resolve_references: ``False`` leaves references unresolved (for inspection only).
        :raises SettingsError: listing every bad or missing setting.
        """
        mask_arguments(values, cls.model_fields)
        options = replace(
            options_in_force(),
            resolve_references=resolve_references,
            keyvault_credential=keyvault_credential,
            keyvault_options=mask_options(keyvault_options),
            keyvault_timeout=keyvault_timeout,
            keyvault_refresh_interval=keyvault_refresh_interval,
        )
        with load_options(options):
            return cls(_env_prefix=env_prefix, _env_file=env_file, _secrets_dir=secrets_dir, **values)

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        """Arguments, environment, ``X_FILE``, ``.env``, secrets directory (defaults come last)."""
        load = active_load()
        if load is None:  # pragma: no cover - every construction goes through __init__
            raise RuntimeError("CredentialSettings sources need an active load")
        arguments: dict[str, Any] = getattr(init_settings, "init_kwargs", {})
        return (
            ArgumentSource(settings_cls, load, arguments),
            EnvironmentSource(settings_cls, load, os.environ),
            FileVariableSource(settings_cls, load, os.environ),
            DotEnvSource(settings_cls, load),
            SecretsDirSource(settings_cls, load),
        )

    @model_validator(mode="before")
    @classmethod
    def _resolve_references(cls, data: Any) -> Any:
        load = active_load()
        if load is None or not isinstance(data, dict):  # pragma: no cover - __init__ always activates a load
            return data
        values = resolve_references(load, data, rules.TEXT_FIELDS, rules.LOCATION_FIELDS)
        check_requirements(load, values, os.environ)
        return values

    @field_validator("*", mode="before")
    @classmethod
    def _prepare(cls, value: Any, info: ValidationInfo) -> Any:
        """Unmask for validation (pydantic wraps secrets again), trim, split the tenant list."""
        name = info.field_name or ""
        if isinstance(value, Secret) or (name in rules.TRIMMED_FIELDS and isinstance(value, SecretStr)):
            value = revealed(value)
        if name in rules.TRIMMED_FIELDS and isinstance(value, str):
            value = value.strip()
        if name == "credential_kind":
            return normalized_kind(value) or value
        return rules.split_tenants(value) if name == "additionally_allowed_tenants" else value

    @field_validator("*")
    @classmethod
    def _check(cls, value: Any, info: ValidationInfo) -> Any:
        check = rules.CHECKS.get(info.field_name or "")
        raw = value.get_secret_value() if isinstance(value, SecretStr) else value
        if check is None or raw is None or rules.pending(raw):
            return value
        checked = check(raw)
        return value if isinstance(value, SecretStr) else checked

    @field_serializer("https_proxy", "token_cache_url", when_used="json-unless-none")
    def _show_url(self, value: ProxyUrl) -> str:
        return str(value)  # the URL with its password masked, like describe() shows it

    # -- what was loaded

    @property
    def env_prefix(self) -> str:
        """The variable prefix these settings were read with."""
        return self._state().env_prefix

    @property
    def origins(self) -> Mapping[str, Origin]:
        """Where each field's value came from."""
        return self._state().origins

    def describe(self) -> SettingsReport:
        """Rows (field, variable, source, location, masked value) and warnings; ``.as_text()``, ``.as_json()``."""
        return self._state().report

    # -- building credentials

    @property
    def kind(self) -> KindChoice:
        """The credential kind in use and what chose it (``.kind``, ``.chosen_by``, ``.reason()``)."""
        return self._state().choice

    def password_source(self) -> SecretSource:
        """The password as a ``SecretSource``: files and Key Vault references re-read when they change.

        :raises SettingsError: when no password is configured.
        """
        return self.secret_source("password")

    def secret_source(self, name: SecretField) -> SecretSource:
        """Secret setting ``name`` as a ``SecretSource``: files and Key Vault references re-read when they change.

        :raises SettingsError: when that setting is not set.
        """
        return required_secret_source(self, self._state(), name)

    def pipeline_options(self) -> PipelineOptions:
        """azure-core options from the transport settings (``connection_verify``, ``proxies``)."""
        return pipeline_options(self)

    def cache_persistence_options(self) -> TokenCachePersistenceOptions | None:
        """The persistent cache's options (files, or the shared Redis store), ``None`` for memory only."""
        return cache_options(self)

    def build_credential(self, **pipeline_overrides: Unpack[PipelineOptions]) -> ConfiguredCredential:
        """The credential of the configured kind (``settings_cred.ClientSecretCredential``, ...).

        :raises SettingsError: when a Key Vault reference was left unresolved, or the certificate or federated
            token file cannot be used.
        """
        return build(self, self._state(), credential_classes(), pipeline_overrides)

    def build_async_credential(self, **pipeline_overrides: Unpack[PipelineOptions]) -> AsyncConfiguredCredential:
        """The async credential of the configured kind (``settings_cred.aio.ClientSecretCredential``, ...)."""
        from ..aio._configured import CLASSES as ASYNC_CLASSES  # noqa: PLC0415 - aio loads only when used

        return build(self, self._state(), ASYNC_CLASSES, pipeline_overrides)

    def _state(self) -> Loaded:
        if self._loaded is None:  # built by model_construct: no sources were read
            self._loaded = loaded_without_sources(self)
        return self._loaded

    def __repr_args__(self) -> Iterator[tuple[str | None, Any]]:
        for name, value in super().__repr_args__():
            yield name, display(name, value, secret=False) if name == "username" and value is not None else value

    def __reduce_ex__(self, protocol: SupportsIndex) -> NoReturn:
        """Settings hold secrets (password, client secret, cache key): never pickled (load them again instead)."""
        raise TypeError(
            f"{type(self).__name__} cannot be pickled: it holds secrets (the password or client secret, the cache "
            "key); load the settings again in the other process (from the same variables and files)"
        )
