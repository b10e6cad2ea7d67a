#!/usr/bin/env python3
"""Converts a HippoRAG multi-hop sample (questions JSON + corpus JSON) into BEIR layout for `keel bench beir`.

    python3 bench/multihop/hipporag_to_beir.py QUESTIONS.json CORPUS.json OUT_DIR [--prefix h] [--exclude QUERIES.jsonl]

Writes OUT_DIR/corpus.jsonl (`_id`, `title`, `text`, in the corpus file's order), OUT_DIR/queries.jsonl (`_id`, `text`)
and OUT_DIR/qrels/test.tsv (a question's supporting passages, score 1). Two question formats are read:

- HotpotQA (`supporting_facts` [[title, sentence], ...], corpus a {title: [sentences]} map): a supporting passage is
  the corpus entry of that title;
- MuSiQue (`paragraphs` with `is_supporting`, corpus a [{title, text}] list): a supporting paragraph is the corpus
  entry with the same title and text.

A supporting passage missing from the corpus is an error. `--exclude` drops questions whose id or text appears in a
BEIR queries.jsonl (e.g. keep a tuning set apart from ../shared/datasets/musique-100). Only the standard library.
The data itself is not part of the repository (see docs/knowledge-graph.md for the source commit and paths).
"""
import argparse
import json
import os
import sys


def passages(corpus):
    if isinstance(corpus, dict):  # HotpotQA: title -> sentences
        return [(title, "".join(sentences).strip()) for title, sentences in corpus.items()]
    return [(p["title"], p["text"].strip()) for p in corpus]


def supporting(question):
    if "supporting_facts" in question:
        return [(title, None) for title in dict.fromkeys(t for t, _ in question["supporting_facts"])]
    return [(p["title"], p["paragraph_text"].strip()) for p in question["paragraphs"] if p.get("is_supporting")]


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("questions")
    ap.add_argument("corpus")
    ap.add_argument("out")
    ap.add_argument("--prefix", default="p", help="corpus id prefix (ids are PREFIX0, PREFIX1, ... in corpus order)")
    ap.add_argument("--exclude", help="BEIR queries.jsonl whose questions (by id or text) are left out")
    args = ap.parse_args()

    with open(args.questions, encoding="utf-8") as f:
        questions = json.load(f)
    with open(args.corpus, encoding="utf-8") as f:
        corpus = passages(json.load(f))
    excluded = set()
    if args.exclude:
        with open(args.exclude, encoding="utf-8") as f:
            for line in f:
                q = json.loads(line)
                excluded.update((q["_id"], q["text"].strip()))

    by_title, by_title_text = {}, {}
    for i, (title, text) in enumerate(corpus):
        by_title.setdefault(title, f"{args.prefix}{i}")
        by_title_text.setdefault((title, text), f"{args.prefix}{i}")

    os.makedirs(os.path.join(args.out, "qrels"), exist_ok=True)
    kept = dropped = pairs = 0
    with open(os.path.join(args.out, "corpus.jsonl"), "w", encoding="utf-8") as f:
        for i, (title, text) in enumerate(corpus):
            f.write(json.dumps({"_id": f"{args.prefix}{i}", "title": title, "text": text}) + "\n")
    with open(os.path.join(args.out, "queries.jsonl"), "w", encoding="utf-8") as fq, \
            open(os.path.join(args.out, "qrels", "test.tsv"), "w", encoding="utf-8") as fr:
        fr.write("query-id\tcorpus-id\tscore\n")
        for q in questions:
            qid = str(q.get("_id") or q.get("id"))
            text = q["question"].strip()
            if qid in excluded or text in excluded:
                dropped += 1
                continue
            ids = []
            for title, ptext in supporting(q):
                pid = by_title.get(title) if ptext is None else by_title_text.get((title, ptext))
                if pid is None:
                    sys.exit(f"question {qid}: supporting passage '{title}' is not in the corpus")
                if pid not in ids:
                    ids.append(pid)
            fq.write(json.dumps({"_id": qid, "text": text}) + "\n")
            for pid in ids:
                fr.write(f"{qid}\t{pid}\t1\n")
            kept += 1
            pairs += len(ids)
    print(f"{len(corpus)} passages, {kept} questions ({dropped} excluded), {pairs} supporting passages -> {args.out}")


if __name__ == "__main__":
    main()
