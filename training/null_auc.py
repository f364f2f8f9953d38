"""How well a reader's no-answer score tells SQuAD 2.0's unanswerable questions from the rest.

    python training/null_auc.py training/runs/eval/NAME-v2.0 [...]

Reads the null odds `evaluate.py` (that is, `qa eval squad --out`) wrote for dev-v2.0 and prints
their ROC AUC: the chance that an unanswerable question gets higher odds than an answerable one
(0.5 is a coin, 1.0 perfect). The tuned threshold can only trade one kind of error for the other;
the AUC says how much there is to trade, independent of the threshold. Further rows per report
take the unanswerable questions of one kind that synthetic examples copy (with a negation word,
with a number the paragraph holds, with two names it holds), against all the answerable ones and
against the answerable ones of the same kind: a reader that learnt the kind as a cue separates
the first pair better but not the second.
"""

from __future__ import annotations

import bisect
import json
import re
import statistics
import sys
from pathlib import Path

from evaluate import SQUAD  # the one place that knows where ../shared's SQuAD lies
from squad_data import NEGATION, _mentions

DEV = SQUAD / "dev-v2.0.public.json"


def auc(positives: list[float], negatives: list[float]) -> float:
    """P(positive > negative), ties counted half (Mann-Whitney U over the pairs)."""
    neg = sorted(negatives)
    wins = sum(bisect.bisect_left(neg, x) + 0.5 * (bisect.bisect_right(neg, x) - bisect.bisect_left(neg, x))
               for x in positives)
    return wins / (len(positives) * len(neg))


def _holds_number(q: str, context: str) -> bool:
    return any(re.search(rf"\b{m}\b", context) for m in _mentions(q)["number"])


def _holds_two_names(q: str, context: str) -> bool:
    return len({m for m in _mentions(q)["name"] if not q.startswith(m) and m in context}) >= 2


# Subsets of the questions, the kinds of question some synthetic negatives copy (squad_data.py).
SUBSETS = (("with a negation word", lambda q, c: bool(NEGATION.search(q))),
           ("with a number the paragraph holds", _holds_number),
           ("with two names the paragraph holds", _holds_two_names))


def main() -> None:
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    data = json.loads(DEV.read_text())["data"]
    questions = {q["id"]: (q, p["context"]) for a in data for p in a["paragraphs"] for q in p["qas"]}
    print("| report | unanswerable | answerable | median null odds (unans. / ans.) | ROC AUC | "
          "ROC AUC against the answerable of the subset |\n| --- | ---: | ---: | --- | ---: | ---: |")
    for folder in sys.argv[1:]:
        odds = json.loads((Path(folder) / "null_odds.json").read_text())
        ans = {k: v for k, v in odds.items() if questions[k][0]["answers"]}
        unans = {k: v for k, v in odds.items() if not questions[k][0]["answers"]}
        print(f"| {Path(folder).name} | {len(unans)} | {len(ans)} | {statistics.median(unans.values()):.2f} / "
              f"{statistics.median(ans.values()):.2f} | {auc(list(unans.values()), list(ans.values())):.3f} | |")
        for name, holds in SUBSETS:
            sub_unans = [v for k, v in unans.items() if holds(questions[k][0]["question"], questions[k][1])]
            sub_ans = [v for k, v in ans.items() if holds(questions[k][0]["question"], questions[k][1])]
            print(f"|   {name} | {len(sub_unans)} | {len(sub_ans)} | {statistics.median(sub_unans):.2f} / "
                  f"{statistics.median(sub_ans):.2f} | {auc(sub_unans, list(ans.values())):.3f} | "
                  f"{auc(sub_unans, sub_ans):.3f} |")


if __name__ == "__main__":
    main()
