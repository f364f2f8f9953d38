"""SQuAD training examples, synthetic unanswerable examples, and window features.

SQuAD 2.0's training set is not available here, so the no-answer decision is taught with
unanswerable examples made from SQuAD 1.1 train:
  * "other paragraph": the question paired with another paragraph of the same article;
  * "answer removed":  the paragraph with the sentence(s) holding the answer cut out.
Either is skipped when the gold answer text still occurs in the new context. Both are easy next
to SQuAD 2.0's crowd-written negatives, whose paragraphs hold a plausible answer, so there is a
harder kind too (`swap_ratio`):
  * "entity swap": a name or number of the question that the paragraph holds is replaced by
    another of the same article that the paragraph does not hold ("When did Kelly Rowland ..."
    against a paragraph about Beyonce), the most frequent kind of SQuAD 2.0 negative.
And answerable examples cut to the sentence holding the answer (`short_ratio`): SQuAD paragraphs
are long, and a reader that never saw a one-sentence context answers "no answer" on one.
"""

from __future__ import annotations

import random
import re

import numpy as np

SENTENCE_END = re.compile(r"(?<=[.!?])\s+")
# Capitalised word runs (names) and 2-4 digit numbers (years, counts): what an entity swap replaces.
NAME = re.compile(r"\b[A-Z][\w'-]*(?:\s+(?:of\s+|the\s+|de\s+)?[A-Z][\w'-]*)*")
NUMBER = re.compile(r"\b\d{2,4}\b")


def _sentence_spans(context: str):
    """(start, end) of each sentence of the context."""
    pos = 0
    for sent in SENTENCE_END.split(context):
        s = context.index(sent, pos)
        pos = s + len(sent)
        yield s, pos


def _answer_sentence(context: str, start: int, end: int) -> tuple[str, int]:
    """The sentence(s) holding [start, end) and where the answer starts in them."""
    spans = [(s, e) for s, e in _sentence_spans(context) if e > start and s < end]
    first, last = spans[0][0], spans[-1][1]
    return context[first:last], start - first


def _mentions(text: str) -> dict[str, list[str]]:
    """Names and numbers; a capitalised run that opens a sentence ("However", "Under") is no name."""
    names = [m.group(0) for m in NAME.finditer(text)
             if m.start() > 0 and not re.search(r"[.!?\"']\s*$", text[max(0, m.start() - 3):m.start()])]
    return {"name": names, "number": [m.group(0) for m in NUMBER.finditer(text)]}


def _swap_entity(question: str, context: str, golds: set[str], pool: dict[str, list[str]],
                 rng: random.Random) -> str | None:
    """The question with one name or number that the context holds swapped for one it does not."""
    ctx = context.lower()
    choices = []
    for kind, found in _mentions(question).items():
        for m in found:
            # the first word of a question is capitalised whatever it is ("What", "How")
            if question.startswith(m) or m.lower() not in ctx or any(m in g for g in golds):
                continue
            subs = [x for x in pool[kind] if x.lower() not in ctx and x.lower() not in question.lower()]
            if subs:
                choices.append((m, subs))
    if not choices:
        return None
    m, subs = rng.choice(choices)
    return question.replace(m, rng.choice(subs), 1)


def _remove_answer_sentence(context: str, start: int, end: int) -> str:
    return " ".join(context[s:e] for s, e in _sentence_spans(context) if e <= start or s >= end)


def build_examples(squad: dict, neg_ratio: float, seed: int, limit: int = 0,
                   swap_ratio: float = 0.0, short_ratio: float = 0.0) -> list[dict]:
    """Answerable examples and synthetic unanswerable ones, in a fixed order for a given seed.

    Entity swaps and short contexts draw from their own random stream, so with both ratios 0 the
    examples are exactly those of the runs made before they existed (their checkpoints index
    into this list).
    """
    rng = random.Random(seed)
    swap_rng = random.Random(seed + 1)
    out: list[dict] = []
    for article in squad["data"]:
        paras = [p["context"] for p in article["paragraphs"]]
        pool = _mentions(" ".join(paras)) if swap_ratio else {}
        pool = {k: sorted(set(v)) for k, v in pool.items()}
        for pi, para in enumerate(article["paragraphs"]):
            for qa in para["qas"]:
                ans = qa["answers"][0]
                out.append({"question": qa["question"], "context": para["context"],
                            "answer_start": ans["answer_start"], "answer_text": ans["text"]})
                if short_ratio and swap_rng.random() < short_ratio:
                    sent, at = _answer_sentence(para["context"], ans["answer_start"],
                                                ans["answer_start"] + len(ans["text"]))
                    if sent != para["context"]:
                        out.append({"question": qa["question"], "context": sent, "answer_start": at,
                                    "answer_text": ans["text"]})
                if swap_ratio and swap_rng.random() < swap_ratio:
                    q = _swap_entity(qa["question"], para["context"], {a["text"] for a in qa["answers"]},
                                     pool, swap_rng)
                    if q:
                        out.append({"question": q, "context": para["context"], "answer_start": -1,
                                    "answer_text": None})
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


def featurize(tok, examples: list[dict], max_len: int, stride: int, chunk: int = 2000) -> dict[str, list]:
    """Windows over each context (HF run_qa style); a window without the answer points at [CLS].

    Tokenised `chunk` examples at a time and kept as int32 arrays: tokenising all of SQuAD train at
    once left a training process at 10 GB, too much for two students side by side in 24 GB.
    """
    feats: dict[str, list] = {k: [] for k in ("input_ids", "attention_mask", "token_type_ids",
                                               "start_positions", "end_positions")}
    for c in range(0, len(examples), chunk):
        part = examples[c:c + chunk]
        enc = tok([e["question"] for e in part], [e["context"] for e in part],
                  truncation="only_second", max_length=max_len, stride=stride,
                  return_overflowing_tokens=True, return_offsets_mapping=True)
        for i, offsets in enumerate(enc["offset_mapping"]):
            ex = part[enc["overflow_to_sample_mapping"][i]]
            seq = enc.sequence_ids(i)
            s_pos = e_pos = 0
            if ex["answer_text"] is not None:
                a_s = ex["answer_start"]
                a_e = a_s + len(ex["answer_text"])
                ctx = [j for j, sid in enumerate(seq) if sid == 1]
                if offsets[ctx[0]][0] <= a_s and offsets[ctx[-1]][1] >= a_e:
                    s_pos = next(j for j in ctx if offsets[j][1] > a_s)
                    e_pos = next(j for j in reversed(ctx) if offsets[j][0] < a_e)
            for k in ("input_ids", "attention_mask", "token_type_ids"):
                feats[k].append(np.asarray(enc[k][i], dtype=np.int32))
            feats["start_positions"].append(s_pos)
            feats["end_positions"].append(e_pos)
    return feats
