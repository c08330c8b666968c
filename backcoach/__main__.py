"""`python -m backcoach`: the same as the `backcoach` command."""

import sys

from backcoach.cli import main

sys.exit(main())
