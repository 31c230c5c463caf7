"""Golden values for the distillation terms (src/losses/distillation.ts), computed with PyTorch in float64.

Each term is written as its source computes it, independently of our TypeScript code: soft targets as FaceX-Zoo's
`addition_module/face_lightning/KDF/loss/soft_target.py` (F.kl_div of log-softmax against softmax at temperature T,
batchmean, times T^2), embedding distillation as F.mse_loss (FaceX-Zoo `loss/fitnet.py`) or 1 - F.cosine_similarity,
and the relational term as the distance part of FaceX-Zoo's `loss/rkd.py` (Park et al. 2019): pdist with the
diagonal zeroed, each side divided by the mean of its positive distances, F.smooth_l1_loss. Output:
fixtures/golden/distillation.json with the inputs, and per case the loss and its gradients with respect to the
student's logits and embeddings (the teacher is constant).

Run: /usr/bin/python3 tools/golden_distillation.py
"""
import json
import os

import torch
import torch.nn.functional as F

torch.manual_seed(13)
DT = torch.float64
N, D, C = 5, 6, 4

student_logits = torch.randn(N, C, dtype=DT) * 6
teacher_logits = torch.randn(N, C, dtype=DT) * 6
student_embeddings = torch.randn(N, D, dtype=DT) * 2
teacher_embeddings = torch.randn(N, D, dtype=DT) * 3
# Row 4 of the student close to row 0 of it: a small distance, near the Huber knee after normalisation.
student_embeddings[4] = student_embeddings[0] + 0.05 * torch.randn(D, dtype=DT)


def soft_target(s, t, temperature):
    return F.kl_div(F.log_softmax(s / temperature, dim=1), F.softmax(t / temperature, dim=1),
                    reduction="batchmean") * temperature * temperature


def pdist(e, eps=1e-12):
    square = e.pow(2).sum(dim=1)
    dist = (square.unsqueeze(0) + square.unsqueeze(1) - 2 * e @ e.t()).clamp(min=eps).sqrt().clone()
    dist[range(len(e)), range(len(e))] = 0
    return dist


def rkd_distance(s, t):
    ds = pdist(s)
    ds = ds / ds[ds > 0].mean()
    dt = pdist(t)
    dt = dt / dt[dt > 0].mean()
    return F.smooth_l1_loss(ds, dt)


def embedding(s, t, metric):
    if metric == "l2":
        return F.mse_loss(s, t)
    return (1 - F.cosine_similarity(s, t, dim=1)).mean()


CASES = [
    {"softTargets": {"weight": 1, "temperature": 4}},
    {"softTargets": {"weight": 0.5, "temperature": 1}},
    {"embedding": {"weight": 1, "metric": "l2"}},
    {"embedding": {"weight": 2, "metric": "cosine"}},
    {"relational": {"weight": 25}},
    {"softTargets": {"weight": 1, "temperature": 4}, "embedding": {"weight": 1, "metric": "cosine"},
     "relational": {"weight": 25}},
]


def loss_of(config, s_logits, s_emb):
    total = torch.zeros((), dtype=DT)
    if "softTargets" in config:
        c = config["softTargets"]
        total = total + c["weight"] * soft_target(s_logits, teacher_logits, c["temperature"])
    if "embedding" in config:
        c = config["embedding"]
        total = total + c["weight"] * embedding(s_emb, teacher_embeddings, c["metric"])
    if "relational" in config:
        total = total + config["relational"]["weight"] * rkd_distance(s_emb, teacher_embeddings)
    return total


def grad_or_zeros(t):
    return t.grad if t.grad is not None else torch.zeros_like(t)


cases = []
for config in CASES:
    s_logits = student_logits.clone().requires_grad_(True)
    s_emb = student_embeddings.clone().requires_grad_(True)
    value = loss_of(config, s_logits, s_emb)
    value.backward()
    cases.append({
        "config": config,
        "value": value.item(),
        "gradLogits": grad_or_zeros(s_logits).flatten().tolist(),
        "gradEmbeddings": grad_or_zeros(s_emb).flatten().tolist(),
    })

out = {
    "shapes": {"n": N, "d": D, "c": C},
    "studentLogits": student_logits.flatten().tolist(),
    "teacherLogits": teacher_logits.flatten().tolist(),
    "studentEmbeddings": student_embeddings.flatten().tolist(),
    "teacherEmbeddings": teacher_embeddings.flatten().tolist(),
    "cases": cases,
}
path = os.path.join(os.path.dirname(__file__), "..", "fixtures", "golden", "distillation.json")
with open(path, "w") as f:
    json.dump(out, f, indent=1)
    f.write("\n")
print(f"wrote {path}: {len(cases)} cases")
