"""The training loop shared by finetune.py and distill.py: batching, schedule, checkpoints, resume.

A run folder keeps `state.pt` (model, optimiser, schedule, step, data order) every `save_every`
steps and the Hugging Face model in `model/`; calling `train` again with the same folder resumes.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import time
from collections.abc import Callable
from pathlib import Path

import torch

from squad_data import build_examples, featurize


# build_examples' ratios of extra example kinds, each per training question; 0 (the default) builds the
# examples of the runs made before the kind existed, so their checkpoints still resume.
EXAMPLE_RATIOS = {
    "swap_ratio": "entity-swap unanswerable examples",
    "short_ratio": "answerable examples cut to the answer's sentence",
    "negation_ratio": "questions negated into unanswerable ones",
    "antonym_ratio": "questions with a word swapped for its opposite, unanswerable",
    "lookalike_ratio": "questions paired with the most similar other paragraph that lacks the answer",
    "within_swap_ratio": "questions with a name swapped for another name of the same paragraph",
    "number_swap_ratio": "questions with a number swapped for another of the same paragraph",
    "role_swap_ratio": "questions with two of their names trading places",
}


def add_run_args(p: argparse.ArgumentParser) -> None:
    """Data, schedule and checkpoint options, the same for every training script."""
    p.add_argument("--out", required=True, help="run folder: checkpoints, log, final model")
    p.add_argument("--train", default="../shared/data/squad/train-v1.1.json")
    p.add_argument("--max-len", type=int, default=256)
    p.add_argument("--stride", type=int, default=128)
    p.add_argument("--batch", type=int, default=16)
    p.add_argument("--lr", type=float, default=1e-4)
    p.add_argument("--epochs", type=float, default=1.0)
    p.add_argument("--limit", type=int, default=0, help="use only the first N training questions (0: all)")
    p.add_argument("--neg-ratio", type=float, default=0.33, help="synthetic unanswerable examples per question")
    for dest, what in EXAMPLE_RATIOS.items():
        p.add_argument(f"--{dest.replace('_', '-')}", type=float, default=0.0, help=f"{what}, per question (squad_data.py)")
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--save-every", type=int, default=100)
    p.add_argument("--stop-at", type=int, default=0, help="end at this step with a checkpoint (0: run to the end)")
    p.add_argument("--seed", type=int, default=13)
    p.add_argument("--bf16", action="store_true",
                   help="bf16 autocast: 1.6x faster than fp32 on one CPU here, 3x slower on another; "
                        "time both with step_time.py first")


def training_features(tok, args: argparse.Namespace) -> dict[str, list]:
    examples = build_examples(json.loads(Path(args.train).read_text()), args.neg_ratio, args.seed, args.limit,
                              **{dest: getattr(args, dest) for dest in EXAMPLE_RATIOS})
    return featurize(tok, examples, args.max_len, args.stride)


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
        rows = torch.full((len(idx), width), pad, dtype=torch.long)
        for r, i in enumerate(idx):
            rows[r, :len(feats[k][i])] = torch.from_numpy(feats[k][i])
        out[k] = rows
    for k in ("start_positions", "end_positions"):
        out[k] = torch.tensor([feats[k][i] for i in idx])
    return out


def train_step(model: torch.nn.Module, opt: torch.optim.Optimizer, inputs: dict[str, torch.Tensor],
               loss_fn: Callable[[torch.nn.Module, dict[str, torch.Tensor]], torch.Tensor],
               bf16: bool) -> torch.Tensor:
    """One optimiser step: loss (under bf16 autocast if asked), backward, clipping at 1.0, update."""
    with torch.autocast("cpu", dtype=torch.bfloat16, enabled=bf16):
        loss = loss_fn(model, inputs)
    loss.backward()
    torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
    opt.step()
    opt.zero_grad()
    return loss


def train(model: torch.nn.Module, tok, feats: dict[str, list], out: Path, *, epochs: float, batch: int,
          lr: float, seed: int, save_every: int,
          loss_fn: Callable[[torch.nn.Module, dict[str, torch.Tensor]], torch.Tensor],
          bf16: bool = False, stop_at: int = 0) -> None:
    """AdamW, 10% linear warm-up then linear decay, gradient clipping at 1.0 (`train_step`).

    `stop_at` ends the run early at that step, with a checkpoint: resuming with another `epochs`
    then changes the rest of the schedule, which is how a run is shortened reproducibly.
    """
    out.mkdir(parents=True, exist_ok=True)
    log = open(out / "train.log", "a", buffering=1)
    n = len(feats["input_ids"])
    total_steps = int(n * epochs / batch)

    opt = torch.optim.AdamW(model.parameters(), lr=lr, weight_decay=0.01)
    warm = max(1, int(0.1 * total_steps))
    sched = torch.optim.lr_scheduler.LambdaLR(
        opt, lambda s: min((s + 1) / warm, max(0.0, (total_steps - s) / max(1, total_steps - warm)))
    )
    order = bucketed_order(feats["input_ids"], batch, seed)
    step = 0
    state_path = out / "state.pt"
    if state_path.exists():
        state = torch.load(state_path, weights_only=False)
        model.load_state_dict(state["model"])
        opt.load_state_dict(state["opt"])
        sched.load_state_dict(state["sched"])
        step, order = state["step"], state["order"]
        print(f"resumed at step {step}/{total_steps}", file=log)
    print(f"features {n} steps {total_steps}", file=log)

    end = min(total_steps, stop_at) if stop_at else total_steps
    model.train()
    t0 = time.time()
    while step < end:
        idx = [order[(step * batch + i) % n] for i in range(batch)]
        loss = train_step(model, opt, pad_batch(feats, idx, tok.pad_token_id), loss_fn, bf16)
        sched.step()
        step += 1
        if step % 10 == 0:
            print(f"step {step} loss {loss.item():.4f} lr {sched.get_last_lr()[0]:.2e} "
                  f"s/step {(time.time() - t0) / 10:.2f}", file=log)
            t0 = time.time()
        if step % save_every == 0 or step == end:
            tmp = out / "state.pt.tmp"
            torch.save({"model": model.state_dict(), "opt": opt.state_dict(), "sched": sched.state_dict(),
                        "step": step, "order": order}, tmp)
            os.replace(tmp, state_path)
            model.save_pretrained(out / "model")
            tok.save_pretrained(out / "model")
    print("done" if step == total_steps else f"stopped at step {step}", file=log)
