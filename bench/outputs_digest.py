"""Digests of every shipped scenario's tables, to hold a refactor to "byte-identical".

Run before and after a change that must not move any figure:

  python bench/outputs_digest.py > /tmp/before.txt
  ... change ...
  python bench/outputs_digest.py > /tmp/after.txt && diff /tmp/before.txt /tmp/after.txt

Each shipped scenario is run through the command line (``-n 2``, its own seed,
no charts) into a temporary folder, and the SHA-256 of summary.json and each CSV
is printed. The package version is masked in summary.json, so a version bump alone
shows no difference. Prints digests, asserts nothing.
"""

from __future__ import annotations

import argparse
import hashlib
import re
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VERSION = re.compile(rb'"(version|package_version)": "[^"]*"')


def digest(path: Path) -> str:
    data = path.read_bytes()
    if path.name == "summary.json":
        data = VERSION.sub(b'"version": "*"', data)
    return hashlib.sha256(data).hexdigest()[:16]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("scenarios", nargs="*", type=Path)
    parser.add_argument("-n", type=int, default=2)
    args = parser.parse_args()
    scenarios = args.scenarios or sorted((ROOT / "scenarios").glob("*.yaml"))
    with tempfile.TemporaryDirectory() as tmp:
        for scenario in scenarios:
            out = Path(tmp) / scenario.stem
            command = [sys.executable, "-m", "sim", "run", str(scenario), "-o", str(out)]
            command += ["-n", str(args.n), "--no-charts", "-q", "--workers", "1"]
            done = subprocess.run(command, capture_output=True, text=True, cwd=ROOT)
            if done.returncode:
                print(f"{scenario.name}: exit {done.returncode}: {done.stderr.strip()[-300:]}")
                continue
            for path in sorted(out.glob("*.json")) + sorted(out.glob("*.csv")):
                print(f"{scenario.name} {path.name} {digest(path)}", flush=True)


if __name__ == "__main__":
    main()
