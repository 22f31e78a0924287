"""``SettingsError``: every problem with a configuration, in one readable message without a secret."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Final, NamedTuple

if TYPE_CHECKING:
    from ._report import SettingsReport


MISSING: Final = "missing"
"""The message of a missing setting's problem; notes that explain it follow after "; "."""
NOT_SET: Final = "not set"
"""The source of a problem about a setting that no source had."""


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
    """The aggregated message: one bullet for the missing settings (with what explains them), then one per
    other problem; the header counts the bullets."""
    missing = [p for p in problems if p.missing]
    bullets = []
    if missing:
        names = ", ".join(p.setting for p in missing)
        notes = dict.fromkeys(note for p in missing for note in p.message.split("; ")[1:])
        explained = "".join(f" {note}" if note.endswith("?") else f" {note}." for note in notes)
        bullets.append(f"  - missing: {names}.{explained} Fix: {missing[0].fix}")
    bullets += [f"  - {p.setting} ({p.source}): {p.message} Fix: {p.fix}" for p in problems if not p.missing]
    prefix = f" (prefix {env_prefix})" if env_prefix else ""
    count = len(bullets)
    return "\n".join([f"Invalid credential settings{prefix}: {count} problem{'s' if count != 1 else ''}.", *bullets])
