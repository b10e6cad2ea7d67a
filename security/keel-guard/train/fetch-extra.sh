#!/usr/bin/env bash
# Extra training data for the guard model, from public repositories outside the shared datasets folder. Nothing of it
# is kept in git: this script records where each file comes from and converts the files you fetched into the
# training-only rows that train.sh takes as its second argument.
#
#   security/keel-guard/train/fetch-extra.sh DIR OUT.jsonl
#
# DIR holds the four files below under the names given; each is checked against its SHA-256 (extra_data.py) and a
# different file is refused. Get them from a clone of each repository at the commit named, e.g.
#   git -C AdversariaLLM show f970939273ea17b491fadf6001fddc36ed3ae3ff:data/behavior_datasets/strongreject_dataset.csv > DIR/strongreject_dataset.csv
#
# | file in DIR                      | rows used                        | licence | repository @ commit : path                                           |
# |----------------------------------|----------------------------------|---------|----------------------------------------------------------------------|
# | advbench_behaviors.csv           | 520 harmful behaviours (AdvBench)| MIT     | busycalibrating/AdversariaLLM @ f970939273ea17b491fadf6001fddc36ed3ae3ff : data/behavior_datasets/extra_behavior_datasets/advbench_behaviors.csv |
# | harmbench_behaviors_text_all.csv | 300 (standard + contextual; the 100 copyright ones are not harmful requests) | MIT | same commit : data/behavior_datasets/harmbench_behaviors_text_all.csv |
# | strongreject_dataset.csv         | 253 (without the 35 "DAN" rows, which come from verazuo/jailbreak_llms, and the 25 "AdvBench" rows) | MIT | same commit : data/behavior_datasets/strongreject_dataset.csv |
# | gsm8k_train.jsonl                | 1,000 questions, random.Random(0) sample of 7,473 (benign) | MIT | openai/grade-school-math @ 3101c7d5072418e28b9008a6636bde82a006892c : grade_school_math/data/train.jsonl |
#
# SHA-256: advbench_behaviors.csv 0e635254df9065ae6f8d074534b660fa7a361d1ad269e2c8e1b7377961802a86,
# harmbench_behaviors_text_all.csv 2745611872be3b2eab141e39bb328b8c1140dc3cd8d0a49da6174260d9ccbfb9,
# strongreject_dataset.csv 4dd70357e4ff8b5d0ba5ebafecab5d6dd5633ce8046e3dd1c8bd93e64de44381,
# gsm8k_train.jsonl 17f347dc51477c50d4efb83959dbb7c56297aba886e5544ee2aaed3024813465.
# AdversariaLLM keeps HarmBench's data folder (its LICENSE.txt is HarmBench's MIT licence); its AdvBench behaviours equal
# the 520 goals of llm-attacks' data/advbench/harmful_behaviors.csv (checked against the fork YancyKahn/PocoGCG @
# 131c89005c410871dfeb53940ec4c7388084edfb, which adds one row).
#
# FineTuneExport then drops every row equal (NFKC, lower case, whitespace collapsed) to a row of a shared data set, or
# sharing a 25-character substring with a held-out row, and writes the rest as training-only rows (never held out,
# never in the development part): see docs/security.md for the counts.
# Not used: stanford_alpaca's alpaca_data.json (CC BY-NC 4.0), jailbreak or injection collections related to the shared
# injection-extra sources, and any copy of deepset, XSTest or Do-Not-Answer.
set -euo pipefail
DIR=$(realpath "${1:?usage: fetch-extra.sh DIR OUT.jsonl}")
OUT=$(realpath "${2:?usage: fetch-extra.sh DIR OUT.jsonl}")
cd "$(dirname "$0")"
/usr/bin/python3 extra_data.py --advbench "$DIR/advbench_behaviors.csv" --harmbench "$DIR/harmbench_behaviors_text_all.csv" \
  --strongreject "$DIR/strongreject_dataset.csv" --gsm8k "$DIR/gsm8k_train.jsonl" --gsm8k-rows 1000 --seed 0 --out "$OUT"
