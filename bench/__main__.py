"""``python -m bench`` (or ``make bench``): run the scenarios and print the comparison; ``--help`` for options."""

from __future__ import annotations

import sys

from ._cli import main

if __name__ == "__main__":
    sys.exit(main())
