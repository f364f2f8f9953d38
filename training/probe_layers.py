"""Which teacher layers make the best starting student: losses of untrained students, no training.

    python training/probe_layers.py --teacher RUN/model [--choices 0,2,4 1,3,5 0,3,5 ...] [--windows 320]

For each choice of layers it builds the student as distill.py does and prints, over the windows
of the last training questions, the mean gold cross-entropy and the mean KL to the teacher (T = 2).
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import torch
from transformers import AutoModelForQuestionAnswering, AutoTokenizer

from distill import make_student, soft_loss
from squad_data import build_examples, featurize
from trainer import pad_batch

INPUTS = ("input_ids", "attention_mask", "token_type_ids")


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--teacher", required=True)
    p.add_argument("--choices", nargs="+",
                   default=["0,1,2,3,4,5", "0,2,4", "1,3,5", "0,2,5", "0,3,5", "0,1,5", "3,4,5"])
    p.add_argument("--windows", type=int, default=320)
    p.add_argument("--train", default="../shared/data/squad/train-v1.1.json")
    args = p.parse_args()
    torch.set_num_threads(1)
    tok = AutoTokenizer.from_pretrained(args.teacher)
    teacher = AutoModelForQuestionAnswering.from_pretrained(args.teacher).eval()
    examples = build_examples(json.loads(Path(args.train).read_text()), 0.33, 99)[-600:]
    feats = featurize(tok, examples, 256, 128)
    n = min(args.windows, len(feats["input_ids"]))
    batches = [pad_batch(feats, list(range(i, min(i + 16, n))), tok.pad_token_id) for i in range(0, n, 16)]
    print("| layers | gold CE | KL to the teacher |\n| --- | ---: | ---: |")
    for choice in args.choices:
        student = make_student(teacher, [int(x) for x in choice.split(",")]).eval()
        ce = kl = 0.0
        with torch.no_grad():
            for b in batches:
                out = student(**b)
                ref = teacher(**{k: b[k] for k in INPUTS})
                ce += out.loss.item()
                kl += (soft_loss(out.start_logits, ref.start_logits, b["attention_mask"], 2)
                       + soft_loss(out.end_logits, ref.end_logits, b["attention_mask"], 2)).item() / 2
        print(f"| {choice} | {ce / len(batches):.3f} | {kl / len(batches):.3f} |", flush=True)


if __name__ == "__main__":
    main()
