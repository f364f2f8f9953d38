"""How well a model's null odds separate each kind of synthetic unanswerable example.

    python training/probe_negatives.py RUN/model [--limit 1600]

Builds the training recipe's examples (`squad_data.build_examples`, every kind on) from the
start of dev-v1.1, which no model was trained on, scores each with the null odds of
`probe_short.py` (one window of at most 384 tokens; longer examples are skipped), and prints the
ROC AUC of each kind of negative against the answerable examples. Set beside `null_auc.py`'s AUC
on SQuAD 2.0's crowd-written negatives, it says whether the synthetic ones are easier.
"""

from __future__ import annotations

import argparse
import json
import re

import torch
from transformers import AutoModelForQuestionAnswering, AutoTokenizer

from evaluate import SQUAD
from null_auc import auc
from probe_short import null_odds
from squad_data import OPPOSITE, build_examples, negate

DEV = SQUAD / "dev-v1.1.public.json"


def kind(example: dict, source: dict, paragraphs: set[str]) -> str:
    """Which recipe made an unanswerable example, told from what it changed."""
    q, s = example["question"], source["question"]
    if q != s:
        if q == negate(s):
            return "negation"
        qw, sw = re.findall(r"[\w'-]+", q), re.findall(r"[\w'-]+", s)
        if len(qw) == len(sw) and all(a == b or a in OPPOSITE.get(b, ()) for a, b in zip(qw, sw)):
            return "antonym"
        return "entity swap"
    return "another paragraph" if example["context"] in paragraphs else "answer sentence removed"


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("model", help="Hugging Face QA model folder")
    p.add_argument("--limit", type=int, default=1600, help="examples to build, answerable and not")
    p.add_argument("--threads", type=int, default=2)
    args = p.parse_args()
    torch.set_num_threads(args.threads)
    squad = json.loads(DEV.read_text())
    paragraphs = {p["context"] for a in squad["data"] for p in a["paragraphs"]}
    examples = build_examples(squad, neg_ratio=0.33, seed=1, limit=args.limit, swap_ratio=0.3,
                              negation_ratio=0.3, antonym_ratio=0.4)
    tok = AutoTokenizer.from_pretrained(args.model)
    model = AutoModelForQuestionAnswering.from_pretrained(args.model).eval()
    odds: dict[str, list[float]] = {}
    source = examples[0]
    for ex in examples:
        if ex["answer_text"] is not None:
            source = ex
        if len(tok(ex["question"], ex["context"]).input_ids) > 384:
            continue
        name = "answerable" if ex["answer_text"] is not None else kind(ex, source, paragraphs)
        odds.setdefault(name, []).append(null_odds(model, tok, ex["question"], ex["context"])[0])
    answerable = odds.pop("answerable")
    print(f"{args.model}: {len(answerable)} answerable examples\n| negatives | examples | ROC AUC against the answerable |\n"
          "| --- | ---: | ---: |")
    for name, values in sorted(odds.items()):
        print(f"| {name} | {len(values)} | {auc(values, answerable):.3f} |")


if __name__ == "__main__":
    main()
