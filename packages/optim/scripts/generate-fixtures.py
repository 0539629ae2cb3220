"""Writes test/fixtures/pytorch.json: PyTorch's optimizer steps and learning-rate sequences.

The TypeScript tests replay the same cases (test/fixtures.test.ts) and compare; they never need
Python. Run from packages/optim with PyTorch installed (`pip install --no-index --no-deps torch`):

    python3 scripts/generate-fixtures.py

Option names are written in backprop's camelCase and translated here, so the JSON holds the cases
exactly as the tests construct them.
"""

import json
import math
import pathlib
import re
import subprocess

import torch

OUT = pathlib.Path(__file__).resolve().parent.parent / "test" / "fixtures" / "pytorch.json"

# The quadratic every optimizer case minimises: loss = sum(a * p^2 / 2 + b * p), grad = a * p + b.
P0 = [0.5, -1.5, 2.0, 0.25, -0.75, 1.25]
A = [1.0, 0.5, 2.0, 0.1, 3.0, 1.5]
B = [0.3, -0.2, 0.1, 0.4, -0.5, 0.05]
OPTIMIZER_STEPS = 8
SCHEDULER_STEPS = 50

OPTIMIZERS = [
    ("SGD", {"lr": 0.1, "momentum": 0.9, "nesterov": True, "weightDecay": 0.01}),
    ("Adam", {"lr": 0.1, "amsgrad": True}),
    ("AdamW", {"lr": 0.05}),
    ("RMSprop", {"lr": 0.01, "centered": True, "momentum": 0.5}),
    ("Adagrad", {"lr": 0.1, "lrDecay": 0.05}),
    ("NAdam", {}),
    ("NAdam", {"lr": 0.1}),
    ("NAdam", {"lr": 0.05, "betas": [0.8, 0.99], "weightDecay": 0.1, "momentumDecay": 0.01}),
    ("NAdam", {"lr": 0.05, "weightDecay": 0.1, "decoupledWeightDecay": True, "maximize": True}),
    ("RAdam", {}),
    ("RAdam", {"lr": 0.1}),
    # beta2 = 0.9 gives rho_inf = 19, so the rectified branch (rho_t > 5) starts at step 6.
    ("RAdam", {"lr": 0.1, "betas": [0.9, 0.9], "weightDecay": 0.1}),
    ("RAdam", {"lr": 0.1, "betas": [0.8, 0.9], "weightDecay": 0.2, "decoupledWeightDecay": True}),
    ("Adamax", {}),
    ("Adamax", {"lr": 0.1}),
    ("Adamax", {"lr": 0.05, "betas": [0.8, 0.95], "eps": 1e-4, "weightDecay": 0.1, "maximize": True}),
    ("Adadelta", {}),
    ("Adadelta", {"lr": 0.5, "rho": 0.5}),
    ("Adadelta", {"lr": 2.0, "rho": 0.95, "eps": 1e-4, "weightDecay": 0.1}),
    ("Rprop", {}),
    ("Rprop", {"lr": 0.1}),
    ("Rprop", {"lr": 0.5, "etas": [0.3, 1.5], "stepSizes": [0.01, 0.8]}),
    ("Rprop", {"lr": 0.05, "maximize": True}),
]

# Functions a LambdaLR / MultiplicativeLR case names; test/fixtures.test.ts has the same table.
LAMBDAS = {
    "constant95": lambda e: 0.95,
    "inverse": lambda e: 1 / (e + 1),
    "halveEvery10": lambda e: 0.5 if e % 10 == 0 else 1.0,
}

SCHEDULERS = [
    ("StepLR", {"stepSize": 7, "gamma": 0.5}),
    ("MultiStepLR", {"milestones": [5, 12, 12, 30], "gamma": 0.3}),
    ("ConstantLR", {}),
    ("ConstantLR", {"factor": 0.5, "totalIters": 12}),
    ("LinearLR", {}),
    ("LinearLR", {"startFactor": 0.1, "endFactor": 0.8, "totalIters": 20}),
    ("ExponentialLR", {"gamma": 0.93}),
    ("PolynomialLR", {}),
    ("PolynomialLR", {"totalIters": 30, "power": 2.0}),
    ("CosineAnnealingLR", {"tMax": 10, "etaMin": 0.001}),
    ("CosineAnnealingLR", {"tMax": 50}),
    ("MultiplicativeLR", {"lambda": "constant95"}),
    ("LambdaLR", {"lambda": "inverse"}),
    ("CosineAnnealingWarmRestarts", {"t0": 10}),
    ("CosineAnnealingWarmRestarts", {"t0": 4, "tMult": 2, "etaMin": 0.01}),
    ("CyclicLR", {"baseLr": 0.01, "maxLr": 0.1, "stepSizeUp": 5}),
    ("CyclicLR", {"baseLr": 0.01, "maxLr": 0.1, "stepSizeUp": 4, "stepSizeDown": 8, "mode": "triangular2"}),
    ("CyclicLR", {"baseLr": [0.01, 0.02], "maxLr": 0.2, "stepSizeUp": 6, "mode": "exp_range", "gamma": 0.98}),
    ("OneCycleLR", {"maxLr": 0.5, "totalSteps": 60}),
    ("OneCycleLR", {"maxLr": [0.5, 0.2], "totalSteps": 55, "threePhase": True, "annealStrategy": "linear"}),
]

