"""``python -m perftarget``: the command line."""

from __future__ import annotations

import sys

from perftarget.cli import main

sys.exit(main())
