"""`python benchmarks/batch_probe.py ARGS`: `spur batch ARGS` in this process, exactly as the `spur` command runs it
(`cli.entry`), then one line of JSON on standard output: the exit code, this process's peak RSS and its largest
worker's, in MB. `benchmarks/bench.py` starts it for every batch it measures; only the CLI is imported here.

This process's peak is VmHWM in /proc/self/status (the peak of the address space since the program started), not
getrusage's ru_maxrss: Python's subprocess starts a child with vfork, and at exec Linux folds the peak RSS of the
address space the child leaves, which is its parent's, into the child's ru_maxrss. So RUSAGE_SELF here said
bench.py's own peak whenever that was larger (bench.py grows as it generates and reads 30,000 files: 54 MB before the
first batch, 91 MB after the floor of 10,000) and hid the batch's own figure. The workers are forked, without exec:
RUSAGE_CHILDREN's ru_maxrss is the largest worker's own peak, counting the pages it shares with this process.
"""

from __future__ import annotations

import json
import resource
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


def peak_mb() -> float:
    """This process's own peak RSS in MB (VmHWM; ru_maxrss where there is no /proc, with the caveat above)."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main(args: list[str]) -> None:
    from cli import entry

    sys.argv = ["spur", "batch", *args]
    try:
        entry()
        code = 0
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else 1
    workers = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(json.dumps({"code": code, "parent": peak_mb(), "workers": workers}))


if __name__ == "__main__":
    main(sys.argv[1:])
