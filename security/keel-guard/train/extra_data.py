"""Converts the extra public training data (fetched by hand, see fetch-extra.sh) into one JSON-lines file for
FineTuneExport's optional third argument: one object a line with text, source, inj (injection label), harm (harm
label). The rows are training-only: FineTuneExport drops any that equal a shared data set's row or share a 25-character
substring with a held-out row, and finetune.py never puts them in the development part.

    python3 extra_data.py --advbench advbench_behaviors.csv --harmbench harmbench_behaviors_text_all.csv \
        --strongreject strongreject_dataset.csv --gsm8k train.jsonl --out guard-extra.jsonl

Every input is checked against the SHA-256 recorded in SOURCES, so a different file is refused, not silently used.
"""
import argparse
import csv
import hashlib
import json
import random
import sys

# name -> (licence, repository @ commit : path, sha256 of the file)
SOURCES = {
    "advbench": ("MIT (Zou et al. 2023, llm-attacks/llm-attacks data/advbench/harmful_behaviors.csv)",
                 "busycalibrating/AdversariaLLM @ f970939273ea17b491fadf6001fddc36ed3ae3ff : "
                 "data/behavior_datasets/extra_behavior_datasets/advbench_behaviors.csv (HarmBench's copy of AdvBench; "
                 "its 520 behaviours all equal goals of the fork YancyKahn/PocoGCG @ 131c8900 : "
                 "data/advbench/harmful_behaviors.csv, which adds one row)",
                 "0e635254df9065ae6f8d074534b660fa7a361d1ad269e2c8e1b7377961802a86"),
    "harmbench": ("MIT (centerforaisafety/HarmBench, LICENSE.txt beside the file)",
                  "busycalibrating/AdversariaLLM @ f970939273ea17b491fadf6001fddc36ed3ae3ff : "
                  "data/behavior_datasets/harmbench_behaviors_text_all.csv",
                  "2745611872be3b2eab141e39bb328b8c1140dc3cd8d0a49da6174260d9ccbfb9"),
    "strongreject": ("MIT (Souly et al. 2024, StrongREJECT)",
                     "busycalibrating/AdversariaLLM @ f970939273ea17b491fadf6001fddc36ed3ae3ff : "
                     "data/behavior_datasets/strongreject_dataset.csv",
                     "4dd70357e4ff8b5d0ba5ebafecab5d6dd5633ce8046e3dd1c8bd93e64de44381"),
    "gsm8k": ("MIT (openai/grade-school-math)",
              "openai/grade-school-math @ 3101c7d5072418e28b9008a6636bde82a006892c : grade_school_math/data/train.jsonl",
              "17f347dc51477c50d4efb83959dbb7c56297aba886e5544ee2aaed3024813465"),
}
# StrongREJECT rows taken from other collections: "DAN" are the forbidden questions of verazuo/jailbreak_llms (the
# source of part of the shared injection-extra set), "AdvBench" duplicates advbench.
STRONGREJECT_SKIP = {"DAN", "AdvBench"}
# HarmBench's copyright behaviours ask for song lyrics or book passages: not harmful requests in the content-safety
# sense the harm head scores.
HARMBENCH_KEEP = {"standard", "contextual"}


def sha256(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


def checked(name, path):
    got = sha256(path)
    if got != SOURCES[name][2]:
        sys.exit(f"{path}: SHA-256 {got} is not the recorded {name} file {SOURCES[name][2]} ({SOURCES[name][1]})")
    return path


def advbench(path):
    return [r["Behavior"] for r in csv.DictReader(open(checked("advbench", path), encoding="utf-8"))]


def harmbench(path):
    return [r["Behavior"] for r in csv.DictReader(open(checked("harmbench", path), encoding="utf-8"))
            if r["FunctionalCategory"] in HARMBENCH_KEEP]


def strongreject(path):
    return [r["forbidden_prompt"] for r in csv.DictReader(open(checked("strongreject", path), encoding="utf-8"))
            if r["source"] not in STRONGREJECT_SKIP]


def gsm8k(path, n, seed):
    rows = [json.loads(l)["question"] for l in open(checked("gsm8k", path), encoding="utf-8")]
    random.Random(seed).shuffle(rows)
    return rows[:n]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--advbench")
    ap.add_argument("--harmbench")
    ap.add_argument("--strongreject")
    ap.add_argument("--gsm8k")
    ap.add_argument("--gsm8k-rows", type=int, default=1000, help="a fixed-seed sample of the 7,473 questions")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--out", required=True)
    args = ap.parse_args()
    out = []
    if args.advbench:
        out += [(t, "advbench", 0, 1) for t in advbench(args.advbench)]
    if args.harmbench:
        out += [(t, "harmbench", 0, 1) for t in harmbench(args.harmbench)]
    if args.strongreject:
        out += [(t, "strongreject", 0, 1) for t in strongreject(args.strongreject)]
    if args.gsm8k:
        out += [(t, "gsm8k", 0, 0) for t in gsm8k(args.gsm8k, args.gsm8k_rows, args.seed)]
    if not out:
        sys.exit("no input file given")
    with open(args.out, "w", encoding="utf-8") as f:
        for text, source, inj, harm in out:
            f.write(json.dumps({"text": text.strip(), "source": source, "inj": inj, "harm": harm}, ensure_ascii=False) + "\n")
    counts = {}
    for _, s, _, _ in out:
        counts[s] = counts.get(s, 0) + 1
    print(f"wrote {len(out)} rows to {args.out}: {counts}")


if __name__ == "__main__":
    main()
