"""PyTorch CPU peer of the training-step benchmark in benchmarks/kernels_bench.ts (--train).

Times the same step in PyTorch: backbone -> 100-class linear -> softmax cross-entropy -> backward -> SGD (momentum
0.9, lr 0.1), float32, 112x112 inputs, for IR-50 (batch 8) and MobileFaceNet (batch 16), using the PyTorch
re-statements of face.evoLVe's / FaceX-Zoo's modules in tools/golden_backbones.py. Median of `--steps` timed steps
after one warm-up step, at the given intra-op thread count. Prints one JSON object: {"torch": version, "threads": n,
"imagesPerSecond": {"mobilefacenet": ..., "ir_50": ...}}.

Run: /usr/bin/python3 tools/torch_train_bench.py --threads 2 [--steps 3]
"""
import argparse
import json
import statistics
import time

import torch
from torch import nn

from golden_backbones import Ir, MobileFaceNet

MODELS = {
    "mobilefacenet": (16, lambda: MobileFaceNet(112, [64, 128], [1, 4, 6, 2], [128, 256, 512, 256], 512, 64, 512)),
    "ir_50": (8, lambda: Ir(112, [3, 4, 14, 3], [64, 128, 256, 512], False, 16, 512)),
}


def images_per_second(build, batch, steps):
    torch.manual_seed(1)
    model, fc = build(), nn.Linear(512, 100, bias=False)
    model.train()
    opt = torch.optim.SGD(list(model.parameters()) + list(fc.parameters()), lr=0.1, momentum=0.9)
    x = torch.rand(batch, 3, 112, 112) * 2 - 1
    labels = torch.arange(batch) % 100

    def step():
        loss = nn.functional.cross_entropy(fc(model(x)), labels)
        loss.backward()
        opt.step()
        opt.zero_grad()

    step()
    times = []
    for _ in range(steps):
        start = time.perf_counter()
        step()
        times.append(time.perf_counter() - start)
    return batch / statistics.median(times)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--steps", type=int, default=3)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    rates = {name: images_per_second(build, batch, args.steps) for name, (batch, build) in MODELS.items()}
    print(json.dumps({"torch": torch.__version__, "threads": args.threads, "imagesPerSecond": rates}))


if __name__ == "__main__":
    main()
