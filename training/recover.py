"""Rebuild a trainable Hugging Face QA model from a shipped reader (an `export.py` ONNX file).

Training checkpoints live outside git and go when the machine goes; the shipped readers are the one
copy of a model's weights that lasts. This undoes `export.py`'s fusions (EmbedLayerNormalization,
Attention with its packed Q/K/V, SkipLayerNormalization, BiasGelu; MatMul weights are the transposes
of torch's Linear weights), rebuilds the config from the graph's shapes and attributes, and checks the
rebuilt model against the ONNX file on real dev questions: it fails unless the logits agree.

    python training/recover.py --onnx models/minilm-l6-squad/model.onnx --out training/runs/teacher-recovered

From an fp32 file the rebuild is exact. From an int8 file (the student ships only as int8) its weights
are dequantised, `(q - zero_point) * scale`: an approximation that keeps the rounding, fit to start
another training stage from (which absorbs it), not to ship; its logits differ from the int8 file's by
what the file's dynamic quantisation of activations adds, hence the looser default tolerance.

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


# Dynamic quantisation's ops, as the fp32 ops they replaced.
FP32_OP = {"MatMulInteger": "MatMul", "QAttention": "Attention", "QEmbedLayerNormalization": "EmbedLayerNormalization"}
QUANTISED = "_quantized"


def dequantised(graph: onnx.GraphProto) -> tuple[dict[str, np.ndarray], list[onnx.NodeProto]]:
    """The graph's weights and nodes as the fp32 export had them.

    Each `X_quantized` initializer becomes `X = (q - X_zero_point) * X_scale` (per-tensor, or per output
    column: the scale's shape broadcasts over the weight's last axis), and each quantised op the fp32 op
    it replaced, renamed and rewired to the dequantised weight.
    """
    inits = {i.name: numpy_helper.to_array(i) for i in graph.initializer}
    for name in [n for n in inits if n.endswith(QUANTISED)]:
        base = name[:-len(QUANTISED)]
        q = inits.pop(name).astype(np.float32)
        inits[base] = (q - inits.pop(base + "_zero_point").astype(np.float32)) * inits.pop(base + "_scale")
    nodes = []
    for node in graph.node:
        if node.op_type in FP32_OP:
            fp32 = onnx.NodeProto()
            fp32.CopyFrom(node)
            fp32.op_type = FP32_OP[node.op_type]
            fp32.name = node.name.removesuffix("_quant")
            del fp32.input[:]
            fp32.input.extend(i.removesuffix(QUANTISED) for i in node.input)
            node = fp32
        nodes.append(node)
    return inits, nodes


def state_and_config(path: Path) -> tuple[dict[str, torch.Tensor], BertConfig, bool]:
    """The model's weights, its config, and whether they were dequantised from int8."""
    graph = onnx.load(str(path)).graph
    quantised = any(i.name.endswith(QUANTISED) for i in graph.initializer)
    inits, nodes = dequantised(graph)
    ops = {n.op_type for n in nodes}
    if "EmbedLayerNormalization" not in ops or "Attention" not in ops:
        fail(f"{path}: expected export.py's fused BERT graph (EmbedLayerNormalization, Attention); found {sorted(ops)}")

    used: set[str] = set()
    state: dict[str, np.ndarray] = {}
    for name, arr in inits.items():
        if name.startswith(PREFIX):
            state[name[len(PREFIX):]] = arr
            used.add(name)

    heads, eps, layers, act = None, None, 0, None
    for node in nodes:
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
    return {k: torch.from_numpy(np.array(v, dtype=np.float32)) for k, v in state.items()}, config, quantised


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
    p.add_argument("--onnx", required=True, type=Path, help="model.onnx written by export.py (fp32 or int8)")
    p.add_argument("--out", required=True, type=Path, help="Hugging Face model folder to write")
    p.add_argument("--dev", default="../shared/data/squad/dev-v1.1.public.json", type=Path)
    p.add_argument("--check", type=int, default=16, help="dev questions to compare logits on")
    p.add_argument("--tolerance", type=float, default=None,
                   help="largest logit difference accepted (default: 1e-3 from fp32; 3 from int8, whose dynamic "
                        "quantisation of activations moved logits by up to 1.5 on 64 dev questions, where one "
                        "transposed weight moved them by 9)")
    args = p.parse_args()

    manifest = json.loads((args.onnx.parent / "manifest.json").read_text())
    vocab = args.onnx.parent / manifest["tokenizer"]["vocab"]
    state, config, quantised = state_and_config(args.onnx)
    tolerance = args.tolerance if args.tolerance is not None else 3.0 if quantised else 1e-3
    model = BertForQuestionAnswering(config).eval()
    missing, unexpected = model.load_state_dict(state, strict=False)
    if missing or unexpected:
        fail(f"{args.onnx}: weights missing {missing[:5]}, unexpected {unexpected[:5]}")
    tok = BertTokenizerFast(vocab_file=str(vocab), do_lower_case=manifest["tokenizer"]["lowercase"])
    diff = check(model, tok, args.onnx, args.dev, args.check)
    print(f"{config.num_hidden_layers} layers, hidden {config.hidden_size}, {config.num_attention_heads} heads"
          f"{', dequantised from int8' if quantised else ''}; "
          f"largest logit difference to the ONNX file on {args.check} dev questions: {diff:.2e}")
    if diff > tolerance:
        fail(f"the rebuilt model does not reproduce {args.onnx} (difference {diff:.2e} > {tolerance})")
    model.save_pretrained(args.out)
    tok.save_pretrained(args.out)
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
