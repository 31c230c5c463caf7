"""Golden values for the heads and losses (src/models/heads, src/losses), computed with PyTorch in float64.

Each head is written the way its source library computes it (face.evoLVe `head/metrics.py` at dd58c28 for
Softmax/ArcFace/CosFace/SphereFace, FaceX-Zoo `AM_Softmax`, arcface_torch `CombinedMarginLoss`), independently
of our TypeScript code. The combined-margin cases (m1, m2, m3) = (1, 0.3, 0.2) and (1.2, 0.1, 0.1) with the th/mm
fallback follow our documented generalisation of face.evoLVe's fallback. Output: fixtures/golden/heads.json with
the inputs, the logits and the gradients of L = sum(w * logits) with respect to the embeddings and class weights.

Run: /usr/bin/python3 tools/golden_heads.py
"""
import json
import math
import os

import torch
import torch.nn.functional as F

torch.manual_seed(7)
DT = torch.float64
N, D, C = 6, 8, 5

labels = torch.tensor([0, 3, 1, 4, 2, 3])
weight = torch.randn(C, D, dtype=DT)
x = torch.randn(N, D, dtype=DT) * 3
# Sample 0 points away from its class (cos θ_y ≈ -0.95 < cos(π - 0.5)): exercises the th/mm fallback and
# easy_margin; sample 1 has a negative target cosine above the threshold.
x[0] = -weight[0] * 2 + 0.3 * torch.randn(D, dtype=DT)
x[1] = -0.3 * weight[3] + 0.8 * torch.randn(D, dtype=DT)
bias = torch.randn(C, dtype=DT) * 0.1
loss_weights = torch.rand(N, C, dtype=DT) + 0.5
one_hot = F.one_hot(labels, C).to(DT)


def cosine(xx, ww):
    return F.linear(F.normalize(xx), F.normalize(ww))


def softmax_head(xx, ww):
    return F.linear(xx, ww, bias)


def arcface_evo(s, m, easy_margin):
    cos_m, sin_m, th, mm = math.cos(m), math.sin(m), math.cos(math.pi - m), math.sin(math.pi - m) * m

    def head(xx, ww):
        cos = cosine(xx, ww)
        sine = torch.sqrt((1.0 - cos.pow(2)).clamp(1e-9, 1))
        phi = cos * cos_m - sine * sin_m
        phi = torch.where(cos > 0, phi, cos) if easy_margin else torch.where(cos > th, phi, cos - mm)
        return (one_hot * phi + (1.0 - one_hot) * cos) * s

    return head


def arcface_aft(s, m2):
    def head(xx, ww):
        cos = cosine(xx, ww).clamp(-1, 1)
        with torch.no_grad():
            margined = torch.cos(torch.arccos(cos) + m2)
            delta = one_hot * (margined - cos)
        return (cos + delta) * s

    return head


def cosface(s, m):
    def head(xx, ww):
        cos = cosine(xx, ww).clamp(-1, 1)
        return (one_hot * (cos - m) + (1.0 - one_hot) * cos) * s

    return head


def combined(s, m1, m2, m3):
    th, mm = math.cos((math.pi - m2) / m1), math.sin(math.pi - m2) * m2

    def head(xx, ww):
        cos = cosine(xx, ww)
        theta = torch.arccos(cos.clamp(-1 + 1e-7, 1 - 1e-7))
        margined = torch.cos(m1 * theta + m2) - m3
        target = torch.where(cos > th, margined, cos - m3 - mm)
        return (one_hot * target + (1.0 - one_hot) * cos) * s

    return head


def sphereface(iteration):
    lamb = max(5.0, 1000.0 * (1 + 0.12 * (iteration + 1)) ** -1)

    def head(xx, ww):
        cos = cosine(xx, ww).clamp(-1, 1)
        cos_m_theta = 8 * cos**4 - 8 * cos**2 + 1
        theta = cos.data.acos()
        k = (4 * theta / 3.14159265).floor()
        phi = ((-1.0) ** k) * cos_m_theta - 2 * k
        out = one_hot * (phi - cos) / (1 + lamb) + cos
        return out * torch.norm(xx, 2, 1).view(-1, 1)

    return head


CASES = [
    ("softmax", {}, softmax_head),
    ("arcface", {}, arcface_evo(64, 0.5, False)),
    ("arcface", {"easyMargin": True}, arcface_evo(64, 0.5, True)),
    ("arcface_aft", {}, arcface_aft(64, 0.5)),
    ("cosface", {}, cosface(64, 0.35)),
    ("am_softmax", {}, cosface(32, 0.35)),
    ("combined_margin", {}, combined(64, 1.0, 0.3, 0.2)),
    ("combined_margin", {"m1": 1.2, "m2": 0.1, "m3": 0.1}, combined(64, 1.2, 0.1, 0.1)),
    ("sphereface", {"iteration": 0}, sphereface(0)),
    ("sphereface", {"iteration": 9}, sphereface(9)),
]


def flat(t):
    return [float(v) for v in t.detach().reshape(-1)]


heads = []
for name, options, fn in CASES:
    xx = x.clone().requires_grad_(True)
    ww = weight.clone().requires_grad_(True)
    logits = fn(xx, ww)
    (logits * loss_weights).sum().backward()
    heads.append({
        "head": name,
        "options": options,
        "logits": flat(logits),
        "gradEmbeddings": flat(xx.grad),
        "gradWeight": flat(ww.grad),
    })

losses = []
logits_in = torch.randn(N, C, dtype=DT) * 2


def focal_evo(logits, target, gamma=2):
    logp = F.cross_entropy(logits, target)
    p = torch.exp(-logp)
    return ((1 - p) ** gamma * logp).mean()


def focal_sample(logits, target, gamma=2):
    ce = F.cross_entropy(logits, target, reduction="none")
    return ((1 - torch.exp(-ce)) ** gamma * ce).mean()


for name, options, fn in [
    ("cross_entropy", {"kind": "cross_entropy", "smoothing": 0.0}, lambda z, t: F.cross_entropy(z, t)),
    ("cross_entropy", {"kind": "cross_entropy", "smoothing": 0.1},
     lambda z, t: F.cross_entropy(z, t, label_smoothing=0.1)),
    ("focal", {"kind": "focal", "gamma": 2, "mode": "sample"}, focal_sample),
    ("focal", {"kind": "focal", "gamma": 2, "mode": "batch"}, focal_evo),
]:
    z = logits_in.clone().requires_grad_(True)
    value = fn(z, labels)
    value.backward()
    losses.append({"loss": name, "options": options, "value": float(value), "gradLogits": flat(z.grad)})

out = {
    "generator": "tools/golden_heads.py",
    "torch": torch.__version__,
    "shapes": {"n": N, "d": D, "c": C},
    "labels": [int(v) for v in labels],
    "embeddings": flat(x),
    "weight": flat(weight),
    "bias": flat(bias),
    "lossWeights": flat(loss_weights),
    "heads": heads,
    "lossLogits": flat(logits_in),
    "losses": losses,
}
path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "fixtures", "golden", "heads.json")
with open(path, "w") as f:
    json.dump(out, f, indent=1)
    f.write("\n")
print(f"wrote {path}: {len(heads)} head cases, {len(losses)} loss cases")
