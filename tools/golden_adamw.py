"""Golden AdamW steps from PyTorch for tests/train/adamw_test.ts.

Run with Debian's PyTorch:  /usr/bin/python3 tools/golden_adamw.py
Writes fixtures/golden/adamw.json: torch.optim.AdamW (decoupled weight decay, bias correction, amsgrad off) in
float64 for five steps with a changing learning rate on a 2-D weight (decayed) and a 1-D bias (its own parameter
group with weight_decay 0, as FaceX-Zoo's Swin recipe puts 1-D parameters), with fixed gradients. Tensors are
stored flat, row-major. Not run in CI; its output is committed.
"""
import json
import pathlib

import torch

torch.manual_seed(20261206)
torch.set_default_dtype(torch.float64)

BETAS = (0.9, 0.999)
EPS = 1e-8
WEIGHT_DECAY = 0.05
LRS = [0.01, 0.02, 0.015, 0.005, 0.01]

weight = torch.randn(3, 4).requires_grad_()
bias = torch.randn(4).requires_grad_()
initial = {"weight": weight.detach().flatten().tolist(), "bias": bias.detach().flatten().tolist()}
optimizer = torch.optim.AdamW(
    [{"params": [weight], "weight_decay": WEIGHT_DECAY}, {"params": [bias], "weight_decay": 0.0}],
    lr=LRS[0],
    betas=BETAS,
    eps=EPS,
)

steps = []
for lr in LRS:
    for group in optimizer.param_groups:
        group["lr"] = lr
    grads = {"weight": torch.randn(3, 4), "bias": torch.randn(4)}
    weight.grad = grads["weight"].clone()
    bias.grad = grads["bias"].clone()
    optimizer.step()
    steps.append({
        "lr": lr,
        "grads": {k: v.flatten().tolist() for k, v in grads.items()},
        "after": {
            name: {
                "param": p.detach().flatten().tolist(),
                "expAvg": optimizer.state[p]["exp_avg"].flatten().tolist(),
                "expAvgSq": optimizer.state[p]["exp_avg_sq"].flatten().tolist(),
            }
            for name, p in (("weight", weight), ("bias", bias))
        },
    })

golden = {
    "generator": "tools/golden_adamw.py",
    "torch": torch.__version__,
    "hyper": {"beta1": BETAS[0], "beta2": BETAS[1], "eps": EPS, "weightDecay": WEIGHT_DECAY},
    "shapes": {"weight": [3, 4], "bias": [4]},
    "initial": initial,
    "steps": steps,
}
out = pathlib.Path(__file__).resolve().parent.parent / "fixtures" / "golden" / "adamw.json"
out.write_text(json.dumps(golden, indent=1) + "\n")
print(f"wrote {out}")
