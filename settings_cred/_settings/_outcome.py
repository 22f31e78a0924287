"""Concluding a load: problems into one ``SettingsError``, or warnings, audit events and the report."""

from __future__ import annotations

import difflib
import os
from typing import TYPE_CHECKING, Any

from pydantic import ValidationError

from .. import audit
from . import _fields as rules
from ._errors import MISSING, SettingsError
from ._kind import KindChoice, KindConflict, choose_kind, normalized_kind
from ._load import Load, Loaded
from ._masked import SECRET_FIELDS, revealed
from ._origin import Origin
from ._report import SettingRow, SettingsReport, build_rows
from ._variables import VariableNames, suspect_typos

if TYPE_CHECKING:
    from pydantic import BaseModel


def reject(load: Load, error: ValidationError) -> SettingsError:
    """The :class:`SettingsError` for a load whose values failed validation (plus its source problems)."""
    for item in error.errors(include_url=False, include_input=False, include_context=False):
        name = str(item["loc"][0]) if item["loc"] else ""
        if load.has_problem(name):
            continue
        if item["type"] == "missing":
            load.missing(name)
        elif item["type"] == "extra_forbidden":
            _unknown_keyword(load, name)
        else:
            message = item["msg"].removeprefix("Value error, ")
            setting = load.origin(name).variable or load.setting(name)
            load.problem(name, f"{message[:1].upper()}{message[1:]}.", f"set {setting} to {rules.expected(name)}")
    defaults = {name: info.get_default() for name, info in load.fields.items() if not info.is_required()}
    return _failure(load, {**defaults, **load.raw})


def _unknown_keyword(load: Load, name: str) -> None:
    """A keyword that is no setting (nor, for ``credential_from_env``, a pipeline option): the closest one."""
    fields = list(load.names.fields)
    close = difflib.get_close_matches(name, [*fields, *sorted(load.options.also_accepted)], n=1)
    fix = f"did you mean {close[0]}?" if close else f"use one of: {', '.join(fields)}"
    message = "is neither a setting nor a pipeline option." if load.options.also_accepted else "is not a setting."
    load.problem(name, message, fix, origin=Origin("argument", name), setting=name)


def accept(load: Load, settings: BaseModel) -> Loaded:
    """Conclude a load whose values validated: raise for source problems, else warn, audit and report."""
    values = {name: getattr(settings, name) for name in type(settings).model_fields}
    if load.problems:
        raise _failure(load, values)
    _report_typos(load)
    _advise(load, values)
    pending = {n: load.raw[n] for n, o in load.origins.items() if o.kind == "keyvault" and n not in load.references}
    rows = _rows(load, {**values, **pending})
    choice = load.choice or KindChoice("password")  # set whenever the load has no problem
    report = SettingsReport(load.names.prefix, rows, tuple(load.warnings), kind=choice)
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
    choice = _construct_choice({name: f"argument {name}" for name in origins if revealed(values[name])}, values)
    report = SettingsReport("", build_rows(variables, origins, values, SECRET_FIELDS), kind=choice)
    return Loaded("", origins, {}, None, 0.0, report)


def _construct_choice(present: dict[str, str], values: dict[str, Any]) -> KindChoice:
    """The kind of settings built by ``model_construct``: as loaded ones would say, the first kind of a conflict."""
    kind = normalized_kind(values.get("credential_kind"))
    explicit = (kind, present["credential_kind"]) if kind is not None and "credential_kind" in present else None
    choice = choose_kind(present, explicit, os.environ)
    return KindChoice(*choice.kinds[0]) if isinstance(choice, KindConflict) else choice


def _failure(load: Load, values: dict[str, Any]) -> SettingsError:
    _report_typos(load)
    _explain_missing(load)
    order = {name: index for index, name in enumerate(load.names.fields)}
    problems = sorted(load.problems, key=lambda p: order.get(p.field, -1))
    report = SettingsReport(load.names.prefix, _rows(load, values), tuple(load.warnings), tuple(problems), load.choice)
    return SettingsError(problems, env_prefix=load.names.prefix, report=report)


