"""Exports a fine-tuned guard model (finetune.py's .pt) to ONNX and quantizes it to int8 the way ONNX Runtime's
dynamic quantization does (MatMul weights per output column, symmetric; the word-embedding table per row), using
only the onnx package:

    python3 security/keel-guard/train/export.py --weights target/guard-model.pt --out keel-guard-minilm.onnx

Inputs: input_ids, attention_mask (int64, [batch, tokens]); output: scores (float, [batch, 2]) =
sigmoid([injection, harmful]).
"""
import argparse

import numpy as np
import onnx
import torch
from onnx import TensorProto, helper, numpy_helper

import minilm
from finetune import GuardModel


class Scores(torch.nn.Module):
    def __init__(self, model):
        super().__init__()
        self.model = model

    def forward(self, input_ids, attention_mask):
        return torch.sigmoid(self.model(input_ids, attention_mask))


def quantize(model: onnx.ModelProto) -> onnx.ModelProto:
    g = model.graph
    init = {i.name: i for i in g.initializer}
    nodes = []
    drop = set()
    added = []
    for n in g.node:
        w = init.get(n.input[1]) if n.op_type == "MatMul" and len(n.input) == 2 else None
        if w is not None and len(w.dims) == 2:
            arr = numpy_helper.to_array(w).astype(np.float32)
            scale = np.maximum(np.abs(arr).max(axis=0), 1e-8) / 127.0
            q = np.clip(np.round(arr / scale), -127, 127).astype(np.int8)
            base = w.name.replace(":", "_")
            added += [numpy_helper.from_array(q, base + "_q"),
                      numpy_helper.from_array(np.zeros(arr.shape[1], np.int8), base + "_zp"),
                      numpy_helper.from_array(scale.astype(np.float32), base + "_scale")]
            drop.add(w.name)
            x = n.input[0]
            o = n.output[0]
            nodes += [
                helper.make_node("DynamicQuantizeLinear", [x], [o + "_xq", o + "_xs", o + "_xzp"]),
                helper.make_node("MatMulInteger", [o + "_xq", base + "_q", o + "_xzp", base + "_zp"], [o + "_i32"]),
                helper.make_node("Cast", [o + "_i32"], [o + "_f"], to=TensorProto.FLOAT),
                helper.make_node("Mul", [o + "_xs", base + "_scale"], [o + "_s"]),
                helper.make_node("Mul", [o + "_f", o + "_s"], [o]),
            ]
            continue
        t = init.get(n.input[0]) if n.op_type == "Gather" else None
        if t is not None and len(t.dims) == 2 and t.dims[0] > 1000:
            arr = numpy_helper.to_array(t).astype(np.float32)
            scale = (np.maximum(np.abs(arr).max(axis=1, keepdims=True), 1e-8) / 127.0).astype(np.float32)
            q = np.clip(np.round(arr / scale), -127, 127).astype(np.int8)
            base = t.name.replace(":", "_")
            added += [numpy_helper.from_array(q, base + "_q"), numpy_helper.from_array(scale, base + "_scale")]
            drop.add(t.name)
            o = n.output[0]
            nodes += [
                helper.make_node("Gather", [base + "_q", n.input[1]], [o + "_q"], axis=0),
                helper.make_node("Cast", [o + "_q"], [o + "_f"], to=TensorProto.FLOAT),
                helper.make_node("Gather", [base + "_scale", n.input[1]], [o + "_s"], axis=0),
                helper.make_node("Mul", [o + "_f", o + "_s"], [o]),
            ]
            continue
        nodes.append(n)
    keep = [i for i in g.initializer if i.name not in drop] + added
    del g.initializer[:]
    g.initializer.extend(keep)
    del g.node[:]
    g.node.extend(nodes)
    onnx.checker.check_model(model)
    return model


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--weights", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--fp32", help="also write the float model here")
    args = ap.parse_args()
    state = torch.load(args.weights)
    layers = len({k.split(".")[2] for k in state if k.startswith("encoder.layers.")})
    model = GuardModel(minilm.MiniLm(layers))
    model.load_state_dict(state)
    model.eval()
    ids = torch.tensor([[101, 7592, 2088, 102]])
    mask = torch.ones_like(ids)
    tmp = args.out + ".fp32.onnx" if not args.fp32 else args.fp32
    torch.onnx.export(Scores(model), (ids, mask), tmp, input_names=["input_ids", "attention_mask"],
                      output_names=["scores"], opset_version=14,
                      dynamic_axes={"input_ids": {0: "batch", 1: "tokens"}, "attention_mask": {0: "batch", 1: "tokens"},
                                    "scores": {0: "batch"}})
    m = quantize(onnx.load(tmp))
    m.producer_name = "keel-guard train/export.py"
    onnx.save(m, args.out)
    if not args.fp32:
        import os
        os.remove(tmp)


if __name__ == "__main__":
    main()
