"""Rebuild a trainable Hugging Face QA model from a shipped fp32 reader (an `export.py` ONNX file).

Training checkpoints live outside git and go when the machine goes; the shipped fp32 reader is the
one copy of a model's weights that lasts. This undoes `export.py`'s fusions (EmbedLayerNormalization,
Attention with its packed Q/K/V, SkipLayerNormalization, BiasGelu; MatMul weights are the transposes
of torch's Linear weights), rebuilds the config from the graph's shapes and attributes, and checks the
rebuilt model against the ONNX file on real dev questions: it fails unless the logits agree.

    python training/recover.py --onnx models/minilm-l6-squad/model.onnx --out training/runs/teacher-recovered

The output folder is a model `finetune.py --base` and `distill.py --teacher/--init` take.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

import numpy as np
import onnx
import onnxruntime as ort
import torch
from onnx import numpy_helper
from transformers import BertConfig, BertForQuestionAnswering, BertTokenizerFast

PREFIX = "model."  # export.py wraps the HF model in QaWrapper, whose attribute is `model`
LAYER = re.compile(r"layer\.(\d+)/")


def fail(msg: str) -> None:
    sys.exit(f"recover.py: {msg}")


def attr(node: onnx.NodeProto, name: str):
    for a in node.attribute:
        if a.name == name:
            return onnx.helper.get_attribute_value(a)
    fail(f"node {node.name} ({node.op_type}) has no attribute {name}")


def state_and_config(path: Path) -> tuple[dict[str, torch.Tensor], BertConfig]:
    graph = onnx.load(str(path)).graph
    ops = {n.op_type for n in graph.node}
    quantised = sorted(o for o in ops if o.startswith(("QAttention", "MatMulInteger", "DynamicQuantize", "QLinear")))
    if quantised:
        fail(f"{path} is a quantised model ({', '.join(quantised)}); recover from the fp32 export instead")
    if "EmbedLayerNormalization" not in ops or "Attention" not in ops:
        fail(f"{path}: expected export.py's fused BERT graph (EmbedLayerNormalization, Attention); found {sorted(ops)}")

    inits = {i.name: numpy_helper.to_array(i) for i in graph.initializer}
    used: set[str] = set()
    state: dict[str, np.ndarray] = {}
    for name, arr in inits.items():
        if name.startswith(PREFIX):
            state[name[len(PREFIX):]] = arr
            used.add(name)

    heads, eps, layers, act = None, None, 0, None
    for node in graph.node:
        if node.op_type == "MatMul" and node.input[1] in inits:
            # "/model/bert/encoder/layer.0/output/dense/MatMul" -> "bert.encoder.layer.0.output.dense.weight"
            m = re.fullmatch(r"/model/(.+)/MatMul", node.name)
            if not m:
                fail(f"MatMul node {node.name!r} does not name the Linear layer it came from")
            state[m.group(1).replace("/", ".") + ".weight"] = inits[node.input[1]].T
            used.add(node.input[1])
        elif node.op_type == "Attention":
            m = LAYER.search(node.output[0])
            if not m:
                fail(f"Attention node {node.name!r}: cannot tell its layer from output {node.output[0]!r}")
            w, b = inits[node.input[1]], inits[node.input[2]]
            hidden = w.shape[0]
            base = f"bert.encoder.layer.{m.group(1)}.attention.self."
            for k, part in enumerate(("query", "key", "value")):
                state[base + part + ".weight"] = w[:, k * hidden:(k + 1) * hidden].T
                state[base + part + ".bias"] = b[k * hidden:(k + 1) * hidden]
            used.update(node.input[1:3])
            heads = attr(node, "num_heads")
            layers += 1
        elif node.op_type in ("SkipLayerNormalization", "EmbedLayerNormalization"):
            eps = attr(node, "epsilon")
        elif node.op_type == "BiasGelu":
            act = "gelu"  # erf GELU; tanh-approximate GELU would have been fused as FastGelu
        elif node.op_type == "FastGelu":
            act = "gelu_new"
    left = sorted(n for n, a in inits.items() if n not in used and a.size > 2)
    if left:
        fail(f"{path}: weights not mapped to the model: {left[:5]}")

    word = state["bert.embeddings.word_embeddings.weight"]
    config = BertConfig(
        vocab_size=word.shape[0], hidden_size=word.shape[1], num_hidden_layers=layers,
        num_attention_heads=heads, intermediate_size=state["bert.encoder.layer.0.intermediate.dense.weight"].shape[0],
        max_position_embeddings=state["bert.embeddings.position_embeddings.weight"].shape[0],
        type_vocab_size=state["bert.embeddings.token_type_embeddings.weight"].shape[0],
        layer_norm_eps=float(eps), hidden_act=act or "gelu", architectures=["BertForQuestionAnswering"],
    )
    return {k: torch.from_numpy(np.array(v, dtype=np.float32)) for k, v in state.items()}, config


def check(model: BertForQuestionAnswering, tok, onnx_path: Path, dev: Path, n: int) -> float:
    """Largest logit difference between the rebuilt model and the ONNX file on n dev questions."""
    squad = json.loads(dev.read_text())["data"]
    pairs = [(q["question"], p["context"]) for a in squad for p in a["paragraphs"] for q in p["qas"]][:n]
    enc = tok([q for q, _ in pairs], [c for _, c in pairs], truncation="only_second", max_length=384,
              padding=True, return_tensors="np")
    feed = {k: enc[k].astype(np.int64) for k in ("input_ids", "attention_mask", "token_type_ids")}
    sess = ort.InferenceSession(str(onnx_path), providers=["CPUExecutionProvider"])
    start, end = sess.run(["start_logits", "end_logits"], feed)
    with torch.no_grad():
        out = model(**{k: torch.from_numpy(v) for k, v in feed.items()})
    mask = feed["attention_mask"].astype(bool)
    return float(max(np.abs(out.start_logits.numpy() - start)[mask].max(),
                     np.abs(out.end_logits.numpy() - end)[mask].max()))


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--onnx", required=True, type=Path, help="fp32 model.onnx written by export.py")
    p.add_argument("--out", required=True, type=Path, help="Hugging Face model folder to write")
    p.add_argument("--dev", default="../shared/data/squad/dev-v1.1.public.json", type=Path)
    p.add_argument("--check", type=int, default=16, help="dev questions to compare logits on")
    p.add_argument("--tolerance", type=float, default=1e-3, help="largest logit difference accepted")
    args = p.parse_args()

    manifest = json.loads((args.onnx.parent / "manifest.json").read_text())
    vocab = args.onnx.parent / manifest["tokenizer"]["vocab"]
    state, config = state_and_config(args.onnx)
    model = BertForQuestionAnswering(config).eval()
    missing, unexpected = model.load_state_dict(state, strict=False)
    if missing or unexpected:
        fail(f"{args.onnx}: weights missing {missing[:5]}, unexpected {unexpected[:5]}")
    tok = BertTokenizerFast(vocab_file=str(vocab), do_lower_case=manifest["tokenizer"]["lowercase"])
    diff = check(model, tok, args.onnx, args.dev, args.check)
    print(f"{config.num_hidden_layers} layers, hidden {config.hidden_size}, {config.num_attention_heads} heads; "
          f"largest logit difference to the ONNX file on {args.check} dev questions: {diff:.2e}")
    if diff > args.tolerance:
        fail(f"the rebuilt model does not reproduce {args.onnx} (difference {diff:.2e} > {args.tolerance})")
    model.save_pretrained(args.out)
    tok.save_pretrained(args.out)
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
