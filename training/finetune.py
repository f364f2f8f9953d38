"""Fine-tune a BERT-style encoder for extractive QA (SQuAD v1.1 + synthetic no-answer examples).

Resumable: the run directory holds `state.pt` (model, optimizer, scheduler, step, data order);
re-running the same command continues from the last checkpoint.

    python training/finetune.py --base PATH_TO_HF_MODEL --out RUN_DIR [--max-len 256] ...
"""

from __future__ import annotations

import argparse
import json
import os
import random
import time
from pathlib import Path

import torch
from transformers import AutoModelForQuestionAnswering, AutoTokenizer

from squad_data import build_examples, featurize


def parse_args() -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--base", required=True, help="folder of a Hugging Face model (config, weights, vocab)")
    p.add_argument("--out", required=True, help="run folder: checkpoints, log, final model")
    p.add_argument("--train", default="../shared/data/squad/train-v1.1.json")
    p.add_argument("--max-len", type=int, default=256)
    p.add_argument("--stride", type=int, default=128)
    p.add_argument("--batch", type=int, default=16)
    p.add_argument("--lr", type=float, default=1e-4)
    p.add_argument("--epochs", type=float, default=1.0)
    p.add_argument("--limit", type=int, default=0, help="use only the first N training questions (0: all)")
    p.add_argument("--neg-ratio", type=float, default=0.33, help="synthetic unanswerable examples per question")
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--save-every", type=int, default=100)
    p.add_argument("--seed", type=int, default=13)
    p.add_argument("--bf16", action="store_true",
                   help="bf16 autocast; measured 3x SLOWER than fp32 on this CPU, so off by default")
    return p.parse_args()


def bucketed_order(input_ids: list[list[int]], batch: int, seed: int) -> list[int]:
    """Shuffled, then sorted by length within chunks of 50 batches: little padding, still random."""
    order = list(range(len(input_ids)))
    rng = random.Random(seed)
    rng.shuffle(order)
    chunk = 50 * batch
    out: list[int] = []
    for c in range(0, len(order), chunk):
        part = sorted(order[c:c + chunk], key=lambda i: len(input_ids[i]))
        batches = [part[b:b + batch] for b in range(0, len(part), batch)]
        rng.shuffle(batches)
        out.extend(i for b in batches for i in b)
    return out


def pad_batch(feats: dict[str, list], idx: list[int], pad_id: int) -> dict[str, torch.Tensor]:
    width = max(len(feats["input_ids"][i]) for i in idx)
    out = {}
    for k, pad in (("input_ids", pad_id), ("attention_mask", 0), ("token_type_ids", 0)):
        out[k] = torch.tensor([feats[k][i] + [pad] * (width - len(feats[k][i])) for i in idx])
    for k in ("start_positions", "end_positions"):
        out[k] = torch.tensor([feats[k][i] for i in idx])
    return out


def main() -> None:
    args = parse_args()
    torch.set_num_threads(args.threads)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    log = open(out / "train.log", "a", buffering=1)

    tok = AutoTokenizer.from_pretrained(args.base)
    model = AutoModelForQuestionAnswering.from_pretrained(args.base)

    examples = build_examples(json.loads(Path(args.train).read_text()), args.neg_ratio, args.seed, args.limit)
    feats = featurize(tok, examples, args.max_len, args.stride)
    n = len(feats["input_ids"])
    total_steps = int(n * args.epochs / args.batch)

    opt = torch.optim.AdamW(model.parameters(), lr=args.lr, weight_decay=0.01)
    warm = max(1, int(0.1 * total_steps))
    sched = torch.optim.lr_scheduler.LambdaLR(
        opt, lambda s: min((s + 1) / warm, max(0.0, (total_steps - s) / max(1, total_steps - warm)))
    )
    order = bucketed_order(feats["input_ids"], args.batch, args.seed)
    step = 0
    state_path = out / "state.pt"
    if state_path.exists():
        state = torch.load(state_path, weights_only=False)
        model.load_state_dict(state["model"])
        opt.load_state_dict(state["opt"])
        sched.load_state_dict(state["sched"])
        step, order = state["step"], state["order"]
        print(f"resumed at step {step}/{total_steps}", file=log)
    print(f"features {n} steps {total_steps} max_len {args.max_len}", file=log)

    model.train()
    t0 = time.time()
    while step < total_steps:
        idx = [order[(step * args.batch + i) % n] for i in range(args.batch)]
        batch = pad_batch(feats, idx, tok.pad_token_id)
        with torch.autocast("cpu", dtype=torch.bfloat16, enabled=args.bf16):
            outp = model(**batch)
        outp.loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        sched.step()
        opt.zero_grad()
        step += 1
        if step % 10 == 0:
            print(f"step {step} loss {outp.loss.item():.4f} lr {sched.get_last_lr()[0]:.2e} "
                  f"s/step {(time.time() - t0) / 10:.2f}", file=log)
            t0 = time.time()
        if step % args.save_every == 0 or step == total_steps:
            tmp = out / "state.pt.tmp"
            torch.save({"model": model.state_dict(), "opt": opt.state_dict(), "sched": sched.state_dict(),
                        "step": step, "order": order}, tmp)
            os.replace(tmp, state_path)
            model.save_pretrained(out / "model")
            tok.save_pretrained(out / "model")
    print("done", file=log)


if __name__ == "__main__":
    main()
