"""Write docs/errors.md and docs/audit.md from the code's tables (``python tools/gen_reference.py``).

tests/test_docs.py fails when the committed pages differ from what this renders.
"""

from __future__ import annotations

import logging
import sys
from pathlib import Path

from settings_cred import audit, errors

FIELD_MEANINGS = {
    "authority": "authority URL",
    "cache_hit": "whether the token came from a cache",
    "cae": "whether Continuous Access Evaluation was requested",
    "client_id": "application (client) id",
    "correlation_id": "Entra's correlation id, for the sign-in logs",
    "duration_ms": "time spent, in milliseconds",
    "endpoint": "`instance_discovery`, `openid_configuration` or `user_realm`",
    "env_prefix": "the settings' variable prefix, e.g. `AZURE_`",
    "error": "exception class name",
    "error_code": "AADSTS code, when Entra gave one",
    "expires_in_s": "seconds until the served token expires",
    "fallback": "what the credential does instead",
    "field": "settings field name",
    "field_count": "number of settings fields loaded",
    "grant": "`password`, `refresh_token`, `cache` (msal's) or `store` (shared by another process)",
    "instance_discovery": "whether instance discovery is enabled",
    "kind": "the credential kind: `password`, `client_secret`, `certificate`, `workload_identity`, `managed_identity`",
    "location": "the cache directory or the store's URL (password masked)",
    "lockout_guard": "whether the lockout guard answered without a request",
    "persistent_cache": "whether a persistent token cache is configured",
    "outage_s": "how long the store was unavailable, in seconds",
    "reason": "why an entry could not be read, or the store failed (a kind, never content)",
    "requested_tenant_id": "the tenant that was refused",
    "retry_in_s": "seconds until the next refresh attempt",
    "scopes": "requested scopes, sorted",
    "source": "source kind: `argument`, `env`, `file`, `env_file`, `secrets_dir`, `keyvault` or `default`",
    "sources": "source kinds that contributed values",
    "suggestion": "the setting the variable probably meant",
    "tenant_id": "tenant of the request (configured tenant for credential events)",
    "username": "the UPN, masked: first character and domain (`a***@contoso.com`)",
    "variable": "the environment variable's name",
    "warning_count": "number of configuration warnings",
    "written_back": "entries kept during the outage and written to the store on its return",
}

ERRORS_HEADER = """# Error reference

Every exception is an `azure.core.exceptions.ClientAuthenticationError`. Errors answered by Entra ID are
`EntraAuthenticationError` subclasses with `error_code`, `oauth_error`, `description`, `correlation_id`,
`trace_id`, `timestamp`, `status_code` and `from_lockout_guard`. The message has three parts: the code
with Entra's one-line summary, `What to do: ...`, and the request ids to give to an administrator.
It never contains a password, a token or a response body.

```text
AADSTS50126: Error validating credentials due to invalid username or password.
What to do: Correct the password (AZURE_PASSWORD or its secret file / Key Vault reference) ...
correlation_id=..., trace_id=..., timestamp=2026-11-29 05:00:00Z
```

## Entra ID error codes

| Code | Exception | What it means | What to do |
| --- | --- | --- | --- |
"""

ERRORS_FOOTER = """
Answers without one of these codes map by their OAuth error: `interaction_required` to
`InteractionRequiredError`, `consent_required` to `ConsentRequiredError`, `temporarily_unavailable`,
HTTP 429 and HTTP 5xx to `EntraUnavailableError`, anything else to `EntraAuthenticationError`.

## Other exceptions

| Exception | When |
| --- | --- |
| `EntraUnavailableError` | {unavailable} |
| `TenantNotAllowedError` | `get_token(tenant_id=...)` names a tenant outside `additionally_allowed_tenants`. |
| `CredentialUnavailableError` | The credential could not try (for example `authenticate()` without scopes on an \
unknown cloud). It subclasses azure-identity's, so a `ChainedTokenCredential` moves on. |
| `AuthenticationRequiredError` | Interaction is required; subclasses azure-identity's. |
| `ValueError` | Invalid arguments (no scopes, http authority, invalid tenant id, unknown authority without \
`disable_instance_discovery`). |
| `TypeError` | An unknown keyword argument. |

The class tree is in the docstring of `settings_cred.errors`.
"""

AUDIT_HEADER = """# Audit events

settings_cred emits one structured event per thing that happens to a credential, through
**structlog**, on logger `settings_cred.audit`. Names are stable API (renaming one is a breaking
change) and defined once, as constants in `settings_cred.audit`; each event has a fixed allow-list of
fields (`settings_cred.audit.EVENT_FIELDS`), so a password or token cannot be added by mistake.
Usernames are masked.

## Where events go

- If your application configured structlog, events go through your configuration.
- Otherwise they go to the standard-library logger `settings_cred.audit` as one JSON object per line
  (so plain `logging` setups get them at INFO and above).
- settings_cred never calls `structlog.configure()` on import. For JSON lines on stderr, opt in:

```python
import logging
from settings_cred import configure_json_logging

configure_json_logging(level=logging.INFO)
```

In tests, `settings_cred.audit.capture_audit()` collects the events emitted inside a `with` block,
whatever the logging configuration (like `structlog.testing.capture_logs()`):

```python
from settings_cred import audit

with audit.capture_audit() as events:
    audit.emit(audit.LOCKOUT_RELEASED, client_id="c", tenant_id="t", username="a***@x.com", authority="a")
assert events[0]["event"] == "lockout.released"
```

## Events

| Event | Level | When | Fields |
| --- | --- | --- | --- |
"""


def render_errors() -> str:
    """docs/errors.md."""
    rows = []
    for cls in dict.fromkeys(errors.ERROR_TABLE.values()):
        codes = ", ".join(f"AADSTS{code}" for code in cls.codes)
        rows.append(f"| {codes} | `{cls.__name__}` | {cls.summary} | {cls.remediation} |\n")
    unavailable = f"{errors.EntraUnavailableError.summary} {errors.EntraUnavailableError.remediation}"
    return ERRORS_HEADER + "".join(rows) + ERRORS_FOOTER.format(unavailable=unavailable)


def render_audit() -> str:
    """docs/audit.md."""
    rows = []
    for name, fields in audit.EVENT_FIELDS.items():
        level = logging.getLevelName(audit.EVENT_LEVELS[name]).lower()
        listed = ", ".join(f"`{field}`" for field in sorted(fields))
        rows.append(f"| `{name}` | {level} | {audit.EVENT_DESCRIPTIONS[name]} | {listed} |\n")
    used = sorted(set().union(*audit.EVENT_FIELDS.values()))
    meanings = "".join(f"| `{field}` | {FIELD_MEANINGS[field]} |\n" for field in used)
    return AUDIT_HEADER + "".join(rows) + "\n## Fields\n\n| Field | Meaning |\n| --- | --- |\n" + meanings


PAGES = {"errors.md": render_errors, "audit.md": render_audit}


def main() -> int:
    """Write every generated page."""
    docs = Path(__file__).resolve().parent.parent / "docs"
    for name, render in PAGES.items():
        (docs / name).write_text(render())
    return 0


if __name__ == "__main__":
    sys.exit(main())
