"""PyInstaller entry point: the frozen app behaves exactly like the ``kernel-advisor`` command."""
import multiprocessing

from kernel_advisor.cli import main

if __name__ == "__main__":
    multiprocessing.freeze_support()  # `fleet`'s worker processes start through this executable
    raise SystemExit(main())
