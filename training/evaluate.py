"""Evaluate an exported reader with the project's own `qa eval squad` and record the figures.

    python training/evaluate.py models/NAME [--threads 1] [--limit N]

Runs SQuAD 1.1 dev, then SQuAD 2.0 dev to tune the no-answer threshold (best_f1_thresh on null
odds), writes the threshold into the manifest, runs SQuAD 2.0 dev again at that threshold, and
stores EM/F1, HasAns/NoAns F1, the threshold and questions per second in manifest.json.
Reports go to training/runs/eval/NAME-{v1.1,v2.0}/ (git-ignored). Needs `npm run build` first.
"""

from __future__ import annotations

import argparse
import json
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SQUAD = ROOT.parent / "shared" / "data" / "squad"


def qa_eval(model_dir: Path, data: Path, out: Path, threads: int, limit: int) -> dict:
    cmd = ["node", str(ROOT / "dist" / "cli" / "main.js"), "eval", "squad", str(data),
           "--models-dir", str(model_dir.parent), "--reader", model_dir.name,
           "--threads", str(threads), "--out", str(out), "--json"]
    if limit:
        cmd += ["--limit", str(limit)]
    res = subprocess.run(cmd, check=True, capture_output=True, text=True, cwd=ROOT)
    return json.loads(res.stdout)


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("model", type=Path)
    p.add_argument("--threads", type=int, default=1)
    p.add_argument("--limit", type=int, default=0, help="first N questions only (smoke runs)")
    args = p.parse_args()
    model = args.model.resolve()
    mpath = model / "manifest.json"
    runs = ROOT / "training" / "runs" / "eval"

    v11 = qa_eval(model, SQUAD / "dev-v1.1.public.json", runs / f"{model.name}-v1.1", args.threads, args.limit)
    print("v1.1", json.dumps(v11))
    tune = qa_eval(model, SQUAD / "dev-v2.0.public.json", runs / f"{model.name}-v2.0-tune", args.threads, args.limit)
    manifest = json.loads(mpath.read_text())
    threshold = round(tune["best_f1_thresh"], 4)
    manifest.setdefault("metrics", {})["squad20"] = {"em": 0, "f1": 0, "hasAnsF1": 0, "noAnsF1": 0,
                                                     "threshold": threshold}
    mpath.write_text(json.dumps(manifest, indent=2) + "\n")
    v20 = qa_eval(model, SQUAD / "dev-v2.0.public.json", runs / f"{model.name}-v2.0", args.threads, args.limit)
    print("v2.0", json.dumps(v20))

    r2 = lambda x: round(x, 2)  # noqa: E731
    manifest["metrics"] = {
        "squad11": {"em": r2(v11["exact"]), "f1": r2(v11["f1"])},
        "squad20": {"em": r2(v20["exact"]), "f1": r2(v20["f1"]), "hasAnsF1": r2(v20.get("HasAns_f1", 0)),
                    "noAnsF1": r2(v20.get("NoAns_f1", 0)), "threshold": threshold},
    }
    manifest["speed"] = {"questionsPerSecond": round(v11["questions_per_second"], 1), "threads": args.threads}
    if args.limit:
        manifest["metricsNote"] = f"smoke run on the first {args.limit} questions only"
    mpath.write_text(json.dumps(manifest, indent=2) + "\n")
    print(json.dumps(manifest["metrics"]), manifest["speed"])


if __name__ == "__main__":
    main()
