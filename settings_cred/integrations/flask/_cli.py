"""``flask settings-cred check``: each alias's provenance table (values masked), warnings and problems."""

from __future__ import annotations

import json
import os
from typing import Final

import click
from flask import current_app
from flask.cli import AppGroup

from ..._cli._migration import password_migration
from ..._cli._settings_commands import EXIT_INVALID, EXIT_OK, resolve_unavailable
from ..._settings import SettingsError, SettingsReport
from ..._settings._errors import render_problems
from ..._settings._keyvault import KEYVAULT_EXTRA
from ._config import SETTING, AliasConfig, configured_aliases

cli: Final = AppGroup("settings-cred", help="Inspect the credentials configured by SETTINGS_CRED.")


@cli.command("check")
@click.option("--resolve", is_flag=True, help=f"Also resolve Key Vault references (needs {KEYVAULT_EXTRA}).")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON report per alias.")
def check(*, resolve: bool, as_json: bool) -> None:
    """Validate every alias of SETTINGS_CRED as the sources are now; exit 0 if all are valid, 1 if not."""
    unavailable = resolve_unavailable() if resolve else None
    if unavailable:
        raise click.UsageError(unavailable)
    try:
        aliases = configured_aliases(current_app.config.get(SETTING))
    except SettingsError as error:
        click.echo(str(error), err=True)
        raise SystemExit(EXIT_INVALID) from None
    reports = {name: _report(config, resolve=resolve) for name, config in aliases.items()}
    if as_json:
        click.echo(json.dumps({name: report.as_dict() for name, report in reports.items()}, indent=2))
    else:
        for index, (name, report) in enumerate(reports.items()):
            if index:
                click.echo()
            _print(name, report)
    raise SystemExit(EXIT_OK if all(report.valid for report in reports.values()) else EXIT_INVALID)


def _report(config: AliasConfig, *, resolve: bool) -> SettingsReport:
    try:
        return config.locate_report(config.load(resolve_references=resolve).describe())
    except SettingsError as error:  # its report is already located by AliasConfig.load
        return error.report or SettingsReport(error.env_prefix, (), (), error.problems)


def _print(alias: str, report: SettingsReport) -> None:
    """Like ``settings-cred check``: the verdict, the table, the kind and warnings (for the password kind, the way
    off it) on stdout, the problems on stderr."""
    verdict = "valid" if report.valid else "INVALID"
    click.echo(f"settings-cred check: alias {alias!r} is {verdict} (prefix {report.env_prefix})")
    click.echo(report.as_text())
    advice = password_migration(report, os.environ)
    if advice is not None:
        click.echo("\n".join(advice.lines()))
    if not report.valid:
        click.echo(f"alias {alias!r}: {render_problems(report.problems, report.env_prefix)}", err=True)
