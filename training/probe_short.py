"""Null odds of checkpoints on one-sentence passages: does the reader still answer them?

    python training/probe_short.py RUN/model [RUN2/model ...]

SQuAD paragraphs are long; a reader trained only on them learned to say "no answer" to short
passages that hold the answer (the stage-2 teacher, docs/BENCHMARKS.md). This prints, for each
model folder, the null odds (the [CLS] logit pair minus the best span's, as src/mrc/decode.ts
computes them: below the no-answer threshold means an answer) and the best span, for three
answerable cases and two unanswerable ones. A few forward passes, cheap enough to run on a
checkpoint while training goes on.
"""

from __future__ import annotations

import sys

import torch
from transformers import AutoModelForQuestionAnswering, AutoTokenizer

MAX_ANSWER_TOKENS = 30
CASES = [
    ("How high is Mount Kenya?", "Mount Kenya is the highest mountain in Kenya, at 5,199 metres."),
    ("Which countries share Lake Victoria?", "Lake Victoria is shared by Kenya, Uganda and Tanzania."),
    ("When did the Berlin Wall fall?", "The Berlin Wall fell on 9 November 1989."),
    ("How high is Mount Kenya?", "Lake Victoria is shared by Kenya, Uganda and Tanzania."),
    ("Who wrote Hamlet?", "The Berlin Wall fell on 9 November 1989."),
]


def null_odds(model, tok, question: str, context: str) -> tuple[float, str]:
    enc = tok(question, context, return_tensors="pt")
    with torch.no_grad():
        out = model(**enc)
    s, e = out.start_logits[0], out.end_logits[0]
    ctx = [i for i, t in enumerate(enc.sequence_ids(0)) if t == 1]
    best, span = max((float(s[i] + e[j]), (i, j)) for i in ctx for j in ctx if i <= j < i + MAX_ANSWER_TOKENS)
    return float(s[0] + e[0]) - best, tok.decode(enc.input_ids[0][span[0]:span[1] + 1])


def main() -> None:
    torch.set_num_threads(1)
    for folder in sys.argv[1:]:
        tok = AutoTokenizer.from_pretrained(folder)
        model = AutoModelForQuestionAnswering.from_pretrained(folder).eval()
        print(f"{folder}\n| null odds | question | passage | best span |\n| ---: | --- | --- | --- |")
        for q, c in CASES:
            odds, span = null_odds(model, tok, q, c)
            print(f"| {odds:.2f} | {q} | {c} | {span} |")


if __name__ == "__main__":
    main()
