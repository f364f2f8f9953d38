"""Average the weights of fine-tuned readers of one lineage into one model (a uniform "model soup").

    python training/soup.py RUN_A/model RUN_B/model [...] --out training/runs/soup

Stages fine-tuned from the same weights lie in one basin of the loss, so their mean is a model
too, often better than either (Wortsman et al. 2022, "Model soups"), at no training cost: the
mean of the teacher's stages 8 and 9 gained +0.37 SQuAD 2.0 F1 over stage 8, where stage 9 alone
gained nothing (not shipped: `docs/BENCHMARKS.md`).
Floating-point tensors are averaged, integer buffers (position ids) taken from the first model;
the tokenizer files are copied from the first. The output folder is a model `export.py --model`
and `finetune.py --base` take.
"""

from __future__ import annotations

import argparse
import shutil
from pathlib import Path

import torch
from transformers import AutoModelForQuestionAnswering

TOKENIZER_FILES = ("vocab.txt", "tokenizer.json", "tokenizer_config.json", "special_tokens_map.json")


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("models", nargs="+", type=Path, help="Hugging Face QA model folders of one architecture")
    p.add_argument("--out", required=True, type=Path)
    args = p.parse_args()
    if len(args.models) < 2:
        p.error("a soup needs two models at least")
    first = AutoModelForQuestionAnswering.from_pretrained(args.models[0])
    states = [first.state_dict()] + [AutoModelForQuestionAnswering.from_pretrained(m).state_dict()
                                     for m in args.models[1:]]
    for m, s in zip(args.models[1:], states[1:]):
        if s.keys() != states[0].keys() or any(s[k].shape != v.shape for k, v in states[0].items()):
            p.error(f"{m} does not have the architecture of {args.models[0]}")
    mean = {k: torch.stack([s[k] for s in states]).mean(0) if v.is_floating_point() else v
            for k, v in states[0].items()}
    first.load_state_dict(mean)
    first.save_pretrained(args.out)
    for name in TOKENIZER_FILES:
        if (args.models[0] / name).exists():
            shutil.copy(args.models[0] / name, args.out / name)
    print(f"wrote {args.out}: the mean of {len(states)} models")


if __name__ == "__main__":
    main()
