"""Writes test/fixtures/pytorch-layers.json: PyTorch's outputs and gradients for the convolution,
pooling, normalisation, recurrent and attention ops and layers.

The TypeScript tests (test/pytorch-layers.test.ts) rebuild every case from the JSON alone: the same
inputs, the layer's state dict under PyTorch's names, the loss sum(output * upstream); they never
need Python. Run from packages/nn with PyTorch installed (`pip install --no-index --no-deps torch`):

    python3 scripts/generate-fixtures.py && npx biome format --write test/fixtures/pytorch-layers.json

Options are written in backprop's camelCase and translated here, so the JSON holds each case as
the tests call it.
"""

import json
import pathlib

import torch
import torch.nn as nn
import torch.nn.functional as F

OUT = pathlib.Path(__file__).resolve().parent.parent / "test" / "fixtures" / "pytorch-layers.json"
torch.manual_seed(0)


def t(x):
    """A tensor as {shape, data} (float32 values, or integers and booleans as they are)."""
    x = x.detach()
    if x.dtype == torch.bool:
        data = [bool(v) for v in x.reshape(-1).tolist()]
    else:
        # Nine significant digits hold a float32 exactly and keep the file small.
        data = [v if isinstance(v, int) else float(f"{v:.9g}") for v in x.reshape(-1).tolist()]
    return {"shape": list(x.shape), "dtype": str(x.dtype).replace("torch.", ""), "data": data}


def leaf(*shape):
    return torch.randn(*shape, requires_grad=True)


def snake(options):
    names = {
        "outputPadding": "output_padding",
        "ceilMode": "ceil_mode",
        "countIncludePad": "count_include_pad",
        "divisorOverride": "divisor_override",
    }
    return {names.get(k, k): (tuple(v) if isinstance(v, list) else v) for k, v in options.items()}


def backward(outputs):
    """sum(output * upstream) over every output; returns the upstream tensors."""
    ups = [torch.randn_like(o) for o in outputs]
    sum((o * u).sum() for o, u in zip(outputs, ups)).backward()
    return ups


FUNCTIONAL = []


def functional(name, op, fn, inputs, options, kernel=None):
    outs = fn(*inputs, **({"kernel_size": tuple(kernel) if isinstance(kernel, list) else kernel} if kernel is not None else {}), **snake(options))
    indices = None
    if isinstance(outs, tuple):
        outs, indices = outs
    ups = backward([outs])
    case = {
        "name": name,
        "op": op,
        "options": options,
        "inputs": [t(x) if x is not None else None for x in inputs],
        "output": t(outs),
        "upstream": t(ups[0]),
        "grads": [t(x.grad) if x is not None and x.requires_grad else None for x in inputs],
    }
    if kernel is not None:
        case["kernelSize"] = kernel
    if indices is not None:
        case["indices"] = t(indices)
    FUNCTIONAL.append(case)


# Convolutions: stride, padding (incl. 'same' with an even kernel), dilation, groups, odd sizes.
functional("conv2d 3x3", "conv2d", F.conv2d, [leaf(2, 3, 5, 6), leaf(4, 3, 3, 3), leaf(4)], {})
functional("conv2d stride 2 padding 1", "conv2d", F.conv2d, [leaf(2, 3, 7, 5), leaf(4, 3, 3, 3), leaf(4)], {"stride": 2, "padding": 1})
functional("conv2d 2x3 kernel stride [2,1] padding [1,0]", "conv2d", F.conv2d, [leaf(1, 2, 6, 7), leaf(3, 2, 2, 3), leaf(3)], {"stride": [2, 1], "padding": [1, 0]})
functional("conv2d dilation 2", "conv2d", F.conv2d, [leaf(2, 2, 7, 8), leaf(3, 2, 3, 3), None], {"dilation": 2, "padding": 1})
functional("conv2d groups 2", "conv2d", F.conv2d, [leaf(2, 4, 5, 5), leaf(6, 2, 3, 3), leaf(6)], {"groups": 2, "padding": 1})
functional("conv2d depthwise stride 2", "conv2d", F.conv2d, [leaf(1, 3, 6, 6), leaf(3, 1, 3, 3), leaf(3)], {"groups": 3, "stride": 2})
functional("conv2d same, even kernel, dilation", "conv2d", F.conv2d, [leaf(1, 2, 5, 6), leaf(3, 2, 4, 2), leaf(3)], {"padding": "same", "dilation": [1, 2]})
functional("conv1d stride 2 padding 1", "conv1d", F.conv1d, [leaf(2, 3, 9), leaf(4, 3, 3), leaf(4)], {"stride": 2, "padding": 1})
functional("conv1d groups, same, dilation", "conv1d", F.conv1d, [leaf(2, 4, 8), leaf(6, 2, 4), leaf(6)], {"groups": 2, "padding": "same", "dilation": 2})
functional("convTranspose2d stride 2 padding 1 outputPadding 1", "convTranspose2d", F.conv_transpose2d, [leaf(2, 3, 3, 4), leaf(3, 2, 3, 3), leaf(2)], {"stride": 2, "padding": 1, "outputPadding": 1})
functional("convTranspose2d groups 2 dilation 2", "convTranspose2d", F.conv_transpose2d, [leaf(1, 4, 3, 3), leaf(4, 3, 2, 3), leaf(6)], {"groups": 2, "dilation": 2, "stride": [1, 2]})
# Pools.
functional("maxPool2d 2", "maxPool2d", F.max_pool2d, [leaf(2, 3, 6, 7)], {}, kernel=2)
functional("maxPool2d 3 stride 2 padding 1 with indices", "maxPool2dWithIndices", lambda x, **k: F.max_pool2d(x, return_indices=True, **k), [leaf(2, 2, 7, 6)], {"stride": 2, "padding": 1}, kernel=3)
functional("maxPool2d dilation 2 ceilMode", "maxPool2dWithIndices", lambda x, **k: F.max_pool2d(x, return_indices=True, **k), [leaf(1, 2, 8, 9)], {"stride": 2, "dilation": 2, "ceilMode": True}, kernel=[2, 3])
functional("avgPool2d 2", "avgPool2d", F.avg_pool2d, [leaf(2, 3, 6, 5)], {}, kernel=2)
functional("avgPool2d 3 stride 2 padding 1 ceilMode", "avgPool2d", F.avg_pool2d, [leaf(1, 2, 8, 7)], {"stride": 2, "padding": 1, "ceilMode": True}, kernel=3)
functional("avgPool2d padding excluded", "avgPool2d", F.avg_pool2d, [leaf(1, 2, 5, 5)], {"stride": 2, "padding": 1, "countIncludePad": False}, kernel=3)
functional("avgPool2d divisorOverride", "avgPool2d", F.avg_pool2d, [leaf(1, 1, 4, 6)], {"divisorOverride": 3}, kernel=[2, 3])
x = leaf(2, 3, 7, 5)
y = F.adaptive_avg_pool2d(x, (3, 2))
ups = backward([y])
FUNCTIONAL.append({"name": "adaptiveAvgPool2d 7x5 to 3x2", "op": "adaptiveAvgPool2d", "options": {}, "outputSize": [3, 2], "inputs": [t(x)], "output": t(y), "upstream": t(ups[0]), "grads": [t(x.grad)]})