def _rows(load: Load, values: dict[str, Any]) -> tuple[SettingRow, ...]:
    variables = {name: load.setting(name) for name in load.names.fields}
    return build_rows(variables, load.origins, values, SECRET_FIELDS)


def _explain_missing(load: Load) -> None:
    """Each missing setting's problem names the near-miss variable that was probably meant for it and the
    ``.env`` lines python-dotenv skipped; a single missing setting gets a fix that reads "set it"."""
    indexes = [index for index, problem in enumerate(load.problems) if problem.missing]
    names = load.names
    near = [(typo, suggestion, names.field_of(suggestion)) for typo, suggestion in suspect_typos(names, load.seen)]
    lines = [(line, _meant(names, line.name)) for line in load.unparsed]
    unattributed = [line.describe() for line, field in lines if field is None and not _elsewhere(names, line.name)]
    for position, index in enumerate(indexes):
        problem = load.problems[index]
        notes = [
            f"{typo} is set {load.seen[typo]}: did you mean {hint}?" for typo, hint, f in near if f == problem.field
        ]
        notes += [line.describe() for line, field in lines if field == problem.field]
        notes += unattributed if position == 0 else []
        if position == len(indexes) - 1 and load.choice is not None:
            notes.append(_kind_note(load.choice, load.setting("credential_kind"), len(indexes)))
        fix = load.missing_fix(problem.field if len(indexes) == 1 else None)
        load.problems[index] = problem._replace(message="; ".join([MISSING, *notes]), fix=fix)


def _kind_note(choice: KindChoice, selector: str, count: int) -> str:
    """``The client_secret kind needs them (chosen by AZURE_CLIENT_SECRET)``; the default also says how to choose."""
    needs = "it" if count == 1 else "them"
    how = "" if choice.chosen_by else f", nor {selector}"
    return f"The {choice.kind} kind needs {needs} ({choice.reason()}{how})"


def _meant(names: VariableNames, name: str | None) -> str | None:
    """The field an unparsed ``.env`` statement setting ``name`` was meant for (its near-miss too)."""
    if name is None:
        return None
    typo = suspect_typos(names, [name])
    return names.field_of(typo[0][1] if typo else name)


def _elsewhere(names: VariableNames, name: str | None) -> bool:
    """Whether an unparsed statement sets a variable that is clearly not about these settings."""
    return name is not None and not names.ours(name)


def _report_typos(load: Load) -> None:
    for variable, suggestion in suspect_typos(load.names, load.seen):
        load.warn("typo", variable, f"{variable} is not a setting; did you mean {suggestion}?")
        prefix = load.names.prefix
        audit.emit(audit.SETTINGS_TYPO_SUSPECTED, env_prefix=prefix, variable=variable, suggestion=suggestion)


def _advise(load: Load, values: dict[str, Any]) -> None:
    setting = load.setting
    shared = values["token_cache_url"] is not None
    persistent = values["token_cache_persistence"] or shared
    if persistent and values["token_cache_allow_unencrypted"] and not values["token_cache_key"]:
        load.warn(
            "unencrypted_cache",
            setting("token_cache_allow_unencrypted"),
            f"the token cache may be stored in plain text where no keyring exists; set {setting('token_cache_key')} "
            "to encrypt it",
        )
    if not persistent:
        for name in ("token_cache_name", "token_cache_allow_unencrypted", "token_cache_key", "token_cache_dir"):
            if name in load.origins:
                load.warn(
                    "ignored",
                    setting(name),
                    f"{setting(name)} has no effect unless {setting('token_cache_persistence')}=true or "
                    f"{setting('token_cache_url')} is set",
                )
    elif shared and "token_cache_dir" in load.origins:
        load.warn(
            "ignored",
            setting("token_cache_dir"),
            f"{setting('token_cache_dir')} has no effect: {setting('token_cache_url')} names the shared store",
        )
    if values["enable_support_logging"] and (load.choice is None or load.choice.kind == "password"):
        load.warn("support_logging", setting("enable_support_logging"), "msal will log personal data (PII)")
    username = values["username"]
    if isinstance(username, str) and "@" not in username and load.choice is not None and load.choice.kind == "password":
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
