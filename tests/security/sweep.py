"""Render a failure the way Sentry, Django's DEBUG page, rich and ``pytest -l`` do, and look for secrets.

``render`` walks the exception and every exception chained to it (``__cause__`` and ``__context__``,
suppressed or not, and exceptions kept in attributes such as azure-core's ``inner_exception``),
formatting each with ``capture_locals=True``: every frame local's ``repr`` is part
of the text. ``leaks`` names each secret found in that text.
"""

from __future__ import annotations

import traceback
from collections.abc import Callable, Iterable, Iterator


def chain(exc: BaseException) -> Iterator[BaseException]:
    """The exception and everything chained to it, each once, however it was chained."""
    seen: set[int] = set()
    pending: list[BaseException] = [exc]
    while pending:
        current = pending.pop()
        if id(current) in seen:
            continue
        seen.add(id(current))
        yield current
        pending.extend(e for e in (current.__cause__, current.__context__) if e is not None)
        pending.extend(getattr(current, "exceptions", ()))
        pending.extend(value for value in vars(current).values() if isinstance(value, BaseException))


def render(exc: BaseException) -> str:
    """Every exception of the chain, with every frame's locals, its message, ``repr`` and ``args``."""
    parts: list[str] = []
    for current in chain(exc):
        rendered = traceback.TracebackException.from_exception(current, capture_locals=True, compact=False)
        parts.extend(rendered.format(chain=False))
        parts.extend([str(current), repr(current), repr(current.args), repr(vars(current))])
        saved = getattr(current, "exc_traceback", None)
        if saved is not None:
            parts.extend(traceback.StackSummary.extract(traceback.walk_tb(saved), capture_locals=True).format())
    return "\n".join(parts)


def leaks(exc: BaseException, secrets: Iterable[str]) -> list[str]:
    """The secrets (shown masked) that the rendered failure contains; empty when it is clean."""
    text = render(exc)
    return [f"{secret[:3]}…({len(secret)} chars)" for secret in secrets if secret and secret in text]


def failure_of(call: Callable[[], object]) -> BaseException:
    """The exception `call` raises, caught in this frame: its traceback then holds no frame of the test's own,
    whose locals would list the canaries themselves."""
    try:
        call()
    except Exception as exc:  # noqa: BLE001 - any failure is what the caller inspects
        return exc
    raise AssertionError("the call did not fail")
