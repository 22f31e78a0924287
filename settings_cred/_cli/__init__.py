"""The ``settings-cred`` command line (also ``python -m settings_cred``)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from .._version import __version__
from . import _settings_commands as _cli_settings

EXIT_OK = 0
EXIT_INVALID = 1
EXIT_USAGE = 2


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="settings-cred",
        description="Configuration-driven Microsoft Entra ID credential (client secret, certificate, workload or "
        "managed identity, username and password).",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    commands.required = True

    commands.add_parser("demo", help="run a short tour against the local Entra ID emulator")

    from ..emulator import _cli as emulator_cli  # noqa: PLC0415 - keep `--help` fast

    emulator = commands.add_parser("emulator", help="run the local Entra ID emulator until interrupted")
    emulator_cli.add_arguments(emulator)
    _cli_settings.add_commands(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point; returns the process exit code."""
    args = _parser().parse_args(argv)
    if args.command == "demo":
        from ._demo import run_demo  # noqa: PLC0415

        return run_demo(sys.stdout)
    if args.command in _cli_settings.COMMANDS:
        return _cli_settings.run(args)
    from ..emulator import _cli as emulator_cli  # noqa: PLC0415

    return emulator_cli.run(args)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
