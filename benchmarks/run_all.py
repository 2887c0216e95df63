"""Run every benchmark in this folder, one after the other (`make bench`).

Each `benchmarks/*.py` except this file runs with the same Python, its output printed as it
comes. The exit status is non-zero when any benchmark failed.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main() -> int:
    scripts = sorted(p for p in HERE.glob("*.py") if p.name != Path(__file__).name)
    failed = []
    for script in scripts:
        print(f"\n######## {script.name}", flush=True)
        started = time.monotonic()
        code = subprocess.run(
            [sys.executable, str(script)], cwd=HERE.parent, check=False
        ).returncode
        print(f"######## {script.name}: exit {code} after {time.monotonic() - started:.0f} s")
        if code != 0:
            failed.append(script.name)
    if failed:
        print(f"\nfailed: {', '.join(failed)}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
