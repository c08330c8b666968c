"""The frozen bundle's entry point: the same as the `backcoach` command."""

import sys

from backcoach.cli import main

if __name__ == "__main__":
    sys.exit(main())
