"""Distil a shallower reader from a fine-tuned teacher (Hinton et al., 2015), or train it without one.

The student is the teacher's architecture with fewer layers, initialised from the teacher's
embeddings, the chosen layers and its span head (DistilBERT's recipe). For each window the loss is

    alpha * T^2 * KL(softmax(teacher/T) || softmax(student/T)) + (1 - alpha) * CE(student, gold)

averaged over the start and end distributions; padding is masked out of both softmaxes.
`--hidden-weight β` adds β times the MSE between each student layer's output and the teacher
layer it was copied from (TinyBERT's hidden-state loss; same width, so no projection). With
`--alpha 0` and no hidden loss no teacher forward pass runs: that is the no-teacher baseline the
gain is measured against. Resumable like finetune.py (same data, windows and run-folder layout).

    python training/distill.py --teacher RUN/model --out RUN_DIR [--layers 0,3,5] [--alpha 0.5] [--temperature 2]
                               [--init STUDENT_RUN/model]
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import torch
import torch.nn.functional as F
from transformers import AutoModelForQuestionAnswering, AutoTokenizer

from trainer import add_run_args, train, training_features

MASKED = -1e4  # logit for padding: exp() underflows to 0 at any temperature used here


def parse_args() -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--teacher", required=True, help="Hugging Face folder of the fine-tuned teacher")
    p.add_argument("--layers", default="0,3,5", help="teacher layers the student starts from, in order")
    p.add_argument("--init", help="start from this trained student (a run's model folder) instead of the "
                                  "teacher's layers: a further stage, as finetune.py --base does for the teacher")
    p.add_argument("--alpha", type=float, default=0.5, help="weight of the soft loss; 0 trains without the teacher")
    p.add_argument("--temperature", type=float, default=2.0)
    p.add_argument("--hidden-weight", type=float, default=0.0,
                   help="weight of the hidden-state loss (TinyBERT): MSE of each student layer's output "
                        "to its teacher layer's, padding masked; 0 (default) leaves it out")
    add_run_args(p)
    return p.parse_args()


def make_student(teacher: torch.nn.Module, layers: list[int]) -> torch.nn.Module:
    """The teacher's config with len(layers) layers; weights copied from the teacher."""
    cfg = teacher.config.to_dict()
    cfg["num_hidden_layers"] = len(layers)
    student = AutoModelForQuestionAnswering.from_config(type(teacher.config).from_dict(cfg))
    t_state = teacher.state_dict()
    s_state = {}
    for key in student.state_dict():
        src = key
        if ".encoder.layer." in key:
            head, rest = key.split(".encoder.layer.", 1)
            i, tail = rest.split(".", 1)
            src = f"{head}.encoder.layer.{layers[int(i)]}.{tail}"
        s_state[key] = t_state[src]
    student.load_state_dict(s_state)
    return student


def soft_loss(student: torch.Tensor, teacher: torch.Tensor, mask: torch.Tensor, t: float) -> torch.Tensor:
    student, teacher = student.float(), teacher.float()  # bf16 logits under --bf16: the softmaxes in fp32
    s = student.masked_fill(mask == 0, MASKED) / t
    q = teacher.masked_fill(mask == 0, MASKED) / t
    kl = F.kl_div(F.log_softmax(s, -1), F.log_softmax(q, -1), log_target=True, reduction="batchmean")
    return kl * t * t


def hidden_loss(student: tuple[torch.Tensor, ...], teacher: tuple[torch.Tensor, ...], layers: list[int],
                mask: torch.Tensor) -> torch.Tensor:
    """Mean over the student's layers of the MSE to the teacher layer it was copied from, real tokens only."""
    m = mask.unsqueeze(-1).to(student[0].dtype)
    per_layer = [(((student[k + 1] - teacher[j + 1]) ** 2) * m).sum() / (m.sum() * student[0].shape[-1])
                 for k, j in enumerate(layers)]
    return torch.stack(per_layer).mean()


def distil_loss(teacher: torch.nn.Module | None, alpha: float, t: float, hidden_weight: float = 0.0,
                layers: list[int] | None = None):
    hidden = hidden_weight > 0

    def loss_fn(student: torch.nn.Module, batch: dict[str, torch.Tensor]) -> torch.Tensor:
        out = student(**batch, output_hidden_states=hidden)
        if teacher is None:
            return out.loss
        inputs = {k: batch[k] for k in ("input_ids", "attention_mask", "token_type_ids")}
        with torch.no_grad():
            ref = teacher(**inputs, output_hidden_states=hidden)
        mask = batch["attention_mask"]
        soft = (soft_loss(out.start_logits, ref.start_logits, mask, t)
                + soft_loss(out.end_logits, ref.end_logits, mask, t)) / 2
        loss = alpha * soft + (1 - alpha) * out.loss
        if hidden:
            loss = loss + hidden_weight * hidden_loss(out.hidden_states, ref.hidden_states, layers, mask)
        return loss
    return loss_fn


def main() -> None:
    args = parse_args()
    torch.set_num_threads(args.threads)
    tok = AutoTokenizer.from_pretrained(args.teacher)
    teacher = AutoModelForQuestionAnswering.from_pretrained(args.teacher).eval()
    layers = [int(x) for x in args.layers.split(",")]
    bad = [i for i in layers if not 0 <= i < teacher.config.num_hidden_layers]
    if bad:
        raise SystemExit(f"--layers: the teacher has layers 0..{teacher.config.num_hidden_layers - 1}, not {bad}")
    if args.init:
        student = AutoModelForQuestionAnswering.from_pretrained(args.init)
        if student.config.num_hidden_layers != len(layers):
            raise SystemExit(f"--init: {args.init} has {student.config.num_hidden_layers} layers, "
                             f"--layers names {len(layers)}")
    else:
        student = make_student(teacher, layers)
    feats = training_features(tok, args)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    (out / "distill.json").write_text(json.dumps({**vars(args), "layers": layers}, indent=2) + "\n")
    train(student, tok, feats, out, epochs=args.epochs, batch=args.batch, lr=args.lr, seed=args.seed,
          save_every=args.save_every,
          loss_fn=distil_loss(teacher if args.alpha > 0 or args.hidden_weight > 0 else None,
                              args.alpha, args.temperature, args.hidden_weight, layers),
          bf16=args.bf16, stop_at=args.stop_at)


if __name__ == "__main__":
    main()
