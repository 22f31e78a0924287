"""Concluding a load: problems into one ``SettingsError``, or warnings, audit events and the report."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from pydantic import ValidationError

from .. import audit
from . import _fields as rules
from ._errors import SettingsError
from ._load import Load, Loaded
from ._masked import SECRET_FIELDS
from ._origin import Origin
from ._report import SettingRow, SettingsReport, build_rows
from ._variables import VariableNames, suspect_typos

if TYPE_CHECKING:
    from pydantic import BaseModel


def reject(load: Load, error: ValidationError) -> SettingsError:
    """The :class:`SettingsError` for a load whose values failed validation (plus its source problems)."""
    fields = list(load.names.fields)
    for item in error.errors(include_url=False, include_input=False, include_context=False):
        name = str(item["loc"][0]) if item["loc"] else ""
        if load.has_problem(name):
            continue
        if item["type"] == "missing":
            load.missing(name)
        elif item["type"] == "extra_forbidden":
            fix = f"use one of: {', '.join(fields)}"
            load.problem(name, "is not a setting.", fix, origin=Origin("argument", name), setting=name)
        else:
            message = item["msg"].removeprefix("Value error, ")
            setting = load.origin(name).variable or load.setting(name)
            load.problem(name, f"{message[:1].upper()}{message[1:]}.", f"set {setting} to {rules.expected(name)}")
    defaults = {name: info.get_default() for name, info in load.fields.items() if not info.is_required()}
    return _failure(load, {**defaults, **load.raw})


def accept(load: Load, settings: BaseModel) -> Loaded:
    """Conclude a load whose values validated: raise for source problems, else warn, audit and report."""
    values = {name: getattr(settings, name) for name in type(settings).model_fields}
    if load.problems:
        raise _failure(load, values)
    _report_typos(load)
    _advise(load, values)
    pending = {n: load.raw[n] for n, o in load.origins.items() if o.kind == "keyvault" and n not in load.references}
    rows = _rows(load, {**values, **pending})
    report = SettingsReport(load.names.prefix, rows, tuple(load.warnings))
    _audit(load, report)
    return Loaded(
        load.names.prefix,
        dict(load.origins),
        dict(load.references),
        load.access,
        load.options.keyvault_refresh_interval,
        report,
    )


def loaded_without_sources(settings: BaseModel) -> Loaded:
    """Provenance for settings built by ``model_construct``: given fields are arguments, others defaults."""
    names = VariableNames("", type(settings).model_fields)
    origins = {name: Origin("argument", name) for name in settings.model_fields_set}
    values = {name: getattr(settings, name) for name in type(settings).model_fields}
    variables = {name: names.variable(name) for name in values}
    report = SettingsReport("", build_rows(variables, origins, values, SECRET_FIELDS))
    return Loaded("", origins, {}, None, 0.0, report)


def _failure(load: Load, values: dict[str, Any]) -> SettingsError:
    _report_typos(load)
    order = {name: index for index, name in enumerate(load.names.fields)}
    problems = sorted(load.problems, key=lambda p: order.get(p.field, -1))
    report = SettingsReport(load.names.prefix, _rows(load, values), tuple(load.warnings), tuple(problems))
    return SettingsError(problems, env_prefix=load.names.prefix, report=report)


def _rows(load: Load, values: dict[str, Any]) -> tuple[SettingRow, ...]:
    variables = {name: load.setting(name) for name in load.names.fields}
    return build_rows(variables, load.origins, values, SECRET_FIELDS)


def _report_typos(load: Load) -> None:
    for variable, suggestion in suspect_typos(load.names, load.seen):
        load.warn("typo", variable, f"{variable} is not a setting; did you mean {suggestion}?")
        prefix = load.names.prefix
        audit.emit(audit.SETTINGS_TYPO_SUSPECTED, env_prefix=prefix, variable=variable, suggestion=suggestion)


def _advise(load: Load, values: dict[str, Any]) -> None:
    setting = load.setting
    if values["token_cache_persistence"] and values["token_cache_allow_unencrypted"] and not values["token_cache_key"]:
        load.warn(
            "unencrypted_cache",
            setting("token_cache_allow_unencrypted"),
            f"the token cache may be stored in plain text where no keyring exists; set {setting('token_cache_key')} "
            "to encrypt it",
        )
    if not values["token_cache_persistence"]:
        for name in ("token_cache_name", "token_cache_allow_unencrypted", "token_cache_key", "token_cache_dir"):
            if name in load.origins:
                load.warn(
                    "ignored",
                    setting(name),
                    f"{setting(name)} has no effect unless {setting('token_cache_persistence')}=true",
                )
    if values["enable_support_logging"]:
        load.warn("support_logging", setting("enable_support_logging"), "msal will log personal data (PII)")
    username = values["username"]
    if isinstance(username, str) and "@" not in username:
        load.warn("not_a_upn", setting("username"), f"{setting('username')} is not a UPN (user@domain)")


def _audit(load: Load, report: SettingsReport) -> None:
    prefix = load.names.prefix
    for row in report.rows:
        audit.emit(audit.SETTINGS_VALUE_RESOLVED, env_prefix=prefix, field=row.field, source=row.source)
    audit.emit(
        audit.SETTINGS_LOADED,
        env_prefix=prefix,
        sources=sorted({row.source for row in report.rows}),
        field_count=len(report.rows),
        warning_count=len(report.warnings),
    )
