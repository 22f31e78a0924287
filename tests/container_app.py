"""A minimal containerised app (run by test_container.py): configuration from the environment and a
secrets directory only. Each line on stdin names a scope; each answer is one JSON line without the token."""

from __future__ import annotations

import hashlib
import json
import os
import sys
import warnings

from settings_cred import EntraAuthenticationError, credential_from_env


def main() -> int:
    warnings.simplefilter("ignore")
    credential = credential_from_env(env_file=None, secrets_dir=os.environ["APP_SECRETS_DIR"])
    print(json.dumps({"ready": True}), flush=True)
    for line in sys.stdin:
        try:
            token = credential.get_token(line.strip())
            answer: dict[str, object] = {"token": hashlib.sha256(token.token.encode()).hexdigest()[:12]}
        except EntraAuthenticationError as exc:
            answer = {"error": type(exc).__name__, "guarded": exc.from_lockout_guard}
        print(json.dumps(answer), flush=True)
    credential.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
