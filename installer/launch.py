"""PyInstaller entry point: the frozen app behaves exactly like the ``kernel-advisor`` command."""
from advisor.cli import main

raise SystemExit(main())
