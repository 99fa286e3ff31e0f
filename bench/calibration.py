#!/usr/bin/env python3
"""Calibration of extracted fields' confidence against the corpus ground truth.

  python3 bench/calibration.py ../shared/corpus/dev results.jsonl

results.jsonl is `shenbao extract --json` output. Each predicted field is right or wrong by the
corpus scorer's own comparison (its `equal`, loaded from ../shared/corpus/score, so both agree). Prints,
for confidence thresholds, how many fields reach them and what share of those is right, and the lowest
threshold at which at least 97% are right.
"""
import importlib.machinery
import importlib.util
import json
import os
import sys


def load_scorer(split):
    # the scorer beside the split (../shared/corpus/score for dev), else the shared one (for a
    # generated or the real split elsewhere)
    path = os.path.join(os.path.dirname(os.path.abspath(split.rstrip("/"))), "score")
    if not os.path.exists(path):
        path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "shared", "corpus", "score")
    loader = importlib.machinery.SourceFileLoader("corpus_score", path)
    spec = importlib.util.spec_from_loader("corpus_score", loader)
    mod = importlib.util.module_from_spec(spec)
    loader.exec_module(mod)
    return mod


def main():
    split, results = sys.argv[1], sys.argv[2]
    sc = load_scorer(split)
    pairs = []  # (confidence, right)
    for line in open(results, encoding="utf-8"):
        r = json.loads(line)
        try:
            gt = json.load(open(os.path.join(split, r["file"] + ".json"), encoding="utf-8"))
        except OSError:
            continue
        for name, f in r.get("fields", {}).items():
            value = f.get("value") if isinstance(f, dict) else f
            conf = f.get("confidence", 0) if isinstance(f, dict) else 0
            right = name in gt["fields"] and sc.equal(name, gt["fields"][name], value)
            pairs.append((conf, right))
    pairs.sort(key=lambda p: -p[0])
    total = len(pairs)
    print(f"{total} predicted fields, {sum(r for _, r in pairs)} right")
    print("threshold  fields  share  precision")
    best = None
    for t in [0.0, 0.5, 0.6, 0.7, 0.8, 0.85, 0.9, 0.93, 0.95, 0.97, 0.99]:
        sel = [r for c, r in pairs if c >= t]
        if not sel:
            continue
        prec = sum(sel) / len(sel)
        print(f"  ≥{t:<6} {len(sel):6d}  {len(sel)/total:5.2f}  {prec:9.3f}")
        if best is None and prec >= 0.97:
            best = (t, len(sel), prec)
    if best:
        print(f"lowest threshold with precision ≥ 0.97: {best[0]} ({best[1]} fields, {best[1]/total:.0%} of all, precision {best[2]:.3f})")
    else:
        print("no threshold reaches precision 0.97")


if __name__ == "__main__":
    main()
