"""``python -m kernel_advisor`` behaves exactly like the ``kernel-advisor`` command."""

from kernel_advisor.cli import main

if __name__ == "__main__":  # not when a worker process of `fleet` imports the main module
    raise SystemExit(main())
