"""Export a sentence-transformers BERT encoder to ONNX with pooling inside the graph, quantise it, measure it.

    python training/export_encoder.py --model "$BASE" --name encoder-minilm-l6 \
        [--out models] [--fp32-out /work/runs/encoder-fp32] [--per-channel auto|yes|no]

The graph takes input_ids / attention_mask / token_type_ids (int64, dynamic batch and sequence
axes, opset 17) and returns `sentence_embedding` [batch, dim]: the mean of the last hidden states
over the attention mask, L2-normalised — what sentence-transformers' Transformer → Pooling(mean) →
Normalize pipeline computes, so the product does no pooling of its own. ONNX Runtime's BERT fusions
and dynamic int8 quantisation as in export.py. Both per-channel settings are tried and the one with
the higher mean cosine to the fp32 export ships (unless --per-channel yes|no fixes it).

Measured and written into the manifest: cosine of int8 to fp32 and of each export to the PyTorch
reference on 500 SQuAD 1.1 dev texts (250 questions, 250 contexts; 1 thread), and sentences per
second at --threads threads for batches of 32 passages of 130–170 words. Writes models/NAME-int8/
(model.onnx, vocab.txt, manifest.json) and, with --fp32-out, the fp32 export there for comparison.
"""

from __future__ import annotations

import argparse
import json
import shutil
import tempfile
import time
from pathlib import Path

import numpy as np
import onnxruntime as ort
import torch
from onnxruntime.transformers.optimizer import optimize_model
from transformers import AutoTokenizer, BertModel

from export import OPSET, cap_ir, quantize, write_vocab

ROOT = Path(__file__).resolve().parents[1]
SQUAD_DEV = ROOT.parent / "shared" / "data" / "squad" / "dev-v1.1.public.json"
INPUTS = ["input_ids", "attention_mask", "token_type_ids"]
OUTPUT = "sentence_embedding"


class MeanPooledEncoder(torch.nn.Module):
    """BERT → mean over the attention mask → L2 normalisation (sentence-transformers' arithmetic)."""

    def __init__(self, bert: torch.nn.Module) -> None:
        super().__init__()
        self.bert = bert

    def forward(self, input_ids, attention_mask, token_type_ids):
        hidden = self.bert(input_ids=input_ids, attention_mask=attention_mask,
                           token_type_ids=token_type_ids).last_hidden_state
        mask = attention_mask.unsqueeze(-1).to(hidden.dtype)
        mean = (hidden * mask).sum(1) / mask.sum(1).clamp(min=1e-9)
        return torch.nn.functional.normalize(mean, p=2, dim=1)


def sentence_config(model_dir: Path) -> int:
    """Checks the folder really is a mean-pooled, normalised sentence-transformers model; its max_seq_length."""
    modules = json.loads((model_dir / "modules.json").read_text())
    types = [m["type"].rsplit(".", 1)[-1] for m in modules]
    pooling = json.loads((model_dir / "1_Pooling" / "config.json").read_text())
    modes = [k for k, v in pooling.items() if k.startswith("pooling_mode_") and v]
    if types != ["Transformer", "Pooling", "Normalize"] or modes != ["pooling_mode_mean_tokens"]:
        raise SystemExit(f"{model_dir}: expected Transformer → mean Pooling → Normalize, got {types} {modes}")
    return int(json.loads((model_dir / "sentence_bert_config.json").read_text())["max_seq_length"])


def load_reference(model_dir: Path) -> MeanPooledEncoder:
    return MeanPooledEncoder(BertModel.from_pretrained(model_dir, add_pooling_layer=False)).eval()


def encode_torch(model: MeanPooledEncoder, tok, texts: list[str], max_len: int, batch: int = 16) -> np.ndarray:
    out = np.zeros((len(texts), model.bert.config.hidden_size), dtype=np.float32)
    order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
    with torch.inference_mode():
        for b in range(0, len(order), batch):
            idx = order[b:b + batch]
            enc = tok([texts[i] for i in idx], padding=True, truncation=True, max_length=max_len,
                      return_tensors="pt")
            out[idx] = model(enc["input_ids"], enc["attention_mask"], enc["token_type_ids"]).numpy()
    return out


