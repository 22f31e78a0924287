"""``python -m settings_cred``: the same as the ``settings-cred`` command."""

import sys

from ._cli import main

sys.exit(main())
