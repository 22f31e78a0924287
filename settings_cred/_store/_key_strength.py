"""Whether a configured cache key is long and random enough: pure functions, no cryptography loaded."""

from __future__ import annotations

import math
from collections import Counter
from typing import Final, Literal

from ._errors import WeakKeyError

MIN_KEY_CHARACTERS: Final = 32
MIN_KEY_BITS: Final = 80
"""Entropy a key must show by its character statistics (a random 32-digit hex key shows about 110 bits)."""
KEY_ADVICE: Final = 'generate one with: python -c "import secrets; print(secrets.token_urlsafe(32))"'


def check_key_strength(value: str) -> None:
    """Raise :class:`WeakKeyError` unless `value` is long and varied enough to be a random key."""
    weakness = key_weakness(value)
    if weakness == "short":
        raise WeakKeyError(
            f"the token cache key (AZURE_TOKEN_CACHE_KEY) must have at least {MIN_KEY_CHARACTERS} characters of "
            f"randomness; {KEY_ADVICE}"
        )
    if weakness == "predictable":
        raise WeakKeyError(
            "the token cache key (AZURE_TOKEN_CACHE_KEY) is too predictable (repeated or few distinct characters); "
            f"{KEY_ADVICE}"
        )


def key_weakness(value: str) -> Literal["short", "predictable"] | None:
    """Why `value` is no random key: ``short`` (fewer than :data:`MIN_KEY_CHARACTERS` characters) or
    ``predictable`` (too little entropy, or a repeated unit); ``None`` when it will do."""
    if len(value) < MIN_KEY_CHARACTERS:
        return "short"
    if estimated_bits(value) < MIN_KEY_BITS or is_periodic(value):
        return "predictable"
    return None


def estimated_bits(value: str) -> float:
    """A conservative entropy estimate: the text's per-character Shannon entropy times its length."""
    counts = Counter(value)
    total = len(value)
    per_character = -sum(n / total * math.log2(n / total) for n in counts.values())
    return per_character * total


def is_periodic(value: str) -> bool:
    """Whether `value` repeats a shorter unit ("password" four times, "ab" sixteen times)."""
    return value in (value + value)[1:-1]
