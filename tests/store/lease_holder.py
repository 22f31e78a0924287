"""A process that takes a lease and holds it until it is killed (run by the store's tests).

Usage: python lease_holder.py KIND LOCATION KEY. Prints the lease's fence, or "busy", then sleeps.
"""

from __future__ import annotations

import sys
import time

from tests.store.conftest import make_backend


def main() -> int:
    kind, location, key = sys.argv[1:4]
    lease = make_backend(kind, location).try_lease(key, 2.0)
    print(lease.fence if lease is not None else "busy", flush=True)
    while True:
        time.sleep(1)


if __name__ == "__main__":
    sys.exit(main())