def export_fp32(model: MeanPooledEncoder, onnx_path: Path) -> None:
    ids = torch.randint(1000, 2000, (2, 48))
    mask = torch.ones_like(ids)
    mask[1, 40:] = 0  # a padded row, so the traced pooling really depends on the mask
    axes = {0: "batch", 1: "sequence"}
    torch.onnx.export(
        model, (ids, mask, torch.zeros_like(ids)), str(onnx_path), dynamo=False, opset_version=OPSET,
        input_names=INPUTS, output_names=[OUTPUT],
        dynamic_axes={"input_ids": axes, "attention_mask": axes, "token_type_ids": axes, OUTPUT: {0: "batch"}},
    )
    cfg = model.bert.config
    opt = optimize_model(str(onnx_path), model_type="bert", num_heads=cfg.num_attention_heads,
                         hidden_size=cfg.hidden_size, opt_level=1)
    print("fused:", {k: v for k, v in opt.get_fused_operator_statistics().items() if v})
    opt.save_model_to_file(str(onnx_path))
    cap_ir(onnx_path)


def session(path: Path, threads: int) -> ort.InferenceSession:
    so = ort.SessionOptions()
    so.intra_op_num_threads = threads
    so.inter_op_num_threads = 1
    so.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
    return ort.InferenceSession(str(path), so, providers=["CPUExecutionProvider"])


def encode_onnx(sess: ort.InferenceSession, tok, texts: list[str], max_len: int, batch: int = 32) -> np.ndarray:
    """Length-sorted batches, as the product's SentenceEncoder makes them."""
    out = None
    order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
    for b in range(0, len(order), batch):
        idx = order[b:b + batch]
        enc = tok([texts[i] for i in idx], padding=True, truncation=True, max_length=max_len, return_tensors="np")
        (vec,) = sess.run([OUTPUT], {k: enc[k].astype(np.int64) for k in INPUTS})
        if out is None:
            out = np.zeros((len(texts), vec.shape[1]), dtype=np.float32)
        out[idx] = vec
    return out


def cosine(a: np.ndarray, b: np.ndarray) -> dict:
    """Row-wise cosine (rows are unit vectors already; divide anyway so the figure is honest)."""
    c = (a * b).sum(1) / (np.linalg.norm(a, axis=1) * np.linalg.norm(b, axis=1))
    return {"mean": round(float(c.mean()), 5), "min": round(float(c.min()), 5), "n": len(c)}


def squad_texts(n_each: int) -> tuple[list[str], list[str]]:
    """n_each questions and n_each contexts spread evenly over SQuAD 1.1 dev; plus all contexts of 130–170 words."""
    paras = [p for a in json.loads(SQUAD_DEV.read_text())["data"] for p in a["paragraphs"]]
    step = len(paras) / n_each
    picked = [paras[int(i * step)] for i in range(n_each)]
    texts = [p["qas"][0]["question"] for p in picked] + [p["context"] for p in picked]
    passages = [p["context"] for p in paras if 130 <= len(p["context"].split()) <= 170]
    return texts, passages


def speed(path: Path, tok, passages: list[str], max_len: int, threads: int, batch: int, rounds: int) -> float:
    sess = session(path, threads)
    texts = passages[: batch * rounds]
    encode_onnx(sess, tok, texts[:batch], max_len, batch)  # warm-up
    start = time.perf_counter()
    encode_onnx(sess, tok, texts, max_len, batch)
    return round(len(texts) / (time.perf_counter() - start), 1)


def manifest(name: str, kind: str, args, tok, max_len: int, dim: int, path: Path, metrics: dict, sps: float,
             per_channel: bool | None) -> dict:
    m = {
        "name": name,
        "task": "encoder",
        "kind": kind,
        "base": args.base,
        "file": "model.onnx",
        "tokenizer": {"vocab": "vocab.txt", "lowercase": bool(getattr(tok, "do_lower_case", True))},
        "maxSeqLen": max_len,
        "dim": dim,
        "pooling": "mean",
        "normalize": True,
        "output": OUTPUT,
        "sizeBytes": path.stat().st_size,
        "metrics": metrics,
        "speed": {"sentencesPerSecond": sps, "threads": args.threads},
        "trainedOn": args.trained_on,
        "licence": args.licence,
    }
    if per_channel is not None:
        m["quantization"] = {"perChannel": per_channel}
    return m


