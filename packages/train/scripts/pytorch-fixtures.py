"""Writes the PyTorch fixtures of @backprop/train's state-dict tests (run from packages/train):

    python3 scripts/pytorch-fixtures.py            # writes fixtures/*.safetensors
    python3 scripts/pytorch-fixtures.py --check    # the reverse direction, see check_backprop()

For each of an MLP (Linear, BatchNorm1d, Tanh), a CNN (Conv2d, BatchNorm2d, ReLU, MaxPool2d,
Flatten, Linear) and a 2-layer LSTM, made and briefly trained in PyTorch, it writes
`NAME.safetensors` (the model's state_dict, PyTorch's names and dtypes) and `NAME.io.safetensors`
(an input and PyTorch's eval-mode output). The safetensors files are written by hand here (the
format is 8 bytes of header length, a JSON header, raw little-endian data), so only torch is needed.

`--check` reads the files test/pytorch-fixtures.test.ts writes from backprop (fixtures/out/NAME.safetensors,
backprop's re-saved state dict with pytorchNames, and NAME.io.safetensors with backprop's output),
loads them with load_state_dict(strict=True) into the PyTorch models and compares the outputs.
"""
import json
import struct
import sys
from pathlib import Path

import torch
from torch import nn

HERE = Path(__file__).resolve().parent.parent / "fixtures"
DTYPES = {torch.float32: "F32", torch.int64: "I64"}
NAMES = {v: k for k, v in DTYPES.items()}


def save(path, tensors):
    header, chunks, offset = {}, [], 0
    for name in sorted(tensors):
        t = tensors[name].detach().contiguous()
        data = t.numpy().astype("<f4" if t.dtype == torch.float32 else "<i8").tobytes()
        header[name] = {"dtype": DTYPES[t.dtype], "shape": list(t.shape), "data_offsets": [offset, offset + len(data)]}
        chunks.append(data)
        offset += len(data)
    text = json.dumps(header).encode()
    text += b" " * (-len(text) % 8)
    path.write_bytes(struct.pack("<Q", len(text)) + text + b"".join(chunks))


def load(path):
    raw = path.read_bytes()
    (n,) = struct.unpack("<Q", raw[:8])
    header = json.loads(raw[8 : 8 + n])
    out = {}
    for name, e in header.items():
        if name == "__metadata__":
            continue
        b, end = e["data_offsets"]
        dtype = NAMES[e["dtype"]]
        buf = bytearray(raw[8 + n + b : 8 + n + end])
        out[name] = torch.frombuffer(buf, dtype=dtype).reshape(e["shape"]) if buf else torch.zeros(e["shape"], dtype=dtype)
    return out


class LSTMOutput(nn.Module):
    """The LSTM's per-step output only, so the model maps one tensor to one tensor."""

    def __init__(self):
        super().__init__()
        self.lstm = nn.LSTM(3, 5, num_layers=2, batch_first=True)

    def forward(self, x):
        return self.lstm(x)[0]


def models():
    torch.manual_seed(0)
    mlp = nn.Sequential(nn.Linear(4, 8), nn.BatchNorm1d(8), nn.Tanh(), nn.Linear(8, 3))
    cnn = nn.Sequential(
        nn.Conv2d(1, 4, 3, padding=1), nn.BatchNorm2d(4), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(), nn.Linear(64, 3)
    )
    lstm = LSTMOutput()
    inputs = {"mlp": torch.randn(5, 4), "cnn": torch.randn(2, 1, 8, 8), "lstm": torch.randn(2, 6, 3)}
    return {"mlp": mlp, "cnn": cnn, "lstm": lstm}, inputs


def write():
    HERE.mkdir(exist_ok=True)
    nets, inputs = models()
    for name, net in nets.items():
        # A few SGD steps in train mode: weights off their initialisation, running statistics off 0 and 1.
        opt = torch.optim.SGD(net.parameters(), lr=0.1)
        for _ in range(3):
            x = torch.randn(8, *inputs[name].shape[1:]) * 2 + 1
            opt.zero_grad()
            net(x).pow(2).mean().backward()
            opt.step()
        net.eval()
        with torch.no_grad():
            out = net(inputs[name])
        save(HERE / f"{name}.safetensors", net.state_dict())
        save(HERE / f"{name}.io.safetensors", {"input": inputs[name], "output": out})
        print(name, {k: list(v.shape) for k, v in net.state_dict().items()})


def check_backprop():
    nets, _ = models()
    worst = 0.0
    for name, net in nets.items():
        state = load(HERE / "out" / f"{name}.safetensors")
        net.load_state_dict(state, strict=True)
        net.eval()
        io = load(HERE / "out" / f"{name}.io.safetensors")
        with torch.no_grad():
            diff = (net(io["input"]) - io["output"]).abs().max().item()
        print(f"{name}: backprop's weights in PyTorch, max |PyTorch - backprop| = {diff:.2e}")
        worst = max(worst, diff)
    sys.exit(0 if worst < 1e-5 else 1)


if __name__ == "__main__":
    check_backprop() if "--check" in sys.argv else write()
