"""One process that gets one token: ``python -m bench.token_child CONTENDER SCOPE``.

With ``BENCH_CACHE_DIR`` set the credential has a persistent cache (settings_cred's files in that
directory; azure-identity's under ``$HOME``). Leaves JSON for the parent: seconds from constructing the
credential to its first token and to build it (imports excluded). Never a token.
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
    load(contender)
    started = time.perf_counter()
    held = credential(contender, route, cache=cache)
    built = time.perf_counter()
    held.get_token(scope)
    finished = time.perf_counter()
    held.close()
    report_result({"first_token_s": finished - started, "construct_s": built - started})
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
