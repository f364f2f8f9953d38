"""Speed and F1 of our reader against Hugging Face's question-answering pipeline, same weights.

    python training/compare_hf.py --hf RUN/model --reader NAME [--limit 1000] [--threads 2]

Both answer the same first N questions of SQuAD 1.1 dev one at a time with the same thread
count: the HF pipeline (PyTorch, CPU) from the fine-tuned checkpoint, and `qa eval squad
--reader NAME` from its ONNX export. Both prediction files are scored by the project's own
evaluator (`qa eval squad --predictions`). Prints one Markdown table row per system.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import tempfile
import time
from pathlib import Path

import torch
from transformers import pipeline

ROOT = Path(__file__).resolve().parents[1]
DEV = ROOT.parent / "shared" / "data" / "squad" / "dev-v1.1.public.json"
CLI = ["node", str(ROOT / "dist" / "cli" / "main.js")]


def questions(limit: int) -> list[dict]:
    out = []
    for art in json.loads(DEV.read_text())["data"]:
        for para in art["paragraphs"]:
            for qa in para["qas"]:
                out.append({"id": qa["id"], "question": qa["question"], "context": para["context"]})
    return out[:limit]


def score(preds: dict, tmp: Path, name: str) -> dict:
    path = tmp / f"{name}.json"
    path.write_text(json.dumps(preds))
    # The v1.1 evaluator counts unanswered questions as wrong: score only the questions asked.
    sub = json.loads(DEV.read_text())
    keep = set(preds)
    for art in sub["data"]:
        for para in art["paragraphs"]:
            para["qas"] = [q for q in para["qas"] if q["id"] in keep]
    data = tmp / "dev-subset.json"
    data.write_text(json.dumps(sub))
    res = subprocess.run(CLI + ["eval", "squad", str(data), "--predictions", str(path), "--json"],
                         check=True, capture_output=True, text=True, cwd=ROOT)
    return json.loads(res.stdout)


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--hf", required=True, type=Path, help="the fine-tuned Hugging Face checkpoint")
    p.add_argument("--reader", required=True, help="our ONNX export of the same weights")
    p.add_argument("--models-dir", default=str(ROOT / "models"))
    p.add_argument("--limit", type=int, default=1000)
    p.add_argument("--threads", type=int, default=2)
    args = p.parse_args()
    torch.set_num_threads(args.threads)
    qs = questions(args.limit)

    qa = pipeline("question-answering", model=str(args.hf), tokenizer=str(args.hf), device="cpu")
    for q in qs[:5]:
        qa(question=q["question"], context=q["context"])
    t0 = time.perf_counter()
    hf_preds = {q["id"]: qa(question=q["question"], context=q["context"], max_seq_len=384, doc_stride=128,
                            max_answer_len=30)["answer"] for q in qs}
    hf_secs = time.perf_counter() - t0

    with tempfile.TemporaryDirectory() as tmp_s:
        tmp = Path(tmp_s)
        hf = score(hf_preds, tmp, "hf")
        ours_run = subprocess.run(CLI + ["eval", "squad", str(DEV), "--models-dir", args.models_dir,
                                         "--reader", args.reader, "--threads", str(args.threads),
                                         "--limit", str(args.limit), "--out", str(tmp / "ours"), "--json"],
                                  check=True, capture_output=True, text=True, cwd=ROOT)
        ours = json.loads(ours_run.stdout)
        ours_scored = score(json.loads((tmp / "ours" / "predictions.json").read_text()), tmp, "ours")

    print(f"same {len(qs)} questions of {DEV.name}, {args.threads} threads, one question at a time")
    print("| system | questions/s | EM | F1 |")
    print("| --- | --- | --- | --- |")
    print(f"| HF pipeline, PyTorch fp32 ({args.hf}) | {len(qs) / hf_secs:.1f} | {hf['exact']:.2f} | {hf['f1']:.2f} |")
    print(f"| qa reader, ONNX Runtime ({args.reader}) | {ours['questions_per_second']:.1f} | "
          f"{ours_scored['exact']:.2f} | {ours_scored['f1']:.2f} |")


if __name__ == "__main__":
    main()
