"""Fine-tune a BERT-style encoder for extractive QA (SQuAD v1.1 + synthetic no-answer examples).

Resumable: the run directory holds `state.pt` (model, optimizer, scheduler, step, data order);
re-running the same command continues from the last checkpoint.

    python training/finetune.py --base PATH_TO_HF_MODEL --out RUN_DIR [--max-len 256] ...
"""

from __future__ import annotations

import argparse
from pathlib import Path

import torch
from transformers import AutoModelForQuestionAnswering, AutoTokenizer

from trainer import add_run_args, train, training_features


def parse_args() -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--base", required=True, help="folder of a Hugging Face model (config, weights, vocab)")
    add_run_args(p)
    return p.parse_args()


def main() -> None:
    args = parse_args()
    torch.set_num_threads(args.threads)
    tok = AutoTokenizer.from_pretrained(args.base)
    model = AutoModelForQuestionAnswering.from_pretrained(args.base)
    feats = training_features(tok, args)
    train(model, tok, feats, Path(args.out), epochs=args.epochs, batch=args.batch, lr=args.lr, seed=args.seed,
          save_every=args.save_every, loss_fn=lambda m, b: m(**b).loss, bf16=args.bf16, stop_at=args.stop_at)


if __name__ == "__main__":
    main()
