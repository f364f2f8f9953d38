"""Learning curve of a run: mean training loss per block of steps, from its train.log, as Markdown.

    python training/curve.py RUN/train.log [--every 500]

When a run was resumed, the steps it repeated after its last checkpoint are counted once (the
later record wins), so the table follows the model that was kept.
"""

from __future__ import annotations

import argparse
import re
from pathlib import Path

STEP = re.compile(r"^step (\d+) loss ([\d.]+) lr ([\d.e+-]+)")


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("log", type=Path)
    p.add_argument("--every", type=int, default=500)
    args = p.parse_args()
    losses: dict[int, tuple[float, float]] = {}
    for line in args.log.read_text().splitlines():
        m = STEP.match(line)
        if m:
            losses[int(m.group(1))] = (float(m.group(2)), float(m.group(3)))
    if not losses:
        raise SystemExit(f"{args.log}: no 'step N loss X lr Y' lines")
    print("| steps | mean loss | learning rate at the end |\n| --- | ---: | ---: |")
    steps = sorted(losses)
    last = steps[-1]
    for lo in range(0, last, args.every):
        block = [losses[s] for s in steps if lo < s <= lo + args.every]
        if block:
            mean = sum(loss for loss, _ in block) / len(block)
            print(f"| {lo + 1}–{min(lo + args.every, last)} | {mean:.3f} | {block[-1][1]:.2e} |")


if __name__ == "__main__":
    main()
