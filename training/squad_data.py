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
More kinds copy SQuAD 2.0's other frequent ones (its paper: "other neutral" 24%, antonym 20%,
"mutual exclusion" 15%, negation 9%); in dev-v2.0 a negation word is in 15% of the unanswerable
questions against 3% of the answerable:
  * "negation" (`negation_ratio`): "never" or "not" put before the question's verb ("Who never
    captured ...", "What was the palace not designed in");
  * "antonym" (`antonym_ratio`): a word of the question replaced by its opposite or by another
    ordinal that the paragraph does not hold ("When did the war end?" against a paragraph that
    only says when it began);
  * "lookalike paragraph" (`lookalike_ratio`): the question paired with the other paragraph of its
    article that shares the most of its words (weighted by rarity in the article) but not the
    answer: on-topic like the "other neutral" and "mutual exclusion" questions, where "other
    paragraph" picks one at random;
  * "swap within the paragraph" (`within_swap_ratio`): a name of the question replaced by another
    name of the same paragraph, one that no sentence near the question's words holds; SQuAD 2.0's
    writers mostly reused the paragraph's own words, which the "entity swap" above never does;
  * "number swap within the paragraph" (`number_swap_ratio`): the same for a number, replaced by
    one of as many digits (a year by a year): a condition the paragraph contradicts;
  * "roles reversed" (`role_swap_ratio`): two names of the question trade places ("What did
    Edison pay Tesla?" -> "What did Tesla pay Edison?"): SQuAD 2.0's reversed relations.
And answerable examples cut to the sentence holding the answer (`short_ratio`): SQuAD paragraphs
are long, and a reader that never saw a one-sentence context answers "no answer" on one.
"""

from __future__ import annotations

import math
import random
import re
from collections import Counter

import numpy as np

SENTENCE_END = re.compile(r"(?<=[.!?])\s+")
# Capitalised word runs (names) and 2-4 digit numbers (years, counts): what an entity swap replaces.
NAME = re.compile(r"\b[A-Z][\w'-]*(?:\s+(?:of\s+|the\s+|de\s+)?[A-Z][\w'-]*)*")
NUMBER = re.compile(r"\b\d{2,4}\b")
# Endings of adjectives of nationality and the like ("Mediterranean", "Islamic", "Chinese", "British").
ADJECTIVE = re.compile(r"(?:an|ic|ese|ish)$")
NEGATION = re.compile(r"\b(?:not|never|no|none|nothing|nobody|without)\b|n't\b", re.IGNORECASE)
# What "not" goes before after an auxiliary: a past participle ("-ed" or a common irregular one).
AUXILIARY = {"is", "are", "was", "were", "has", "have", "had", "can", "could", "will", "would", "should", "may",
             "might", "must"}
IRREGULAR_PARTICIPLES = {"known", "built", "made", "written", "taken", "given", "seen", "born", "held", "found",
                         "sold", "paid", "led", "won", "lost", "done", "begun", "chosen", "drawn", "shown",
                         "spoken", "brought", "taught", "kept", "sent", "spent", "told", "bought", "thrown"}
NOT_PARTICIPLES = {"hundred", "red", "bed", "seed", "speed", "need", "indeed", "feed", "breed", "shed"}
WORD = re.compile(r"\w+")
# Function words and question words: they say nothing about which paragraph a question is about.
STOPWORDS = frozenset("""a an the of in on at to for from by with as and or but is are was were be been being has
have had do does did what which who whom whose when where why how that this these those it its than then
there their they he she his her him we our you your i not no into about after before during over under
between through can could will would should may might must many much more most other some any each
one two three also only such so if""".split())
# Groups of opposites (and ordinals): a word is replaced by another of its group. Words whose swap
# breaks the question are left out: "long" ("how long"), "more" ("how many more"), "fall" (autumn).
OPPOSITES = [
    ("first", "second", "third", "fourth", "fifth", "last"), ("start", "end"), ("started", "ended"),
    ("begin", "end"), ("began", "ended"), ("increase", "decrease"),
    ("increased", "decreased"), ("largest", "smallest"), ("biggest", "smallest"),
    ("larger", "smaller"), ("most", "least"), ("highest", "lowest"), ("higher", "lower"), ("before", "after"),
    ("early", "late"), ("earliest", "latest"), ("earlier", "later"), ("north", "south"), ("east", "west"),
    ("northern", "southern"), ("eastern", "western"), ("win", "lose"), ("won", "lost"),
    ("major", "minor"), ("positive", "negative"), ("public", "private"), ("inside", "outside"),
    ("upper", "lower"), ("maximum", "minimum"), ("strong", "weak"), ("strongest", "weakest"),
    ("oldest", "newest"), ("ancient", "modern"), ("above", "below"), ("success", "failure"),
    ("successful", "unsuccessful"), ("legal", "illegal"), ("male", "female"), ("men", "women"),
    ("father", "mother"), ("son", "daughter"), ("king", "queen"), ("husband", "wife"), ("brother", "sister"),
    ("top", "bottom"), ("import", "export"), ("imports", "exports"), ("buy", "sell"), ("bought", "sold"),
    ("opened", "closed"), ("internal", "external"), ("domestic", "foreign"), ("urban", "rural"),
    ("rich", "poor"), ("longest", "shortest"), ("fastest", "slowest"), ("best", "worst"), ("better", "worse"),
    ("accepted", "rejected"), ("supported", "opposed"), ("common", "rare"), ("cheap", "expensive"),
    ("hot", "cold"), ("wet", "dry"), ("day", "night"), ("summer", "winter"), ("birth", "death"),
    ("born", "died"),
]
# "end" is in two groups: it may become "start" or "begin"
OPPOSITE = {w: sorted({x for g in OPPOSITES if w in g for x in g if x != w}) for group in OPPOSITES for w in group}


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
    return _replace_one(question, choices, rng)


def _swap_within(question: str, context: str, golds: set[str], answer_sentence: str,
                 rng: random.Random, kind: str = "name") -> str | None:
    """The question with one name (or number) the context holds swapped for another of the paragraph.

    SQuAD 2.0's writers mostly swapped in words of the paragraph itself (`null_stats.py`: its
    unanswerable questions miss fewer of the paragraph's words than the answerable ones), so an
    absent name (`_swap_entity`) teaches a cue its dev set does not have. To keep the result
    unanswerable the substitute must be absent from the answer's sentence, and no sentence holding
    it may hold more than one of the question's other content words.

    With `kind="number"` a number is swapped for another of the paragraph with as many digits (a
    year for a year): the question then sets a condition the paragraph contradicts ("What happened
    in 1875?" where 1875 is the year of something else).
    """
    mentions = _mentions(context)[kind]
    sentences = [(context[s:e], _content_words(context[s:e])) for s, e in _sentence_spans(context)]
    choices = []
    for m in _mentions(question)[kind]:
        if question.startswith(m) or m not in context or any(m in g for g in golds):
            continue
        rest = _content_words(question.replace(m, " "))
        subs = sorted({x for x in mentions if x != m and (kind == "name" or len(x) == len(m))
                       and x not in question and x not in answer_sentence
                       and not any(x in g or g in x for g in golds)
                       and all(len(rest & words) <= 1 for t, words in sentences if x in t)})
        if subs:
            choices.append((m, subs))
    return _replace_one(question, choices, rng)


def _reverse_roles(question: str, context: str, golds: set[str], rng: random.Random) -> str | None:
    """The question with two names of the paragraph trading places ("What did Edison pay Tesla?" ->
    "What did Tesla pay Edison?"): the same words, the relation reversed.

    Names with only function words between them are left alone: joined by "and", "or" or a comma,
    swapping them keeps the meaning, and "the Congregation of the Holy Cross" is one name; so are
    names after "between", and adjectives of nationality ("Islamic", "Mediterranean"), which do not
    stand where a noun does. Neither may be in a gold answer. A name's "the" moves with it ("What
    did the Romans call Britain?" -> "What did Britain call the Romans?"); a possessive "'s" stays.
    """
    found = []
    for m in NAME.finditer(question):
        start, end = m.span()
        end -= 2 if question[:end].endswith("'s") else 0
        name = question[start:end]
        if start == 0 or name not in context or any(name in g for g in golds) or ADJECTIVE.search(name):
            continue
        start -= 4 if question[:start].endswith("the ") else 0
        found.append((start, end))
    pairs = [(a, b) for i, a in enumerate(found) for b in found[i + 1:]
             if question[a[0]:a[1]] != question[b[0]:b[1]]
             and _content_words(question[a[1]:b[0]])
             and not re.search(r"\bbetween\s*$", question[:a[0]])]
    if not pairs:
        return None
    (a0, a1), (b0, b1) = rng.choice(pairs)
    return question[:a0] + question[b0:b1] + question[a1:b0] + question[a0:a1] + question[b1:]


def _replace_one(question: str, choices: list[tuple[str, list[str]]], rng: random.Random) -> str | None:
    """The question with one chosen mention replaced by one of its substitutes; None without choices."""
    if not choices:
        return None
    m, subs = rng.choice(choices)
    return question.replace(m, rng.choice(subs), 1)


def negate(question: str) -> str | None:
    """The question with "never" before its verb ("Who never founded"), or "not" before the participle
    after its auxiliary ("What was X not designed in"); None when neither is found or it is negated."""
    if NEGATION.search(question):
        return None
    words = question.split(" ")
    if len(words) > 2 and words[0].lower() in ("who", "what", "which") and re.fullmatch(r"[a-z]+ed", words[1]) \
            and words[1] not in NOT_PARTICIPLES:
        return " ".join([words[0], "never", *words[1:]])
    for i, w in enumerate(words[:-1]):
        if w.lower() in AUXILIARY:
            for j in range(i + 1, min(len(words), i + 6)):
                bare = words[j].rstrip("?,.")
                if (re.fullmatch(r"[a-z]+ed", bare) and bare not in NOT_PARTICIPLES) or bare in IRREGULAR_PARTICIPLES:
                    # "has been shown" -> "has not been shown", not "has been not shown"
                    at = i + 1 if any(x in ("be", "been") for x in words[i + 1:j]) else j
                    return " ".join([*words[:at], "not", *words[at:]])
            return None
    return None


def _opposite(question: str, context: str, rng: random.Random) -> str | None:
    """The question with one word swapped for an opposite (or another ordinal) the context lacks.

    The substitute counts as present when the context holds any word starting with it ("ended" for
    "end"), so an answerable question is rarely made by chance."""
    ctx = context.lower()
    choices = []
    for m in re.finditer(r"\b[a-z]+\b", question):
        subs = [x for x in OPPOSITE.get(m.group(0), [])
                if not re.search(rf"\b{x}", ctx) and not re.search(rf"\b{x}\b", question)]
        if subs:
            choices.append((m, subs))
    if not choices:
        return None
    m, subs = rng.choice(choices)
    return question[:m.start()] + rng.choice(subs) + question[m.end():]


def _content_words(text: str) -> set[str]:
    return {w for w in WORD.findall(text.lower()) if w not in STOPWORDS}


def _lookalike(question: str, golds: set[str], pi: int, para_words: list[set[str]],
               idf: dict[str, float]) -> int | None:
    """Index of the other paragraph sharing the most question words, by IDF weight, that lacks the answer.

    It must share two words at least; with fewer it is no closer than "another paragraph". "Lacks"
    is strict: a paragraph holding every content word of a gold answer ("the 1990s" for "1990s")
    may answer in other words, so it is no negative.
    """
    q = _content_words(question)
    gold_words = [_content_words(g) for g in golds]
    best, best_score = None, 0.0
    for i, words in enumerate(para_words):
        shared = q & words
        if i == pi or len(shared) < 2 or any(g <= words for g in gold_words):
            continue
        score = sum(idf[w] for w in shared)
        if score > best_score:
            best, best_score = i, score
    return best


def _remove_answer_sentence(context: str, start: int, end: int) -> str:
    return " ".join(context[s:e] for s, e in _sentence_spans(context) if e <= start or s >= end)


def _example(kind: str, question: str, context: str, answer_start: int = -1, answer_text: str | None = None) -> dict:
    """One training example; `kind` names the recipe that made it (probe_negatives.py reports by it)."""
    return {"kind": kind, "question": question, "context": context, "answer_start": answer_start,
            "answer_text": answer_text}


def build_examples(squad: dict, neg_ratio: float, seed: int, limit: int = 0,
                   swap_ratio: float = 0.0, short_ratio: float = 0.0, negation_ratio: float = 0.0,
                   antonym_ratio: float = 0.0, lookalike_ratio: float = 0.0,
                   within_swap_ratio: float = 0.0, number_swap_ratio: float = 0.0,
                   role_swap_ratio: float = 0.0) -> list[dict]:
    """Answerable examples and synthetic unanswerable ones, in a fixed order for a given seed.

    Entity swaps and short contexts draw from their own random stream, negations and antonyms from
    a third, lookalike paragraphs from a fourth, swaps within the paragraph from a fifth, number
    swaps from a sixth, reversed roles from a seventh, so with their ratios 0 the examples are
    exactly those of the runs made before they existed (their checkpoints index into this list).
    """
    rng = random.Random(seed)
    swap_rng = random.Random(seed + 1)
    rewrite_rng = random.Random(seed + 2)
    lookalike_rng = random.Random(seed + 3)
    within_rng = random.Random(seed + 4)
    number_rng = random.Random(seed + 5)
    role_rng = random.Random(seed + 6)
    out: list[dict] = []
    for article in squad["data"]:
        paras = [p["context"] for p in article["paragraphs"]]
        pool = _mentions(" ".join(paras)) if swap_ratio else {}
        pool = {k: sorted(set(v)) for k, v in pool.items()}
        para_words = [_content_words(p) for p in paras] if lookalike_ratio else []
        doc_freq = Counter(w for words in para_words for w in words)
        idf = {w: math.log(len(paras) / n) + 1.0 for w, n in doc_freq.items()}
        for pi, para in enumerate(article["paragraphs"]):
            for qa in para["qas"]:
                ans = qa["answers"][0]
                golds = {a["text"] for a in qa["answers"]}
                out.append(_example("answerable", qa["question"], para["context"], ans["answer_start"], ans["text"]))
                s = ans["answer_start"]
                sent, at = _answer_sentence(para["context"], s, s + len(ans["text"]))
                if short_ratio and swap_rng.random() < short_ratio and sent != para["context"]:
                    out.append(_example("answer sentence only", qa["question"], sent, at, ans["text"]))
                rewritten = []
                if swap_ratio and swap_rng.random() < swap_ratio:
                    rewritten.append(("entity swap", _swap_entity(qa["question"], para["context"], golds, pool,
                                                                  swap_rng)))
                if negation_ratio and rewrite_rng.random() < negation_ratio:
                    rewritten.append(("negation", negate(qa["question"])))
                if antonym_ratio and rewrite_rng.random() < antonym_ratio:
                    rewritten.append(("antonym", _opposite(qa["question"], para["context"], rewrite_rng)))
                out.extend(_example(kind, q, para["context"]) for kind, q in rewritten if q)
                if within_swap_ratio and within_rng.random() < within_swap_ratio:
                    q = _swap_within(qa["question"], para["context"], golds, sent, within_rng)
                    if q:
                        out.append(_example("swap within the paragraph", q, para["context"]))
                if number_swap_ratio and number_rng.random() < number_swap_ratio:
                    q = _swap_within(qa["question"], para["context"], golds, sent, number_rng, kind="number")
                    if q:
                        out.append(_example("number swap within the paragraph", q, para["context"]))
                if role_swap_ratio and role_rng.random() < role_swap_ratio:
                    q = _reverse_roles(qa["question"], para["context"], golds, role_rng)
                    if q:
                        out.append(_example("roles reversed", q, para["context"]))
                if lookalike_ratio and lookalike_rng.random() < lookalike_ratio:
                    other_i = _lookalike(qa["question"], golds, pi, para_words, idf)
                    if other_i is not None:
                        out.append(_example("lookalike paragraph", qa["question"], paras[other_i]))
                if rng.random() >= neg_ratio:
                    continue
                if rng.random() < 0.5 and len(paras) > 1:
                    kind, other = "another paragraph", paras[rng.choice([i for i in range(len(paras)) if i != pi])]
                else:
                    kind, other = "answer sentence removed", _remove_answer_sentence(para["context"], s,
                                                                                     s + len(ans["text"]))
                if other.strip() and not any(g in other for g in golds):
                    out.append(_example(kind, qa["question"], other))
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
