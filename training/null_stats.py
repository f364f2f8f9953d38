"""Which statistic of a reader's logits best tells SQuAD 2.0's unanswerable questions from the rest.

    python training/null_stats.py models/NAME [--threads 1]

`null_auc.py` scores the one statistic the product uses, run_squad's null odds (the smallest [CLS]
start + end over the windows minus the best span's start + end). This script asks whether another
statistic of the same logits, or a logistic combination of several, would separate better before
anyone changes `src/mrc/decode.ts`. It reads the ONNX reader in onnxruntime with the export's own
vocabulary, the product's windows (384 tokens, stride 128) and spans (end within 30 tokens of the
start, context only), and prints each statistic's ROC AUC on dev-v2.0, then the AUC of logistic
regressions fitted on half the articles and scored on the other half (two folds, so nothing is
scored by a fit that saw its article). One lexical statistic, the IDF weight of the question's words
missing from the paragraph, is there to show what a question-only cue can and cannot do.
"""

from __future__ import annotations

import argparse
import json
import math
from collections import Counter
from pathlib import Path

import numpy as np
import onnxruntime as ort
import torch
from transformers import BertTokenizerFast

from evaluate import SQUAD
from null_auc import auc
from squad_data import STOPWORDS, WORD

MAX_LEN, STRIDE, MAX_ANSWER = 384, 128, 30


def softmax(x: np.ndarray) -> np.ndarray:
    e = np.exp(x - x.max())
    return e / e.sum()


def logit_stats(sess: ort.InferenceSession, tok: BertTokenizerFast, question: str, context: str) -> dict[str, float]:
    enc = tok(question.lstrip(), context, truncation="only_second", max_length=MAX_LEN, stride=STRIDE,
              return_overflowing_tokens=True, padding="longest", return_tensors="np")
    feeds = {k: enc[k].astype(np.int64) for k in ("input_ids", "attention_mask", "token_type_ids")}
    start, end = sess.run(["start_logits", "end_logits"], feeds)
    null, spans, entropy, cls = math.inf, [], math.inf, 0.0
    for w in range(start.shape[0]):
        ctx = np.array([i for i, s in enumerate(enc.sequence_ids(w)) if s == 1])
        null = min(null, float(start[w, 0] + end[w, 0]))
        s, e = start[w, ctx], end[w, ctx]
        i, j = np.indices((len(ctx), len(ctx)))
        spans.append((s[:, None] + e[None, :])[(j >= i) & (j < i + MAX_ANSWER)])
        p = softmax(s)
        entropy = min(entropy, float(-(p * np.log(p + 1e-12)).sum()))
        cls = max(cls, float(softmax(start[w])[0] * softmax(end[w])[0]))
    every = np.concatenate(spans)
    top2 = np.sort(every)[-2:]
    best = float(top2[-1])
    lse = float(every.max() + np.log(np.exp(every - every.max()).sum()))
    return {"null odds (run_squad, the product's)": null - best, "null − logsumexp(spans)": null - lse,
            "null score": null, "−best span score": -best, "−(best − second span)": -(best - float(top2[0])),
            "start entropy (most peaked window)": entropy, "P(start=[CLS])·P(end=[CLS])": cls,
            "−log P(best span)": lse - best}


def fit_auc(x: np.ndarray, y: np.ndarray, train: np.ndarray) -> float:
    """AUC on ~train of a logistic regression fitted on train (standardised features, L-BFGS)."""
    x = (x - x[train].mean(0)) / x[train].std(0)
    w = torch.zeros(x.shape[1], requires_grad=True)
    b = torch.zeros(1, requires_grad=True)
    opt = torch.optim.LBFGS([w, b], max_iter=200)
    xt, yt = torch.tensor(x[train], dtype=torch.float32), torch.tensor(y[train], dtype=torch.float32)

    def closure():
        opt.zero_grad()
        loss = torch.nn.functional.binary_cross_entropy_with_logits(xt @ w + b, yt)
        loss.backward()
        return loss
    opt.step(closure)
    score = (torch.tensor(x[~train], dtype=torch.float32) @ w).detach().numpy()
    return auc(list(score[y[~train]]), list(score[~y[~train]]))


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("model", type=Path, help="an exported reader folder (model.onnx, vocab.txt)")
    p.add_argument("--threads", type=int, default=1)
    args = p.parse_args()
    opts = ort.SessionOptions()
    opts.intra_op_num_threads = args.threads
    sess = ort.InferenceSession(str(args.model / "model.onnx"), opts, providers=["CPUExecutionProvider"])
    tok = BertTokenizerFast(vocab_file=str(args.model / "vocab.txt"), do_lower_case=True)
    data = json.loads((SQUAD / "dev-v2.0.public.json").read_text())["data"]
    paragraphs = [p["context"] for a in data for p in a["paragraphs"]]
    df = Counter(w for c in paragraphs for w in set(WORD.findall(c.lower())))
    idf = {w: math.log((len(paragraphs) + 1) / (n + 1)) for w, n in df.items()}

    rows, labels, article = [], [], []
    for ai, a in enumerate(data):
        for para in a["paragraphs"]:
            words = set(WORD.findall(para["context"].lower()))
            for q in para["qas"]:
                stats = logit_stats(sess, tok, q["question"], para["context"])
                missing = {w for w in WORD.findall(q["question"].lower()) if w not in STOPWORDS and w not in words}
                stats["IDF of question words missing from the paragraph"] = sum(idf.get(w, 0.0) for w in missing)
                rows.append(stats)
                labels.append(not q["answers"])
                article.append(ai)
    y, names = np.array(labels), list(rows[0])
    x = np.array([[r[n] for n in names] for r in rows])
    print(f"{args.model.name}: {int(y.sum())} unanswerable, {int((~y).sum())} answerable\n\n"
          "| statistic (higher = unanswerable) | ROC AUC |\n| --- | ---: |")
    for k, n in enumerate(names):
        print(f"| {n} | {auc(list(x[y, k]), list(x[~y, k])):.3f} |")
    even = np.array(article) % 2 == 0
    combos = {"null odds alone": [0], "null odds + null score + best span": [0, 2, 3],
              "all logit statistics": list(range(len(names) - 1)),
              "null odds + missing-word IDF": [0, len(names) - 1], "all": list(range(len(names)))}
    print("\n| logistic regression on | AUC on odd articles (fit on even) | AUC on even articles (fit on odd) |\n"
          "| --- | ---: | ---: |")
    for label, cols in combos.items():
        print(f"| {label} | {fit_auc(x[:, cols], y, even):.3f} | {fit_auc(x[:, cols], y, ~even):.3f} |")


if __name__ == "__main__":
    main()
