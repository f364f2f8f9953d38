"""How well a reader's no-answer score tells SQuAD 2.0's unanswerable questions from the rest.

    python training/null_auc.py training/runs/eval/NAME-v2.0 [...]

Reads the null odds `evaluate.py` (that is, `qa eval squad --out`) wrote for dev-v2.0 and prints
their ROC AUC: the chance that an unanswerable question gets higher odds than an answerable one
(0.5 is a coin, 1.0 perfect). The tuned threshold can only trade one kind of error for the other;
the AUC says how much there is to trade, independent of the threshold. A second row per report
takes only the unanswerable questions with a negation word (squad_data.NEGATION), the kind the
"negation" synthetic examples copy, against all the answerable ones.
"""

from __future__ import annotations

import bisect
import json
import statistics
import sys
from pathlib import Path

from evaluate import SQUAD  # the one place that knows where ../shared's SQuAD lies
from squad_data import NEGATION

DEV = SQUAD / "dev-v2.0.public.json"


def auc(positives: list[float], negatives: list[float]) -> float:
    """P(positive > negative), ties counted half (Mann-Whitney U over the pairs)."""
    neg = sorted(negatives)
    wins = sum(bisect.bisect_left(neg, x) + 0.5 * (bisect.bisect_right(neg, x) - bisect.bisect_left(neg, x))
               for x in positives)
    return wins / (len(positives) * len(neg))


def main() -> None:
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    data = json.loads(DEV.read_text())["data"]
    questions = {q["id"]: q for a in data for p in a["paragraphs"] for q in p["qas"]}
    print("| report | unanswerable | answerable | median null odds (unans. / ans.) | ROC AUC |\n"
          "| --- | ---: | ---: | --- | ---: |")
    for folder in sys.argv[1:]:
        odds = json.loads((Path(folder) / "null_odds.json").read_text())
        ans = [v for k, v in odds.items() if questions[k]["answers"]]
        unans = {k: v for k, v in odds.items() if not questions[k]["answers"]}
        negated = [v for k, v in unans.items() if NEGATION.search(questions[k]["question"])]
        for name, subset in ((Path(folder).name, list(unans.values())), ("  with a negation word", negated)):
            print(f"| {name} | {len(subset)} | {len(ans)} | "
                  f"{statistics.median(subset):.2f} / {statistics.median(ans):.2f} | {auc(subset, ans):.3f} |")


if __name__ == "__main__":
    main()
