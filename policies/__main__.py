"""Command line: `python -m policies check | export | simulate | schema`."""

from policies.cli import main

raise SystemExit(main())
