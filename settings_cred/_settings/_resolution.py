"""Key Vault references in the merged values: detected, parsed, and resolved (or left pending)."""

from __future__ import annotations

import os
from collections.abc import Collection, Mapping
from typing import Any, Final
from urllib.parse import urlsplit

from ._bootstrap import default_bootstrap_credential
from ._keyvault import KeyVaultFetchError, VaultAccess, fetch_all
from ._load import Load
from ._masked import Proxies, revealed
from ._origin import Origin
from ._references import (
    FORMS,
    PUBLIC_VAULT_SUFFIX,
    VAULT_SUFFIXES,
    KeyVaultReference,
    ReferenceSyntaxError,
    looks_like_reference,
    parse_reference,
)

_PASSTHROUGH: Final = " App Service passes a reference through as plain text when it cannot resolve it."
_APP_SERVICE_HINT: Final = (
    " App Service passed the reference through unresolved too: check that the app's managed identity may Get "
    "the secret and that the setting shows 'Key Vault Reference' with a green status in the portal."
)


def resolve_references(
    load: Load, data: Mapping[str, Any], text_fields: Collection[str], location_fields: Collection[str] = ()
) -> dict[str, Any]:
    """``data`` with every reference replaced by its secret; failures become the load's problems.

    When the load does not resolve references, they stay in text fields (and are dropped elsewhere)
    and each is reported as a warning. A reference in a location field (a file's path, a directory)
    is a problem, and is never read: a vault gives a value, not a file.
    """
    values = dict(data)
    found = _parse_all(load, values, location_fields)
    if not found:
        return values
    if not load.options.resolve_references:
        for name, reference in found.items():
            setting = load.origin(name).variable or load.setting(name)
            load.warn(
                "unresolved_reference",
                setting,
                f"{setting} is a Key Vault reference ({reference.secret_uri}), resolved at start-up with the "
                "bootstrap credential; it was not resolved now",
            )
            if name not in text_fields:
                del values[name]
        return values
    try:
        load.access = _access(load, values)
    except KeyVaultFetchError as failure:
        for name, reference in found.items():
            _fail(load, values, name, reference, failure)
        return values
    for name, result in fetch_all(load.access, found).items():
        if isinstance(result, KeyVaultFetchError):
            _fail(load, values, name, found[name], result)
        else:
            values[name] = result  # a Secret: a value read from a vault stays masked until validated
            load.references[name] = found[name]
    return values


def _parse_all(load: Load, values: dict[str, Any], location_fields: Collection[str]) -> dict[str, KeyVaultReference]:
    suffix = VAULT_SUFFIXES.get(_host(values.get("authority_host")), PUBLIC_VAULT_SUFFIX)
    found: dict[str, KeyVaultReference] = {}
    for name, value in list(values.items()):
        if not looks_like_reference(revealed(value)):
            continue
        if name in location_fields:
            load.problem(
                name,
                "is a Key Vault reference, but it must name a file or directory: a vault gives a value, not a file.",
                "mount the secret as a file (the Key Vault CSI driver on AKS, a certificate loaded by App Service) "
                f"and set {load.setting(name)} to its path",
            )
            del values[name]
            continue
        carrier = load.origin(name)
        try:
            reference = parse_reference(revealed(value), vault_suffix=suffix)
        except ReferenceSyntaxError as exc:
            reason = str(exc)  # names what is wrong, never the text
        else:
            found[name] = reference
            load.reroute(name, Origin("keyvault", reference.secret_uri, carrier.variable, str(carrier)))
            continue
        hint = _APP_SERVICE_HINT if _on_app_service() else _PASSTHROUGH
        load.problem(name, f"looks like a Key Vault reference but is malformed: {reason}.{hint}", f"write {FORMS}")
        del values[name]
    return found


def _fail(
    load: Load, values: dict[str, Any], name: str, reference: KeyVaultReference, failure: KeyVaultFetchError
) -> None:
    hint = _APP_SERVICE_HINT if _on_app_service() else ""
    message = f"the Key Vault reference {reference.secret_uri} cannot be resolved: {failure.reason}.{hint}"
    load.problem(name, message, failure.fix)
    values.pop(name, None)


def _access(load: Load, values: Mapping[str, Any]) -> VaultAccess:
    options: dict[str, Any] = {}
    ca_bundle, proxy = revealed(values.get("ca_bundle")), revealed(values.get("https_proxy"))
    if isinstance(ca_bundle, (str, os.PathLike)) and not looks_like_reference(ca_bundle):
        options["connection_verify"] = os.fspath(ca_bundle)
    if isinstance(proxy, str) and not looks_like_reference(proxy):
        options["proxies"] = Proxies(https=proxy)
    options.update(load.options.keyvault_options or {})
    given = load.options.keyvault_credential
    credential = given or default_bootstrap_credential()
    return VaultAccess(credential, options, load.options.keyvault_timeout, default_chain=given is None)


def _host(authority: object) -> str:
    if not isinstance(authority, str):
        return "login.microsoftonline.com"
    text = authority if "//" in authority else "https://" + authority
    try:
        return (urlsplit(text).hostname or "").lower()
    except ValueError:
        return ""


def _on_app_service() -> bool:
    return "WEBSITE_SITE_NAME" in os.environ
