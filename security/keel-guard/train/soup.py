"""Averages the weights of guard models fine-tuned from the same base with different seeds (a "model soup",
Wortsman et al. 2022) and reports the average on the development part beside each member, at thresholds the same
development caps choose. Held-out rows are scored only with --held-out, after the choice.

    python3 soup.py --data guard-data.jsonl --members seed42.pt seed43.pt seed44.pt --out soup
"""
import argparse
import json

import torch

import minilm
from finetune import (GuardModel, HARM_CAPS, INJECTION_CAPS, dev_part, report, score, summary, threshold,
                      truncate)


def load(path):
    state = torch.load(path)
    layers = len({k.split(".")[2] for k in state if k.startswith("encoder.layers.")})
    model = GuardModel(minilm.MiniLm(layers))
    model.load_state_dict(state)
    return model, state


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", required=True)
    ap.add_argument("--members", nargs="+", required=True)
    ap.add_argument("--out")
    ap.add_argument("--held-out", action="store_true", help="also report the held-out part (after the choice)")
    ap.add_argument("--threads", type=int, default=2)
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    rows = [json.loads(l) for l in open(args.data)]
    rows = [r for r in rows if not r.get("extra")]
    for r in rows:
        r["ids"] = truncate(r["ids"])
    dev = [r for r in rows if not r["held_out"] and dev_part(r)]
    held = [r for r in rows if r["held_out"]]
    models = [load(p) for p in args.members]
    results = {}
    member_scores = []
    for path, (model, _) in zip(args.members, models):
        ds = score(model, dev)
        member_scores.append(ds)
        th = (threshold(dev, ds, 0, INJECTION_CAPS), threshold(dev, ds, 1, HARM_CAPS))
        results[path] = {"thresholds": th, "development": summary(dev, ds, th)}
    # the soup: the element-wise mean of every member's weights
    soup_state = {k: sum(s[k].float() for _, s in models) / len(models) for k in models[0][1]}
    soup = GuardModel(minilm.MiniLm(len({k.split(".")[2] for k in soup_state if k.startswith("encoder.layers.")})))
    soup.load_state_dict(soup_state)
    ds = score(soup, dev)
    th = (threshold(dev, ds, 0, INJECTION_CAPS), threshold(dev, ds, 1, HARM_CAPS))
    results["soup"] = {"thresholds": th, "development": summary(dev, ds, th)}
    report("development part, soup", dev, ds, th)
    # for comparison only: the mean of the members' probabilities (costs one pass per member)
    es = [[sum(m[i][h] for m in member_scores) / len(member_scores) for h in range(2)] for i in range(len(dev))]
    eth = (threshold(dev, es, 0, INJECTION_CAPS), threshold(dev, es, 1, HARM_CAPS))
    results["ensemble"] = {"thresholds": eth, "development": summary(dev, es, eth)}
    print(json.dumps(results, indent=2))
    if args.out:
        torch.save(soup_state, args.out + ".pt")
    if args.held_out:
        hs = score(soup, held)
        report("HELD OUT, soup, at the development thresholds", held, hs, th)
        print(json.dumps({"soup_held_out": summary(held, hs, th)}, indent=2))


if __name__ == "__main__":
    main()
