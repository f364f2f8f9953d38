"""Export a fine-tuned Hugging Face QA model to ONNX (fp32) and an int8 copy, with manifests.

    python training/export.py --model RUN/model --name NAME --kind full|distilled|pruned \
        --base "what it was made from" [--out models] [--no-int8] [--per-channel]

Writes models/NAME/ (fp32) and models/NAME-int8/ (ONNX Runtime dynamic quantization), each with
model.onnx, vocab.txt and manifest.json. Metrics are filled in afterwards by evaluate.py.
Inputs input_ids / attention_mask / token_type_ids, outputs start_logits / end_logits, dynamic
batch and sequence axes, opset 17; IR version capped so onnxruntime-node can load the file.
"""

from __future__ import annotations

import argparse
import json
import shutil
import tempfile
from pathlib import Path

import onnx
import torch
from onnxruntime.quantization import QuantType, quantize_dynamic
from onnxruntime.transformers.fusion_options import FusionOptions
from onnxruntime.transformers.optimizer import optimize_model
from transformers import AutoModelForQuestionAnswering, AutoTokenizer

MAX_IR_VERSION = 10  # onnxruntime-node 1.30 loads up to 13; 10 keeps older runtimes working too
OPSET = 17


class QaWrapper(torch.nn.Module):
    """Returns a tuple (start_logits, end_logits) so the exporter names both outputs."""

    def __init__(self, model: torch.nn.Module) -> None:
        super().__init__()
        self.model = model

    def forward(self, input_ids, attention_mask, token_type_ids):
        out = self.model(input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids)
        return out.start_logits, out.end_logits


def write_vocab(tok, path: Path) -> None:
    vocab = tok.get_vocab()
    by_id = sorted(vocab.items(), key=lambda kv: kv[1])
    assert [i for _, i in by_id] == list(range(len(by_id))), "vocabulary ids are not contiguous"
    path.write_text("".join(f"{t}\n" for t, _ in by_id), encoding="utf-8")


def export_fp32(model_dir: Path, onnx_path: Path, fuse_attention: bool = True) -> None:
    model = AutoModelForQuestionAnswering.from_pretrained(model_dir).eval()
    ids = torch.randint(1000, 2000, (2, 48))
    args = (ids, torch.ones_like(ids), torch.zeros_like(ids))
    axes = {0: "batch", 1: "sequence"}
    torch.onnx.export(
        QaWrapper(model), args, str(onnx_path), dynamo=False, opset_version=OPSET,
        input_names=["input_ids", "attention_mask", "token_type_ids"],
        output_names=["start_logits", "end_logits"],
        dynamic_axes={"input_ids": axes, "attention_mask": axes, "token_type_ids": axes,
                      "start_logits": axes, "end_logits": axes},
    )
    # Fuse attention, layer norm and GELU for ONNX Runtime's CPU kernels.
    cfg = model.config
    fusions = FusionOptions("bert")
    fusions.enable_attention = fuse_attention
    opt = optimize_model(str(onnx_path), model_type="bert", num_heads=cfg.num_attention_heads,
                         hidden_size=cfg.hidden_size, opt_level=1, optimization_options=fusions)
    opt.save_model_to_file(str(onnx_path))
    cap_ir(onnx_path)


def cap_ir(path: Path) -> None:
    m = onnx.load(str(path))
    if m.ir_version > MAX_IR_VERSION:
        m.ir_version = MAX_IR_VERSION
        onnx.save(m, str(path))


def quantize(src: Path, dst: Path, per_channel: bool, embeddings: bool, attention: bool = True) -> None:
    ops = ["MatMul", "Gemm"] + (["Attention"] if attention else []) \
        + (["EmbedLayerNormalization", "Gather"] if embeddings else [])
    quantize_dynamic(str(src), str(dst), weight_type=QuantType.QInt8, per_channel=per_channel,
                     op_types_to_quantize=ops,
                     # fused contrib ops (BiasGelu, ...) defeat shape inference; their outputs are float
                     extra_options={"DefaultTensorType": onnx.TensorProto.FLOAT})
    cap_ir(dst)


def manifest(name: str, kind: str, base: str, tok, model_dir: Path, onnx_path: Path, args) -> dict:
    return {
        "name": name,
        "task": "reader",
        "kind": kind,
        "base": base,
        "file": "model.onnx",
        "tokenizer": {"vocab": "vocab.txt", "lowercase": bool(getattr(tok, "do_lower_case", True))},
        "maxSeqLen": args.max_seq_len,
        "docStride": args.doc_stride,
        "maxQueryLen": 64,
        "maxAnswerLen": 30,
        "sizeBytes": onnx_path.stat().st_size,
        "metrics": {},
        "trainedOn": args.trained_on,
        "licence": args.licence,
    }


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--model", required=True, type=Path, help="Hugging Face model folder (fine-tuned)")
    p.add_argument("--name", required=True)
    p.add_argument("--kind", required=True, choices=["full", "distilled", "pruned"])
    p.add_argument("--base", required=True)
    p.add_argument("--out", default="models", type=Path)
    p.add_argument("--max-seq-len", type=int, default=384)
    p.add_argument("--doc-stride", type=int, default=128)
    p.add_argument("--trained-on", default="SQuAD 1.1 train + synthetic unanswerable examples")
    p.add_argument("--licence", default="Apache-2.0")
    p.add_argument("--no-fp32", action="store_true", help="write only the int8 model")
    p.add_argument("--no-int8", action="store_true")
    p.add_argument("--per-channel", action="store_true", help="per-channel int8 weight scales")
    p.add_argument("--fp32-embeddings", action="store_true",
                   help="leave the embedding tables in fp32 (58.6 MB instead of 22.7 MB for MiniLM-L6)")
    # Variants measured against the default in docs/BENCHMARKS.md; neither made int8 faster.
    p.add_argument("--attention", choices=["fused", "fp32", "unfused"], default="fused",
                   help="fused: one Attention node, int8 as QAttention (default); fp32: fused but left "
                        "in fp32 by the quantiser; unfused: plain MatMuls, the projections in int8")
    p.add_argument("--int8-name", help="folder name of the int8 model (default: NAME-int8)")
    p.add_argument("--techniques", default="fine-tuned",
                   help="what the model went through before export, in order (comma-separated: fine-tuned, "
                        "distilled, pruned); the int8 copy adds quantized")
    args = p.parse_args()

    tok = AutoTokenizer.from_pretrained(args.model)
    with tempfile.TemporaryDirectory() as tmp:
        fp32 = Path(tmp) / "model.onnx"
        export_fp32(args.model, fp32, fuse_attention=args.attention != "unfused")
        targets = []
        if not args.no_fp32:
            targets.append((args.name, args.kind, fp32, []))
        if not args.no_int8:
            q = Path(tmp) / "model-int8.onnx"
            quantize(fp32, q, args.per_channel, not args.fp32_embeddings, attention=args.attention == "fused")
            targets.append((args.int8_name or f"{args.name}-int8", "quantized", q, ["quantized"]))
        for name, kind, src, more in targets:
            out = args.out / name
            out.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(src, out / "model.onnx")
            write_vocab(tok, out / "vocab.txt")
            m = manifest(name, kind, args.base, tok, args.model, out / "model.onnx", args)
            m = {**m, "techniques": [t for t in args.techniques.split(",") if t] + more}
            (out / "manifest.json").write_text(json.dumps(m, indent=2) + "\n")
            print(f"wrote {out} ({m['sizeBytes'] / 1e6:.1f} MB)")


if __name__ == "__main__":
    main()
