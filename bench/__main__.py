"""``python -m bench`` (or ``make bench``): run every scenario and print the comparison table."""

from __future__ import annotations

import sys

from .scenarios import run_all

if __name__ == "__main__":
    sys.exit(run_all(sys.stdout))
