"""``SettingsError``: every problem with a configuration, in one readable message without a secret."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from ._report import SettingsReport


class Problem(NamedTuple):
    """One bad setting: which, from where, what is wrong and what to do (never its value)."""

    field: str
    setting: str
    source: str
    message: str
    fix: str
    missing: bool = False


class SettingsWarning(NamedTuple):
    """Something that works but is probably not what was meant (a typo, plain-text cache, ...)."""

    kind: str
    setting: str
    message: str


class SettingsError(ValueError):
    """The configuration is invalid; :attr:`problems` lists each bad setting, :attr:`report` what was found."""

    def __init__(
        self, problems: Sequence[Problem], *, env_prefix: str = "", report: SettingsReport | None = None
    ) -> None:
        self.problems = tuple(problems)
        self.env_prefix = env_prefix
        self.report = report
        super().__init__(render_problems(self.problems, env_prefix))

    def __reduce__(self) -> tuple[object, ...]:
        return (_rebuild, (self.problems, self.env_prefix))


def _rebuild(problems: tuple[Problem, ...], env_prefix: str) -> SettingsError:
    return SettingsError(problems, env_prefix=env_prefix)


def render_problems(problems: Sequence[Problem], env_prefix: str) -> str:
    """The aggregated message: missing settings together first, then one line per other problem."""
    prefix = f" (prefix {env_prefix})" if env_prefix else ""
    count = len(problems)
    lines = [f"Invalid credential settings{prefix}: {count} problem{'s' if count != 1 else ''}."]
    missing = [p for p in problems if p.missing]
    if missing:
        names = ", ".join(p.setting for p in missing)
        lines.append(f"  - missing: {names}. Fix: {missing[0].fix}")
    lines += [f"  - {p.setting} ({p.source}): {p.message} Fix: {p.fix}" for p in problems if not p.missing]
    return "\n".join(lines)
