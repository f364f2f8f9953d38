"""How well a model's null odds separate each kind of synthetic unanswerable example.

    python training/probe_negatives.py RUN/model [--limit 1600] [--within-swap-ratio 0.3]
        [--number-swap-ratio 1] [--role-swap-ratio 1]

Builds the training recipe's examples (`squad_data.build_examples`, every kind on; swaps within
the paragraph, number swaps and reversed roles only with their ratios, so the earlier probes' set
stays the default) from the start of dev-v1.1, which no model was trained on, scores each with the null odds of
`probe_short.py` (one window of at most 384 tokens; longer examples are skipped), and prints the
ROC AUC of each kind of negative against the answerable examples. Set beside `null_auc.py`'s AUC
on SQuAD 2.0's crowd-written negatives, it says whether the synthetic ones are easier.
"""

from __future__ import annotations

import argparse
import json

import torch
from transformers import AutoModelForQuestionAnswering, AutoTokenizer

from evaluate import SQUAD
from null_auc import auc
from probe_short import null_odds
from squad_data import build_examples

DEV = SQUAD / "dev-v1.1.public.json"


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("model", help="Hugging Face QA model folder")
    p.add_argument("--limit", type=int, default=1600, help="examples to build, answerable and not")
    p.add_argument("--lookalike-ratio", type=float, default=0.3,
                   help="0 builds the example set of the probes before lookalike paragraphs existed")
    p.add_argument("--within-swap-ratio", type=float, default=0.0,
                   help="swaps within the paragraph; 0 (default) keeps the example set of the earlier probes")
    p.add_argument("--number-swap-ratio", type=float, default=0.0, help="number swaps within the paragraph")
    p.add_argument("--role-swap-ratio", type=float, default=0.0, help="two names of the question trading places")
    p.add_argument("--threads", type=int, default=2)
    args = p.parse_args()
    torch.set_num_threads(args.threads)
    squad = json.loads(DEV.read_text())
    examples = build_examples(squad, neg_ratio=0.33, seed=1, limit=args.limit, swap_ratio=0.3,
                              negation_ratio=0.3, antonym_ratio=0.4, lookalike_ratio=args.lookalike_ratio,
                              within_swap_ratio=args.within_swap_ratio, number_swap_ratio=args.number_swap_ratio,
                              role_swap_ratio=args.role_swap_ratio)
    tok = AutoTokenizer.from_pretrained(args.model)
    model = AutoModelForQuestionAnswering.from_pretrained(args.model).eval()
    odds: dict[str, list[float]] = {}
    for ex in examples:
        if len(tok(ex["question"], ex["context"]).input_ids) > 384:
            continue
        odds.setdefault(ex["kind"], []).append(null_odds(model, tok, ex["question"], ex["context"])[0])
    answerable = odds.pop("answerable")
    print(f"{args.model}: {len(answerable)} answerable examples\n| negatives | examples | ROC AUC against the answerable |\n"
          "| --- | ---: | ---: |")
    for name, values in sorted(odds.items()):
        print(f"| {name} | {len(values)} | {auc(values, answerable):.3f} |")


if __name__ == "__main__":
    main()
