"""``python -m perftarget.rules --write-docs DIR``: regenerate the rule pages."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from perftarget.rules import write_docs


def main(argv: Sequence[str] | None = None) -> int:
    """Write the rule pages into the directory given with ``--write-docs``; return the exit code."""
    parser = argparse.ArgumentParser(prog="python -m perftarget.rules", description=__doc__)
    parser.add_argument("--write-docs", metavar="DIR", required=True, help="directory for index.md and PTxxx.md")
    args = parser.parse_args(argv)
    written = write_docs(args.write_docs)
    sys.stdout.write(f"wrote {len(written)} pages to {args.write_docs}\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
