"""SQuAD training examples, synthetic unanswerable examples, and window features.

SQuAD 2.0's training set is not available here, so the no-answer decision is taught with
unanswerable examples made from SQuAD 1.1 train:
  * "other paragraph": the question paired with another paragraph of the same article;
  * "answer removed":  the paragraph with the sentence(s) holding the answer cut out.
Either is skipped when the gold answer text still occurs in the new context.
"""

from __future__ import annotations

import random
import re

SENTENCE_END = re.compile(r"(?<=[.!?])\s+")


def _remove_answer_sentence(context: str, start: int, end: int) -> str:
    kept, pos = [], 0
    for sent in SENTENCE_END.split(context):
        s = context.index(sent, pos)
        e = s + len(sent)
        pos = e
        if e <= start or s >= end:
            kept.append(sent)
    return " ".join(kept)


def build_examples(squad: dict, neg_ratio: float, seed: int, limit: int = 0) -> list[dict]:
    rng = random.Random(seed)
    out: list[dict] = []
    for article in squad["data"]:
        paras = [p["context"] for p in article["paragraphs"]]
        for pi, para in enumerate(article["paragraphs"]):
            for qa in para["qas"]:
                ans = qa["answers"][0]
                out.append({"question": qa["question"], "context": para["context"],
                            "answer_start": ans["answer_start"], "answer_text": ans["text"]})
                if rng.random() >= neg_ratio:
                    continue
                golds = {a["text"] for a in qa["answers"]}
                if rng.random() < 0.5 and len(paras) > 1:
                    other = paras[rng.choice([i for i in range(len(paras)) if i != pi])]
                else:
                    s = ans["answer_start"]
                    other = _remove_answer_sentence(para["context"], s, s + len(ans["text"]))
                if other.strip() and not any(g in other for g in golds):
                    out.append({"question": qa["question"], "context": other,
                                "answer_start": -1, "answer_text": None})
                if limit and len(out) >= limit:
                    return out
            if limit and len(out) >= limit:
                return out
    return out


def featurize(tok, examples: list[dict], max_len: int, stride: int) -> dict[str, list]:
    """Windows over each context (HF run_qa style); a window without the answer points at [CLS]."""
    enc = tok([e["question"] for e in examples], [e["context"] for e in examples],
              truncation="only_second", max_length=max_len, stride=stride,
              return_overflowing_tokens=True, return_offsets_mapping=True)
    starts, ends = [], []
    for i, offsets in enumerate(enc["offset_mapping"]):
        ex = examples[enc["overflow_to_sample_mapping"][i]]
        seq = enc.sequence_ids(i)
        s_pos = e_pos = 0
        if ex["answer_text"] is not None:
            a_s = ex["answer_start"]
            a_e = a_s + len(ex["answer_text"])
            ctx = [j for j, sid in enumerate(seq) if sid == 1]
            if offsets[ctx[0]][0] <= a_s and offsets[ctx[-1]][1] >= a_e:
                s_pos = next(j for j in ctx if offsets[j][1] > a_s)
                e_pos = next(j for j in reversed(ctx) if offsets[j][0] < a_e)
        starts.append(s_pos)
        ends.append(e_pos)
    return {"input_ids": enc["input_ids"], "attention_mask": enc["attention_mask"],
            "token_type_ids": enc["token_type_ids"], "start_positions": starts, "end_positions": ends}
