"""PyInstaller entry point: the frozen app behaves exactly like the ``kernel-advisor`` command."""
import multiprocessing
import os

if __name__ == "__main__" and os.environ.get("KERNEL_ADVISOR_VCPU_CHILD"):
    # kernel_advisor.vcpu.run_bounded() runs the vCPU in a child: here, this executable
    from kernel_advisor import vcpu

    vcpu.main(os.environ["KERNEL_ADVISOR_VCPU_CHILD"])
    raise SystemExit(0)

from kernel_advisor.cli import main

if __name__ == "__main__":
    multiprocessing.freeze_support()  # `fleet`'s worker processes start through this executable
    raise SystemExit(main())
