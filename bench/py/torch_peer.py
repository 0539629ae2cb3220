"""PyTorch CPU as a benchmark peer (matmul, MLP, LeNet-5, conv2d), driven by bench/src/cases/torch.ts.

The TypeScript case writes every input (matmul operands, the MNIST split, the initial weights, the
batch order of every epoch) as raw little-endian float32/int32 files into a folder with a
spec.json, so PyTorch multiplies and trains on exactly what the other libraries get; this script
times the same protocol (bench/src/common.ts: timeMatmul, trainMlp) and prints one JSON line.

    python3 torch_peer.py SPEC_DIR
"""

import json
import os
import re
import sys
import time


def load(folder, name, dtype, shape=None):
    import torch

    with open(os.path.join(folder, name), "rb") as f:
        data = bytearray(f.read())
    t = torch.frombuffer(data, dtype=dtype).clone()
    return t.reshape(shape) if shape is not None else t


def peak_rss_mib():
    try:
        with open("/proc/self/status") as f:
            m = re.search(r"VmHWM:\s+(\d+) kB", f.read())
            if m:
                return int(m.group(1)) / 1024
    except OSError:
        pass
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def rss_mib():
    with open("/proc/self/status") as f:
        return int(re.search(r"VmRSS:\s+(\d+) kB", f.read()).group(1)) / 1024


def reset_peak_rss():
    try:
        with open("/proc/self/clear_refs", "w") as f:
            f.write("5")
        return True
    except OSError:
        return False


def median(xs):
    s = sorted(xs)
    mid = len(s) // 2
    return s[mid] if len(s) % 2 == 1 else (s[mid - 1] + s[mid]) / 2


def matmul(folder, spec):
    import torch

    rows = []
    for size in spec["sizes"]:
        n = size["n"]
        a = load(folder, f"a{n}.f32", torch.float32, (n, n))
        b = load(folder, f"b{n}.f32", torch.float32, (n, n))
        first = torch.matmul(a, b)
        if size["check"]:
            with open(os.path.join(folder, f"c{n}.f32"), "wb") as f:
                f.write(bytes(first.contiguous().untyped_storage()))
        times = []
        spent = 0.0
        for _ in range(size["reps"]):
            start = time.perf_counter()
            out = torch.matmul(a, b)
            float(out[0, 0])  # the result is ready (CPU ops are synchronous; this reads it)
            ms = (time.perf_counter() - start) * 1000
            times.append(ms)
            spent += ms
            if spent > spec["budgetMs"]:
                break
        ms = median(times)
        rows.append({"size": n, "gflops": 2 * n**3 / (ms / 1000) / 1e9, "reps": len(times), "medianMs": ms})
    return {"matmul": rows}


def conv2d(folder, spec):
    import torch
    import torch.nn.functional as F

    rows = []
    for i, shape in enumerate(spec["shapes"]):
        x = load(folder, f"x{i}.f32", torch.float32, shape["x"]).requires_grad_()
        w = load(folder, f"w{i}.f32", torch.float32, shape["w"]).requires_grad_()
        g = load(folder, f"g{i}.f32", torch.float32)

        def run():
            y = F.conv2d(x, w, padding=shape["padding"])
            y.backward(g.reshape(y.shape))
            total = float(w.grad.sum())
            x.grad, w.grad = None, None
            return total

        grad_weight_sum = run()
        times, spent = [], 0.0
        for _ in range(3 if spec["quick"] else 7):
            start = time.perf_counter()
            run()
            ms = (time.perf_counter() - start) * 1000
            times.append(ms)
            spent += ms
            if spent > (4000 if spec["quick"] else 10000):
                break
        ms = median(times)
        n, o = shape["x"][0], shape["w"][0]
        c, kh, kw = shape["w"][1:]
        ho = shape["x"][2] + 2 * shape["padding"] - kh + 1
        wo = shape["x"][3] + 2 * shape["padding"] - kw + 1
        flops = 3 * 2 * n * o * ho * wo * c * kh * kw
        rows.append(
            {
                "shape": shape["label"],
                "medianMs": ms,
                "gflops": flops / (ms / 1000) / 1e9,
                "reps": len(times),
                "gradWeightSum": grad_weight_sum,
            }
        )
    return {"conv2d": rows}