def write_model(out: Path, src: Path, tok, m: dict) -> None:
    out.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(src, out / "model.onnx")
    write_vocab(tok, out / "vocab.txt")
    (out / "manifest.json").write_text(json.dumps(m, indent=2) + "\n")
    print(f"wrote {out} ({m['sizeBytes'] / 1e6:.1f} MB)")


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--model", required=True, type=Path, help="sentence-transformers model folder")
    p.add_argument("--name", required=True, help="the int8 model is written to OUT/NAME-int8")
    p.add_argument("--base", default="sentence-transformers/all-MiniLM-L6-v2 (MiniLM-L6-H384-uncased), "
                                     "as published: mean pooling, L2-normalised")
    p.add_argument("--out", default=ROOT / "models", type=Path)
    p.add_argument("--fp32-out", type=Path, help="also write the fp32 export to this folder (not shipped)")
    p.add_argument("--per-channel", default="auto", choices=["auto", "yes", "no"])
    p.add_argument("--texts", type=int, default=250, help="questions and contexts each for the cosines")
    p.add_argument("--threads", type=int, default=2, help="intra-op threads for the speed figure")
    p.add_argument("--speed-batches", type=int, default=4, help="batches of 32 passages timed")
    p.add_argument("--trained-on", default="sentence-transformers' 1B sentence pairs (no further training here)")
    p.add_argument("--licence", default="Apache-2.0")
    args = p.parse_args()
    torch.set_num_threads(1)

    max_len = sentence_config(args.model)
    tok = AutoTokenizer.from_pretrained(args.model)
    model = load_reference(args.model)
    dim = model.bert.config.hidden_size
    texts, passages = squad_texts(args.texts)
    ref = encode_torch(model, tok, texts, max_len)

    with tempfile.TemporaryDirectory() as tmp:
        fp32 = Path(tmp) / "model.onnx"
        export_fp32(model, fp32)
        vec32 = encode_onnx(session(fp32, 1), tok, texts, max_len)
        fp32_metrics = {"cosineToPyTorch": cosine(vec32, ref)}
        print("fp32 ONNX vs PyTorch:", fp32_metrics["cosineToPyTorch"])

        choices = {"auto": [False, True], "yes": [True], "no": [False]}[args.per_channel]
        variants = {}
        for per_channel in choices:
            q = Path(tmp) / f"model-int8-{'pc' if per_channel else 'pt'}.onnx"
            quantize(fp32, q, per_channel, embeddings=True)
            vec8 = encode_onnx(session(q, 1), tok, texts, max_len)
            variants[per_channel] = (q, {"cosineToFp32": cosine(vec8, vec32), "cosineToPyTorch": cosine(vec8, ref)})
            print(f"int8 per-channel={per_channel} ({q.stat().st_size / 1e6:.1f} MB):", variants[per_channel][1])
        per_channel = max(variants, key=lambda k: variants[k][1]["cosineToFp32"]["mean"])
        q, int8_metrics = variants[per_channel]
        print(f"shipping per-channel={per_channel}")

        sps8 = speed(q, tok, passages, max_len, args.threads, 32, args.speed_batches)
        sps32 = speed(fp32, tok, passages, max_len, args.threads, 32, args.speed_batches)
        print(f"sentences/s at {args.threads} threads, batch 32, 130–170-word passages: int8 {sps8}, fp32 {sps32}")

        name8 = f"{args.name}-int8"
        write_model(args.out / name8, q, tok,
                    manifest(name8, "quantized", args, tok, max_len, dim, q, int8_metrics, sps8, per_channel))
        if args.fp32_out:
            write_model(args.fp32_out, fp32, tok,
                        manifest(args.fp32_out.name, "full", args, tok, max_len, dim, fp32, fp32_metrics, sps32,
                                 None))


if __name__ == "__main__":
    main()
