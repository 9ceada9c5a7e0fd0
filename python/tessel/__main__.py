"""``python -m tessel compile ...``: ahead-of-time compilation (tessel.aot)."""

from __future__ import annotations

import sys


def main() -> int:
    if len(sys.argv) < 2 or sys.argv[1] != "compile":
        print("usage: python -m tessel compile FILE.py:KERNEL --signature ... [--target ...] "
              "[-o DIR]\n(python -m tessel compile --help for details)", file=sys.stderr)
        return 2
    from .aot import main as aot_main

    return aot_main(sys.argv[2:])


if __name__ == "__main__":
    sys.exit(main())