# Several schedulers on one optimizer: "chain" steps each in order every step; ChainedScheduler and
# SequentialLR wrap them.
COMBINATIONS = [
    ("chain", [("ExponentialLR", {"gamma": 0.95}), ("StepLR", {"stepSize": 10, "gamma": 0.5})]),
    ("chain", [("CosineAnnealingLR", {"tMax": 20, "etaMin": 0.01}), ("MultiStepLR", {"milestones": [15, 35], "gamma": 0.5})]),
    ("chain", [("LinearLR", {"startFactor": 0.25, "totalIters": 8}), ("ExponentialLR", {"gamma": 0.97})]),
    ("ChainedScheduler", [("ConstantLR", {"factor": 0.1, "totalIters": 2}), ("ExponentialLR", {"gamma": 0.9})]),
    ("ChainedScheduler", [("PolynomialLR", {"totalIters": 40, "power": 0.5}), ("MultiplicativeLR", {"lambda": "halveEvery10"}), ("StepLR", {"stepSize": 6, "gamma": 0.8})]),
    ("SequentialLR", [("LinearLR", {"startFactor": 0.1, "totalIters": 5}), ("CosineAnnealingLR", {"tMax": 45})], [5]),
    ("SequentialLR", [("ConstantLR", {"factor": 0.5, "totalIters": 3}), ("ExponentialLR", {"gamma": 0.9}), ("StepLR", {"stepSize": 4, "gamma": 0.5})], [10, 25]),
]

RENAMES = {"tMax": "T_max", "t0": "T_0", "tMult": "T_mult", "lrDecay": "lr_decay"}


def snake(name):
    return RENAMES.get(name) or re.sub(r"([A-Z])", lambda m: "_" + m.group(1).lower(), name)


def torch_options(options):
    out = {}
    for k, v in options.items():
        if k == "lambda":
            out["lr_lambda"] = LAMBDAS[v]
        elif isinstance(v, list) and k in ("betas", "etas", "stepSizes"):
            out[snake(k)] = tuple(v)
        else:
            out[snake(k)] = v
    return out


def run_optimizer(name, options):
    p = torch.tensor(P0, dtype=torch.float32).reshape(2, 3).requires_grad_()
    a = torch.tensor(A, dtype=torch.float32).reshape(2, 3)
    b = torch.tensor(B, dtype=torch.float32).reshape(2, 3)
    opt = getattr(torch.optim, name)([p], **torch_options(options))
    steps = []
    for _ in range(OPTIMIZER_STEPS):
        opt.zero_grad()
        (p * p * a * 0.5 + p * b).sum().backward()
        opt.step()
        steps.append([float(v) for v in p.detach().reshape(-1)])
    return {"optimizer": name, "options": options, "params": steps}


def make_optimizer():
    """SGD with momentum and two groups, so lrs are per group and momentum can be cycled."""
    w1 = torch.zeros(2, requires_grad=True)
    w2 = torch.zeros(2, requires_grad=True)
    return torch.optim.SGD([{"params": [w1]}, {"params": [w2], "lr": 0.05}], lr=0.1, momentum=0.9)


def build(opt, name, options):
    return getattr(torch.optim.lr_scheduler, name)(opt, **torch_options(options))


def record(opt, cycles_momentum):
    row = {"lr": [g["lr"] for g in opt.param_groups]}
    if cycles_momentum:
        row["momentum"] = [g["momentum"] for g in opt.param_groups]
    return row


def run_schedule(make_and_step, cycles_momentum=False):
    opt = make_optimizer()
    step = make_and_step(opt)
    rows = [record(opt, cycles_momentum)]
    for _ in range(SCHEDULER_STEPS):
        opt.step()
        step()
        rows.append(record(opt, cycles_momentum))
    return rows


def single(name, options):
    def make(opt):
        s = build(opt, name, options)
        return s.step

    cycles = name in ("CyclicLR", "OneCycleLR")
    return {"kind": "single", "schedulers": [[name, options]], "steps": run_schedule(make, cycles)}


def combination(kind, parts, milestones=None):
    def make(opt):
        subs = [build(opt, n, o) for n, o in parts]
        if kind == "chain":
            return lambda: [s.step() for s in subs]
        if kind == "ChainedScheduler":
            return torch.optim.lr_scheduler.ChainedScheduler(subs).step
        return torch.optim.lr_scheduler.SequentialLR(opt, subs, milestones).step

    case = {"kind": kind, "schedulers": [[n, o] for n, o in parts], "steps": run_schedule(make)}
    if milestones is not None:
        case["milestones"] = milestones
    return case


def main():
    import warnings

    warnings.simplefilter("ignore")
    fixture = {
        "generator": "packages/optim/scripts/generate-fixtures.py",
        "torch": torch.__version__,
        "problem": {"p0": P0, "a": A, "b": B, "shape": [2, 3]},
        "optimizers": [run_optimizer(n, o) for n, o in OPTIMIZERS],
        "schedulers": [single(n, o) for n, o in SCHEDULERS]
        + [combination(*c) for c in COMBINATIONS],
    }
    OUT.write_text(json.dumps(fixture) + "\n")
    # The repository's formatter decides the layout, so `biome check` stays clean.
    subprocess.run(["npx", "biome", "format", "--write", str(OUT)], check=True, capture_output=True)
    print(f"wrote {OUT} ({len(fixture['optimizers'])} optimizer cases, {len(fixture['schedulers'])} schedules)")


if __name__ == "__main__":
    main()
