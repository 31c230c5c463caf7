"""PyTorch CPU peer of the training-step benchmark in benchmarks/kernels_bench.ts (--train) and, with --infer, of
the eval-mode forward in benchmarks/onnx_speed.ts.

Times the same step in PyTorch: backbone -> 100-class linear -> softmax cross-entropy -> backward -> SGD (momentum
0.9, lr 0.1), float32, 112x112 inputs, for IR-50 (batch 8), MobileFaceNet (batch 16) and ViT-T (batch 8), using the
PyTorch re-statements of face.evoLVe's / FaceX-Zoo's / arcface_torch's modules in tools/golden_backbones.py. ViT-T
trains as arcface_torch's `vit_t` does and as facebench's preset does: drop-path rising linearly over the 12 blocks
to 0.1 and random masking of 10% of the 144 patches (129 tokens kept). Median of `--steps` timed steps after one
warm-up step, at the given intra-op thread count. With --infer it times the backbone's eval-mode forward under
torch.no_grad() instead (batch from --batch, default 1). Prints one JSON object: {"torch": version, "threads": n,
"isa": {"onednn": ..., "aten": ...}, "imagesPerSecond": {"mobilefacenet": ..., "ir_50": ..., "vit_t": ...}} (only the
`--models` asked for). "isa" is the instruction set PyTorch ran its kernels with, as reported at run time: oneDNN's
(convolutions, from its verbose header) and ATen's CPU capability (element-wise and normalisation kernels). Both
follow the environment: ONEDNN_MAX_CPU_ISA=AVX2 ATEN_CPU_CAPABILITY=avx2 caps them at AVX2 on an AVX-512 machine, which
is how benchmarks/_torch_peer.ts measures the AVX2 peer (`--peer-isa avx2` of the speed benchmarks).

Run: /usr/bin/python3 tools/torch_train_bench.py --threads 2 [--steps 3] [--models vit_t,ir_50] [--infer --batch 16]
"""
import argparse
import ctypes
import json
import os
import statistics
import sys
import tempfile
import time

import torch
from torch import nn

from golden_backbones import Ir, MobileFaceNet, ViT


def drop_path(x, rate, training):  # timm `drop_path`: one Bernoulli(1 - rate) per sample, survivors scaled up
    if rate == 0 or not training:
        return x
    keep = x.new_empty(x.shape[0], 1, 1).bernoulli_(1 - rate)
    return x * keep / (1 - rate)


class TrainingViT(ViT):  # arcface_torch `VisionTransformer.forward_features` in training: masking and drop-path on
    def __init__(self, depth, drop_path_rate, mask_ratio, **shape):
        super().__init__(depth=depth, **shape)
        self.rates = torch.linspace(0, drop_path_rate, depth).tolist()
        self.mask_ratio = mask_ratio

    def forward(self, x):
        tokens = self.patch_embed(x).flatten(2).transpose(1, 2) + self.pos_embed
        n, p, d = tokens.shape
        keep = int(p * (1 - self.mask_ratio))
        shuffle = torch.rand(n, p).argsort(dim=1)  # arcface_torch `random_masking`: keep the lowest-noise tokens
        restore = shuffle.argsort(dim=1)
        x = tokens.gather(1, shuffle[:, :keep, None].expand(-1, -1, d))
        for block, rate in zip(self.blocks, self.rates):
            x = x + drop_path(block.attn(block.norm1(x)), rate, self.training)
            x = x + drop_path(block.mlp(block.norm2(x)), rate, self.training)
        x = torch.cat([self.norm(x), self.mask_token.expand(n, p - keep, d)], dim=1)
        return self.feature(x.gather(1, restore[..., None].expand(-1, -1, d)).flatten(1))


MODELS = {
    "mobilefacenet": (16, lambda: MobileFaceNet(112, [64, 128], [1, 4, 6, 2], [128, 256, 512, 256], 512, 64, 512)),
    "ir_50": (8, lambda: Ir(112, [3, 4, 14, 3], [64, 128, 256, 512], False, 16, 512)),
    "vit_t": (8, lambda: TrainingViT(size=112, patch=9, d=256, depth=12, heads=8, ratio=4, emb=512,
                                     drop_path_rate=0.1, mask_ratio=0.1)),
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

    return batch / median_seconds(step, steps)


def median_seconds(step, steps):
    step()
    times = []
    for _ in range(steps):
        start = time.perf_counter()
        step()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def inference_images_per_second(build, batch, steps):
    torch.manual_seed(1)
    model = build()
    model.eval()
    x = torch.rand(batch, 3, 112, 112) * 2 - 1

    def forward():
        with torch.no_grad():
            model(x)

    return batch / median_seconds(forward, steps)


def onednn_isa():
    """oneDNN's ISA line ("Intel AVX2", ...), read from the verbose header of one convolution run with verbose on."""
    if not torch.backends.mkldnn.is_available():
        return "not in this build"
    sys.stdout.flush()
    saved = os.dup(1)
    with tempfile.TemporaryFile(mode="w+") as log:
        os.dup2(log.fileno(), 1)  # oneDNN prints from C to file descriptor 1
        try:
            with torch.backends.mkldnn.verbose(torch.backends.mkldnn.VERBOSE_ON):
                nn.functional.conv2d(torch.zeros(2, 16, 8, 8), torch.zeros(16, 16, 3, 3))
            ctypes.CDLL(None).fflush(None)
        finally:
            os.dup2(saved, 1)
            os.close(saved)
        log.seek(0)
        lines = [line for line in log.read().splitlines() if ",isa:" in line]
    return lines[0].split(",isa:", 1)[1] if lines else "unknown (the probe convolution did not run on oneDNN)"


def aten_capability():
    """ATen's CPU capability ("AVX2", "AVX512", ...) as torch's build summary states it."""
    lines = [line for line in torch.__config__.show().splitlines() if "CPU capability usage:" in line]
    return lines[0].split(":", 1)[1].strip() if lines else "unknown"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--steps", type=int, default=3)
    parser.add_argument("--models", default=",".join(MODELS), help="comma-separated subset of " + ", ".join(MODELS))
    parser.add_argument("--infer", action="store_true", help="time the eval-mode forward instead of a training step")
    parser.add_argument("--batch", type=int, default=1, help="batch of the eval-mode forward (with --infer)")
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    rates = {}
    for name in args.models.split(","):
        batch, build = MODELS[name]
        if args.infer:
            rates[name] = inference_images_per_second(build, args.batch, args.steps)
        else:
            rates[name] = images_per_second(build, batch, args.steps)
    isa = {"onednn": onednn_isa(), "aten": aten_capability()}
    print(json.dumps({"torch": torch.__version__, "threads": args.threads, "isa": isa, "imagesPerSecond": rates}))


if __name__ == "__main__":
    main()
