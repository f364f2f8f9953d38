"""Structured pruning of a fine-tuned reader: attention heads and feed-forward neurons, by importance.

Importance is measured on training windows with the model's own span loss, as the first-order
(Taylor) estimate of the loss change when a unit is removed (Michel et al., 2019, for heads; Molchanov
et al., 2017, for neurons): a head's |dL/dm| for a mask m multiplying its output, a neuron's
|a * dL/da| for its activation a, summed over the windows. Every layer keeps the same number of heads
and of neurons (so the result is an ordinary BERT config, exported and quantised as any other reader),
each layer its own most important ones. Then `distill.py --init OUT --teacher TEACHER` recovers what
pruning lost, with the teacher's soft targets.

    python training/prune.py --model TEACHER --out RUN_DIR --heads 8 --ffn 768 [--windows 512]

Writes RUN_DIR/model (a Hugging Face folder) and RUN_DIR/importance.json.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import torch
from transformers import AutoModelForQuestionAnswering, AutoTokenizer

from trainer import add_run_args, bucketed_order, pad_batch, training_features


def parse_args() -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--model", required=True, help="Hugging Face folder of the fine-tuned reader to prune")
    p.add_argument("--heads", type=int, required=True, help="attention heads kept in every layer")
    p.add_argument("--ffn", type=int, required=True, help="feed-forward neurons kept in every layer")
    p.add_argument("--windows", type=int, default=512, help="training windows importance is measured on")
    add_run_args(p)
    return p.parse_args()


def importance(model, feats, pad_id: int, windows: int, batch: int, seed: int):
    """Summed |dL/dm| per head (layers x heads) and |a * dL/da| per FFN neuron (layers x neurons)."""
    cfg = model.config
    layers, heads = cfg.num_hidden_layers, cfg.num_attention_heads
    head_mask = torch.ones(layers, heads, requires_grad=True)
    neuron = torch.zeros(layers, cfg.intermediate_size)
    acts: dict[int, torch.Tensor] = {}

    def keep(i):
        def hook(_module, _inputs, output):
            output.retain_grad()
            acts[i] = output
        return hook

    hooks = [layer.intermediate.register_forward_hook(keep(i)) for i, layer in enumerate(model.bert.encoder.layer)]
    order = bucketed_order(feats["input_ids"], batch, seed)[:windows]
    model.eval()
    for b in range(0, len(order), batch):
        inputs = pad_batch(feats, order[b:b + batch], pad_id)
        out = model(**inputs, head_mask=head_mask)
        out.loss.backward()
        for i, a in acts.items():
            neuron[i] += (a * a.grad).abs().sum(dim=(0, 1)).detach()
        model.zero_grad()
    for h in hooks:
        h.remove()
    return head_mask.grad.abs().detach(), neuron


def prune_ffn(model, keep: list[torch.Tensor]) -> None:
    """Keeps the given neurons of each layer's feed-forward block (the same count in every layer)."""
    for layer, idx in zip(model.bert.encoder.layer, keep):
        up, down = layer.intermediate.dense, layer.output.dense
        new_up = torch.nn.Linear(up.in_features, len(idx))
        new_up.weight.data = up.weight.data[idx].clone()
        new_up.bias.data = up.bias.data[idx].clone()
        new_down = torch.nn.Linear(len(idx), down.out_features)
        new_down.weight.data = down.weight.data[:, idx].clone()
        new_down.bias.data = down.bias.data.clone()
        layer.intermediate.dense, layer.output.dense = new_up, new_down
    model.config.intermediate_size = len(keep[0])


def main() -> None:
    args = parse_args()
    torch.set_num_threads(args.threads)
    tok = AutoTokenizer.from_pretrained(args.model)
    # Eager attention: the fused kernels take no head mask.
    model = AutoModelForQuestionAnswering.from_pretrained(args.model, attn_implementation="eager")
    cfg = model.config
    if not 0 < args.heads <= cfg.num_attention_heads or not 0 < args.ffn <= cfg.intermediate_size:
        raise SystemExit(f"--heads is 1..{cfg.num_attention_heads}, --ffn 1..{cfg.intermediate_size}")
    feats = training_features(tok, args)
    heads, neurons = importance(model, feats, tok.pad_token_id, args.windows, args.batch, args.seed)
    # Each layer's least important heads go; HF keeps the rest and records them in config.pruned_heads.
    drop = {i: sorted(heads[i].argsort()[: cfg.num_attention_heads - args.heads].tolist())
            for i in range(cfg.num_hidden_layers)}
    model.prune_heads(drop)
    keep = [neurons[i].argsort(descending=True)[: args.ffn].sort().values for i in range(cfg.num_hidden_layers)]
    prune_ffn(model, keep)
    out = Path(args.out)
    (out / "model").mkdir(parents=True, exist_ok=True)
    model.save_pretrained(out / "model")
    tok.save_pretrained(out / "model")
    kept_params = sum(p.numel() for p in model.parameters())
    (out / "importance.json").write_text(json.dumps({
        "heads_kept": args.heads, "ffn_kept": args.ffn, "parameters": kept_params,
        "pruned_heads": drop, "head_importance": heads.tolist(),
    }, indent=1) + "\n")
    print(f"pruned to {args.heads} heads and {args.ffn} neurons a layer: {kept_params / 1e6:.1f} M parameters; "
          f"wrote {out / 'model'}")


if __name__ == "__main__":
    main()
