"""Masking of personal data for logs: pure functions."""

from __future__ import annotations


def mask_username(username: str) -> str:
    """Keep the first character and the domain of a UPN: ``alice@contoso.com`` -> ``a***@contoso.com``."""
    local, at, domain = username.partition("@")
    head = local[:1] if len(local) > 1 else ""
    return f"{head}***{at}{domain}"