def lenet_model(folder, spec):
    import torch
    from torch import nn

    conv1, conv2, k = spec["conv1"], spec["conv2"], spec["kernel"]
    hidden, feature = spec["hidden"], spec["feature"]
    model = nn.Sequential(
        nn.Unflatten(1, (1, spec["image"], spec["image"])),
        nn.Conv2d(1, conv1, k, padding=2),
        nn.ReLU(),
        nn.MaxPool2d(2),
        nn.Conv2d(conv1, conv2, k),
        nn.ReLU(),
        nn.MaxPool2d(2),
        nn.Flatten(),
        nn.Linear(conv2 * feature * feature, hidden[0]),
        nn.ReLU(),
        nn.Linear(hidden[0], hidden[1]),
        nn.ReLU(),
        nn.Linear(hidden[1], spec["classes"]),
    )
    layers = [model[1], model[4], model[8], model[10], model[12]]
    with torch.no_grad():
        for i, (layer, shape) in enumerate(zip(layers, spec["lenetInit"])):
            layer.weight.copy_(load(folder, f"w{i}.f32", torch.float32, shape))
            layer.bias.copy_(load(folder, f"b{i}.f32", torch.float32))
    return model


def mlp(folder, spec):
    import torch
    from torch import nn

    sizes, batch, epochs = spec["sizes"], spec["batchSize"], spec["epochs"]
    n_train, n_test = spec["train"], spec["test"]
    train_x = load(folder, "train_x.f32", torch.float32, (n_train, sizes[0]))
    train_y = load(folder, "train_y.i32", torch.int32).long()
    test_x = load(folder, "test_x.f32", torch.float32, (n_test, sizes[0]))
    test_y = load(folder, "test_y.i32", torch.int32).long()
    # LeNet reads the same [N, 784] rows (its first layer unflattens them) and trains on the first
    # `samples` of each epoch's order.
    n_epoch = min(spec.get("samples", n_train), n_train)
    if spec["benchmark"] == "lenet":
        model = lenet_model(folder, spec)
    else:
        model = nn.Sequential(nn.Linear(sizes[0], sizes[1]), nn.ReLU(), nn.Linear(sizes[1], sizes[2]))
        with torch.no_grad():
            for i, layer in enumerate([model[0], model[2]]):
                layer.weight.copy_(load(folder, f"w{i}.f32", torch.float32, (sizes[i + 1], sizes[i])))
                layer.bias.copy_(load(folder, f"b{i}.f32", torch.float32))
    optimizer = torch.optim.SGD(model.parameters(), lr=spec["lr"])
    loss_fn = nn.CrossEntropyLoss()
    start_rss = rss_mib()
    load_peak = peak_rss_mib()
    reset = reset_peak_rss()
    epoch_seconds, epoch_loss = [], []
    for e in range(epochs):
        order = load(folder, f"order{e}.i32", torch.int32).long()
        start = time.perf_counter()
        loss_sum, loss_count = 0.0, 0
        for s in range(0, n_epoch, batch):
            idx = order[s : min(s + batch, n_epoch)]
            # A fresh copy of the batch, as the other peers gather theirs.
            x, y = train_x[idx], train_y[idx]
            optimizer.zero_grad()
            loss = loss_fn(model(x), y)
            loss.backward()
            optimizer.step()
            loss_sum += loss.item()
            loss_count += 1
        epoch_seconds.append(time.perf_counter() - start)
        epoch_loss.append(loss_sum / loss_count)
    train_peak = peak_rss_mib() if reset else None
    with torch.no_grad():
        predicted = model(test_x).argmax(1)
    timed = epoch_seconds[1:]
    return {
        "mlp": {
            "epochs": epochs,
            "samplesPerSec": n_epoch * len(timed) / sum(timed),
            "epochSeconds": epoch_seconds,
            "epochLoss": epoch_loss,
            "testAccuracy": float((predicted == test_y).float().mean()),
            "peakRssMiB": max(load_peak, peak_rss_mib()),
            "trainPeakRssMiB": train_peak,
            "startRssMiB": start_rss,
        }
    }


def main():
    folder = sys.argv[1]
    with open(os.path.join(folder, "spec.json")) as f:
        spec = json.load(f)
    try:
        import torch
    except ImportError as error:
        print(json.dumps({"unavailable": f"python3 cannot import torch ({error})"}))
        return
    torch.set_num_threads(spec["threads"])
    torch.manual_seed(0)
    run = {"matmul": matmul, "conv2d": conv2d}.get(spec["benchmark"], mlp)
    result = run(folder, spec)
    result["notes"] = [f"PyTorch {torch.__version__}, torch.get_num_threads() = {torch.get_num_threads()}"]
    print(json.dumps(result))


main()