# Scaled dot-product attention (bool masks: true = attend).
ATTENTION = []


def attention(name, q, k, v, options, mask=None):
    out = F.scaled_dot_product_attention(q, k, v, attn_mask=mask, is_causal=options.get("isCausal", False), scale=options.get("scale"))
    ups = backward([out])
    ATTENTION.append({
        "name": name,
        "options": options,
        "mask": t(mask) if mask is not None else None,
        "inputs": [t(q), t(k), t(v)],
        "output": t(out),
        "upstream": t(ups[0]),
        "grads": [t(q.grad), t(k.grad), t(v.grad)],
    })


attention("causal", leaf(2, 2, 4, 3), leaf(2, 2, 5, 3), leaf(2, 2, 5, 4), {"isCausal": True})
bool_mask = torch.rand(4, 5) > 0.3
bool_mask[:, 0] = True
attention("bool mask", leaf(2, 4, 3), leaf(2, 5, 3), leaf(2, 5, 2), {}, bool_mask)
attention("float mask and scale", leaf(1, 3, 3, 4), leaf(1, 3, 6, 4), leaf(1, 3, 6, 4), {"scale": 0.7}, torch.randn(3, 1, 6))

# Layers: state dict under PyTorch's names, inputs, outputs and every gradient.
MODULES = []


def module(name, kind, args, options, m, inputs, run, call=None):
    m.train()
    state = {k: t(v) for k, v in m.state_dict().items()}  # before the forward pass updates any buffer
    outputs = run(m, *inputs)
    ups = backward(outputs)
    MODULES.append({
        "name": name,
        "kind": kind,
        "args": args,
        "options": options,
        "call": call or {},
        "state": state,
        "inputs": [t(x) for x in inputs],
        "outputs": [t(o) for o in outputs],
        "upstream": [t(u) for u in ups],
        "inputGrads": [t(x.grad) if x.requires_grad else None for x in inputs],
        "paramGrads": {k: t(p.grad) for k, p in m.named_parameters()},
        "stateAfter": {k: t(v) for k, v in m.state_dict().items()},
    })


module("Conv2d", "Conv2d", [3, 4, [3, 2]], {"stride": 2, "padding": 1}, nn.Conv2d(3, 4, (3, 2), stride=2, padding=1), [leaf(2, 3, 6, 5)], lambda m, x: [m(x)])
module("ConvTranspose2d", "ConvTranspose2d", [2, 3, 3], {"stride": 2}, nn.ConvTranspose2d(2, 3, 3, stride=2), [leaf(1, 2, 3, 3)], lambda m, x: [m(x)])
bn = nn.BatchNorm2d(3)
module("BatchNorm2d training", "BatchNorm2d", [3], {}, bn, [leaf(4, 3, 3, 2)], lambda m, x: [m(x)])
gn = nn.GroupNorm(2, 4)
with torch.no_grad():
    gn.weight.copy_(torch.randn(4))
    gn.bias.copy_(torch.randn(4))
