"""Where an exported reader spends its time: ONNX Runtime's profiler, time per operator type.

    python training/profile_ops.py models/A/model.onnx [models/B/model.onnx ...] [--shapes 1x160,1x384,4x384]

For each model and input shape (batch x tokens) it runs `--runs` forward passes after one warm-up,
with the graph optimised as the product loads it, and prints one Markdown row: milliseconds per
run and each operator type's share. Used to see what int8 quantisation leaves in fp32.
"""

from __future__ import annotations

import argparse
import collections
import json
import os
import tempfile
from pathlib import Path

import numpy as np
import onnxruntime as ort


def profile(path: Path, batch: int, tokens: int, threads: int, runs: int) -> tuple[float, dict[str, float]]:
    opts = ort.SessionOptions()
    opts.intra_op_num_threads = threads
    opts.inter_op_num_threads = 1
    opts.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    opts.enable_profiling = True
    opts.profile_file_prefix = str(Path(tempfile.gettempdir()) / "qa-profile")
    sess = ort.InferenceSession(str(path), opts, providers=["CPUExecutionProvider"])
    rng = np.random.default_rng(0)
    ids = rng.integers(1000, 5000, (batch, tokens)).astype(np.int64)
    feed = {"input_ids": ids, "attention_mask": np.ones_like(ids), "token_type_ids": np.zeros_like(ids)}
    sess.run(None, feed)
    for _ in range(runs):
        sess.run(None, feed)
    trace = sess.end_profiling()
    events = json.loads(Path(trace).read_text())
    os.remove(trace)
    per_op: collections.Counter[str] = collections.Counter()
    for e in events:
        if e.get("cat") == "Node" and e["name"].endswith("_kernel_time"):
            per_op[e["args"]["op_name"]] += e["dur"]
    total = sum(per_op.values())
    # the warm-up run is in the trace too
    return total / (runs + 1) / 1000, {op: us / total for op, us in per_op.most_common()}


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("models", nargs="+", type=Path)
    p.add_argument("--shapes", default="1x160,1x384,4x384")
    p.add_argument("--threads", type=int, default=1)
    p.add_argument("--runs", type=int, default=5)
    args = p.parse_args()
    print("| model | batch × tokens | ms / run | time by operator |\n| --- | --- | ---: | --- |")
    for shape in args.shapes.split(","):
        b, t = (int(x) for x in shape.split("x"))
        for path in args.models:
            ms, shares = profile(path, b, t, args.threads, args.runs)
            ops = ", ".join(f"{op} {share:.0%}" for op, share in shares.items() if share >= 0.005)
            print(f"| {path.parent.name} | {b} × {t} | {ms:.1f} | {ops} |", flush=True)


if __name__ == "__main__":
    main()
