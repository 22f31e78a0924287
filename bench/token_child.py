"""One process that gets one token: ``python -m bench.token_child CONTENDER SCOPE``.

With ``BENCH_CACHE_DIR`` set the credential has a persistent cache (settings_cred's files in that
directory; azure-identity's under ``$HOME``). Leaves JSON for the parent: seconds to import the library's
credential (``from <library> import UsernamePasswordCredential``), then from constructing the credential
to its first token (whatever the library defers to first use is in it), and how many modules that
loaded. Never a token.
"""

from __future__ import annotations

import os
import sys
import time
import warnings

from ._children import report_result
from ._contenders import PersistentCache, Route, credential, load


def main(argv: list[str]) -> int:
    """Build a credential of the contender in `argv` and get one token for the scope in `argv`."""
    contender, scope = argv
    warnings.simplefilter("ignore")
    route = Route.from_environ()
    directory = os.environ.get("BENCH_CACHE_DIR")
    cache = PersistentCache(directory=directory) if directory else None
    started = time.perf_counter()
    load(contender)
    imported = time.perf_counter()
    modules = len(sys.modules)
    held = credential(contender, route, cache=cache)
    held.get_token(scope)
    finished = time.perf_counter()
    deferred = len(sys.modules) - modules
    held.close()
    report_result(
        {
            "import_s": imported - started,
            "first_token_s": finished - imported,
            "modules_loaded_by_first_token": deferred,
        }
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
