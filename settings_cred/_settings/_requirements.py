"""Rules across settings, checked on the merged values: the credential kind, what it needs, the store's key.

They run before the values are validated one by one, so their problems join every other problem of the
load in one ``SettingsError``. A setting that already has a problem (an unreadable file, a failed Key
Vault reference) counts as present: it is not reported missing as well, and it still says which kind
the configuration meant.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .._constants import META_TENANTS
from .._store._key_strength import KEY_ADVICE
from ._errors import NOT_SET, Problem
from ._kind import (
    APPLICATION_KINDS,
    REQUIRED,
    KindChoice,
    KindConflict,
    choose_kind,
    ignored_fields,
    normalized_kind,
)
from ._load import Load
from ._masked import revealed
from ._references import looks_like_reference


def check_requirements(load: Load, values: Mapping[str, Any], environ: Mapping[str, str]) -> None:
    """Record in ``load`` the kind ``values`` describe (``load.choice``) and every problem of the rules."""
    fields = load.names.fields
    present = {name: _name(load, name) for name in fields if _given(values.get(name)) or load.has_problem(name)}
    _check_store(load, present)
    explicit = None
    if "credential_kind" in present:
        kind = normalized_kind(revealed(values.get("credential_kind")))
        if kind is None:
            return  # an unknown kind: validation reports it
        explicit = (kind, present["credential_kind"])
    choice = choose_kind(present, explicit, environ)
    if isinstance(choice, KindConflict):
        _conflict(load, choice)
        return
    for name in REQUIRED[choice.kind]:
        if name not in present:
            load.missing(name)
    if choice.kind in APPLICATION_KINDS:
        _check_tenant(load, choice, values.get("tenant_id"))
    for name in ignored_fields(choice.kind, present):
        load.warn(
            "ignored",
            present[name],
            f"{present[name]} has no effect: the credential kind is {choice.kind} ({choice.reason()})",
        )
    load.choice = choice


def _given(value: object) -> bool:
    """A source had a value (sources drop empty variables; an empty argument is there, and invalid)."""
    return value is not None


def _name(load: Load, name: str) -> str:
    """How the user set field ``name``: its variable as spelt, ``argument client_secret``, or the failed one."""
    origin = load.origins.get(name)
    if origin is not None:
        return f"argument {origin.location}" if origin.kind == "argument" else origin.variable or load.setting(name)
    return next((p.setting for p in load.problems if p.field == name), load.setting(name))


def _conflict(load: Load, conflict: KindConflict) -> None:
    setting = load.setting("credential_kind")
    kinds = [kind for kind, _ in conflict.kinds]
    choices = " or ".join(f"{setting}={kind}" for kind in kinds)
    message = (
        f"variables of {len(kinds)} credential kinds are set: {conflict.describe()}; {setting} does not say "
        f"which to use (azure-identity's EnvironmentCredential would silently take {kinds[0]})."
    )
    fix = f"set {choices}, or remove the variables of the kind you no longer use"
    load.problems.append(Problem("credential_kind", setting, NOT_SET, message, fix))


def _check_tenant(load: Load, choice: KindChoice, value: object) -> None:
    tenant = revealed(value)
    if not isinstance(tenant, str) or looks_like_reference(tenant) or load.has_problem("tenant_id"):
        return
    if tenant.strip().lower() in META_TENANTS:
        setting = load.setting("tenant_id")
        load.problem(
            "tenant_id",
            f"is {tenant.strip()}, but the {choice.kind} kind signs the application in to its own tenant "
            f"({choice.reason()}).",
            f"set {setting} to the tenant GUID or verified domain of the app registration",
        )


def _check_store(load: Load, present: Mapping[str, str]) -> None:
    """A shared store never holds a readable token: its URL needs the key."""
    if "token_cache_url" in present and "token_cache_key" not in present:
        key = load.setting("token_cache_key")
        message = (
            f"{present['token_cache_url']} names a shared store (Redis), which needs {key}: a shared store never "
            "holds a readable token."
        )
        fix = f"give every process that shares the store the same {key}; {KEY_ADVICE}"
        load.problems.append(Problem("token_cache_key", key, NOT_SET, message, fix))