module("GroupNorm", "GroupNorm", [2, 4], {}, gn, [leaf(2, 4, 3, 3)], lambda m, x: [m(x)])
rms = nn.RMSNorm([3, 4], eps=1e-6)
with torch.no_grad():
    rms.weight.copy_(torch.randn(3, 4))
module("RMSNorm", "RMSNorm", [[3, 4]], {"eps": 1e-6}, rms, [leaf(2, 3, 4)], lambda m, x: [m(x)])
module("RNN 2 layers batchFirst with h0", "RNN", [3, 5], {"numLayers": 2, "batchFirst": True}, nn.RNN(3, 5, num_layers=2, batch_first=True), [leaf(2, 4, 3), leaf(2, 2, 5)], lambda m, x, h: [*m(x, h)])
module("RNN relu", "RNN", [2, 3], {"nonlinearity": "relu"}, nn.RNN(2, 3, nonlinearity="relu"), [leaf(3, 2, 2)], lambda m, x: [*m(x)])
module("LSTM 2 layers with state", "LSTM", [3, 4], {"numLayers": 2}, nn.LSTM(3, 4, num_layers=2), [leaf(5, 2, 3), leaf(2, 2, 4), leaf(2, 2, 4)], lambda m, x, h, c: (lambda o: [o[0], o[1][0], o[1][1]])(m(x, (h, c))))
module("LSTM batchFirst no bias", "LSTM", [2, 3], {"batchFirst": True, "bias": False}, nn.LSTM(2, 3, batch_first=True, bias=False), [leaf(2, 3, 2)], lambda m, x: (lambda o: [o[0], o[1][0], o[1][1]])(m(x)))
module("GRU batchFirst", "GRU", [3, 4], {"batchFirst": True}, nn.GRU(3, 4, batch_first=True), [leaf(2, 5, 3)], lambda m, x: [*m(x)])
module("GRU 2 layers with h0", "GRU", [2, 3], {"numLayers": 2}, nn.GRU(2, 3, num_layers=2), [leaf(4, 1, 2), leaf(2, 1, 3)], lambda m, x, h: [*m(x, h)])
causal = torch.triu(torch.ones(4, 4, dtype=torch.bool), diagonal=1)  # true = masked out, as nn.MultiheadAttention
padding = torch.tensor([[False, False, False, True], [False, False, False, False]])
mha = nn.MultiheadAttention(8, 2, batch_first=True)
with torch.no_grad():
    mha.in_proj_bias.copy_(torch.randn(24) * 0.1)
    mha.out_proj.bias.copy_(torch.randn(8) * 0.1)
module(
    "MultiheadAttention self, causal and key padding",
    "MultiheadAttention",
    [8, 2],
    {"batchFirst": True},
    mha,
    [leaf(2, 4, 8)],
    lambda m, x: [*m(x, x, x, attn_mask=causal, key_padding_mask=padding)],
    {"attnMask": t(causal), "keyPaddingMask": t(padding)},
)
module(
    "MultiheadAttention cross, per-head weights",
    "MultiheadAttention",
    [6, 3],
    {},
    nn.MultiheadAttention(6, 3),
    [leaf(3, 2, 6), leaf(5, 2, 6), leaf(5, 2, 6)],
    lambda m, q, k, v: [*m(q, k, v, average_attn_weights=False)],
    {"averageAttnWeights": False},
)
module(
    "TransformerEncoderLayer post-norm relu with padding",
    "TransformerEncoderLayer",
    [8, 2],
    {"dimFeedforward": 16, "dropout": 0, "batchFirst": True},
    nn.TransformerEncoderLayer(8, 2, dim_feedforward=16, dropout=0.0, batch_first=True),
    [leaf(2, 4, 8)],
    lambda m, x: [m(x, src_key_padding_mask=padding)],
    {"srcKeyPaddingMask": t(padding)},
)
square = nn.Transformer.generate_square_subsequent_mask(5)
module(
    "DecoderOnlyBlock (TransformerEncoderLayer norm_first gelu, causal)",
    "DecoderOnlyBlock",
    [8, 2],
    {},
    nn.TransformerEncoderLayer(8, 2, dim_feedforward=32, dropout=0.0, activation="gelu", batch_first=True, norm_first=True),
    [leaf(2, 5, 8)],
    lambda m, x: [m(x, src_mask=square, is_causal=True)],
)

# Windows that tile the input exactly (core reshapes instead of gathering); drawn last so the cases above keep their values.
functional("maxPool2d 2 tiling, with indices", "maxPool2dWithIndices", lambda x, **k: F.max_pool2d(x, return_indices=True, **k), [leaf(2, 2, 4, 6)], {}, kernel=2)
functional("avgPool2d [2, 3] tiling", "avgPool2d", F.avg_pool2d, [leaf(1, 2, 4, 6)], {}, kernel=[2, 3])

OUT.parent.mkdir(parents=True, exist_ok=True)
OUT.write_text(json.dumps({"torch": torch.__version__, "functional": FUNCTIONAL, "attention": ATTENTION, "modules": MODULES}) + "\n")
print(f"wrote {OUT} ({OUT.stat().st_size} bytes)")
