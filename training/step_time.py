"""Time one training step (trainer.train_step: forward, backward, clipping, AdamW) in fp32 and under bf16 autocast, on this machine.

    python training/step_time.py --model RUN/model [--batch 16] [--tokens 256] [--threads 2] [--steps 4]

Whether bf16 pays depends on the CPU: on one 2-core machine here it was 3x slower than fp32, on
another (AMD EPYC, AVX-512 BF16) 1.6x faster. Run this before choosing `--bf16` for a long run.
The two precisions alternate twice, so a machine that speeds up or slows down shows in the rows.
"""

from __future__ import annotations

import argparse
import inspect
import statistics
import time

import torch
from transformers import AutoModelForQuestionAnswering

from trainer import train_step


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--model", required=True, help="Hugging Face QA model folder")
    p.add_argument("--batch", type=int, default=16)
    p.add_argument("--tokens", type=int, default=256)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--steps", type=int, default=4, help="timed steps per row, after one untimed")
    args = p.parse_args()
    torch.set_num_threads(args.threads)
    model = AutoModelForQuestionAnswering.from_pretrained(args.model).train()
    opt = torch.optim.AdamW(model.parameters(), lr=0.0)  # lr 0: the step costs the same, weights stay put
    ids = torch.randint(1000, 5000, (args.batch, args.tokens))
    batch = {"input_ids": ids, "attention_mask": torch.ones_like(ids),
             "start_positions": torch.randint(0, args.tokens, (args.batch,)),
             "end_positions": torch.randint(0, args.tokens, (args.batch,))}
    if "token_type_ids" in inspect.signature(model.forward).parameters:  # BERT has them, MPNet not
        batch["token_type_ids"] = torch.zeros_like(ids)
    print(f"| precision | seconds / step ({args.batch} × {args.tokens}, {args.threads} threads) |\n| --- | --- |")
    for bf16 in (False, True, False, True):
        times = []
        for _ in range(args.steps + 1):
            t = time.perf_counter()
            train_step(model, opt, batch, lambda m, b: m(**b).loss, bf16)
            times.append(time.perf_counter() - t)
        timed = times[1:]
        print(f"| {'bf16 autocast' if bf16 else 'fp32'} | median {statistics.median(timed):.2f} "
              f"({min(timed):.2f} – {max(timed):.2f}) |", flush=True)


if __name__ == "__main__":
    main()
