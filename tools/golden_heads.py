"""Golden values for the heads and losses (src/models/heads, src/losses), computed with PyTorch in float64.

Each head is written the way its source library computes it (face.evoLVe `head/metrics.py` at dd58c28 for
Softmax/ArcFace/CosFace/SphereFace, FaceX-Zoo `AM_Softmax`, arcface_torch `CombinedMarginLoss`), independently
of our TypeScript code. FaceX-Zoo's MV-Softmax, NPCFace, ArcNegFace, CurricularFace and AdaCos (`head/*.py`) and
insightface's sub-center ArcFace (`recognition/subcenter_arcface/train_parall.py`) are restated from their sources
on L2-normalised embeddings (FaceX-Zoo's backbones normalise their output); the stateful heads (AdaCos's s,
CurricularFace's t, sub-center ArcFace's sub-centre counts with facebench's online drop from step 2) run three
consecutive training steps, step k on the batch rolled by k rows, with their state recorded after each step. The combined-margin cases (m1, m2, m3) = (1, 0.3, 0.2) and (1.2, 0.1, 0.1) with the th/mm
fallback follow our documented generalisation of face.evoLVe's fallback. Output: fixtures/golden/heads.json with
the inputs, the logits and the gradients of L = sum(w * logits) (+ the head's extra loss) with respect to the embeddings
and class weights (and every other head parameter); the center loss's centres over 3 update steps; and the triplet
loss with batch-hard and semi-hard mining (AdaM-Softmax, circle loss and MagFace as FaceX-Zoo `head/*.py` compute
them, with the deviations our doc comments state; center loss after Wen et al. 2016; triplet after FaceNet).

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


def unit(xx):
    return F.normalize(xx)


def mv_softmax(is_am, m=0.35, t=1.12, s=32):
    def head(xx, ww):
        cos = F.linear(unit(xx), unit(ww))
        gt = cos.gather(1, labels.view(-1, 1))
        if is_am:
            mask = cos > gt - m
            final_gt = torch.where(gt > m, gt - m, gt)
        else:
            cos_m = gt * math.cos(m) - torch.sqrt(1.0 - gt.pow(2)) * math.sin(m)
            mask = cos > cos_m
            final_gt = torch.where(gt > 0.0, cos_m, gt)
        out = torch.where(mask, t * cos + t - 1.0, cos)
        return torch.where(one_hot > 0, final_gt.expand_as(out), out) * s

    return head


def npcface(m=0.35, s=32, m0=0.40, m1=0.20, t=1.10, a=0.20):
    def head(xx, ww):
        cos = F.linear(unit(xx), unit(ww)).clamp(-1, 1)
        gt = cos.gather(1, labels.view(-1, 1))
        sin_theta = torch.sqrt(1.0 - gt.pow(2))
        cos_theta_m = gt * math.cos(m) - sin_theta * math.sin(m)
        with torch.no_grad():
            hard_mask = (cos > cos_theta_m).to(DT)
            hard_mask.scatter_(1, labels.view(-1, 1), 0)
            avg_hard = (hard_mask * cos).sum(1, keepdim=True) / hard_mask.sum(1, keepdim=True).clamp(1, C)
            newm = m0 + m1 * avg_hard
        final_gt = torch.where(gt > 0, gt * torch.cos(newm) - sin_theta * torch.sin(newm), gt)
        out = torch.where(cos > cos_theta_m, t * cos + a, cos)
        return torch.where(one_hot > 0, final_gt.expand_as(out), out) * s

    return head


def arcnegface(m=0.5, s=64, alpha=1.2, sigma=2):
    thresh, mm = math.cos(math.pi - m), math.sin(math.pi - m) * m

    def head(xx, ww):
        ex = xx / torch.norm(xx, 2, 1, keepdim=True)
        ew = ww / torch.norm(ww, 2, 1, keepdim=True)
        cos = torch.mm(ex, ew.t())
        rows = []
        for i in range(N):
            lb = int(labels[i])
            if cos[i, lb].item() > thresh:
                a = torch.cos(torch.acos(cos[i, lb]) + m)
            else:
                a = cos[i, lb] - mm
            reweight = (alpha * torch.exp(-torch.pow(cos[i] - a.item(), 2) / sigma)).detach()
            row = reweight * cos[i] + reweight - 1
            rows.append(torch.where(one_hot[i] > 0, a, row))
        return s * torch.stack(rows)

    return head


K_SUB = 3
subcenter_weight = torch.randn(C * K_SUB, D, dtype=DT, generator=torch.Generator().manual_seed(11))  # own stream


def subcenter_arcface(m=0.5, s=64):
    def head(xx, ww):
        cos = F.linear(unit(xx), unit(ww)).view(N, C, K_SUB).max(dim=2).values
        margin_cos = torch.cos(torch.arccos(cos) + m)
        return (cos + one_hot * (margin_cos - cos)) * s

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
    ("mv_softmax", {}, mv_softmax(True)),
    ("mv_softmax_arc", {}, mv_softmax(False)),
    ("mv_softmax", {"m": 0.2, "t": 1.2, "s": 16}, mv_softmax(True, m=0.2, t=1.2, s=16)),
    ("npcface", {}, npcface()),
    ("arcnegface", {}, arcnegface()),
    ("subcenter_arcface", {}, subcenter_arcface()),
]
WEIGHTS = {"subcenter_arcface": subcenter_weight}


def flat(t):
    return [float(v) for v in t.detach().reshape(-1)]


heads = []
for name, options, fn in CASES:
    xx = x.clone().requires_grad_(True)
    own_weight = WEIGHTS.get(name)
    ww = (weight if own_weight is None else own_weight).clone().requires_grad_(True)
    logits = fn(xx, ww)
    (logits * loss_weights).sum().backward()
    case = {
        "head": name,
        "options": options,
        "logits": flat(logits),
        "gradEmbeddings": flat(xx.grad),
        "gradWeight": flat(ww.grad),
    }
    if own_weight is not None:
        case["weight"] = flat(own_weight)
        case["weightShape"] = list(own_weight.shape)
    heads.append(case)


class AdaCos:
    """FaceX-Zoo AdaCos: s starts at sqrt(2)·ln(C − 1) and is re-estimated from each training batch."""

    def __init__(self):
        self.scale = math.sqrt(2) * math.log(C - 1)

    def state(self):
        return {"s": [float(self.scale)]}

    def __call__(self, xx, ww, lab):
        logits = F.linear(unit(xx), unit(ww))
        theta = torch.acos(torch.clamp(logits, -1.0 + 1e-7, 1.0 - 1e-7))
        hot = F.one_hot(lab, C).to(DT)
        with torch.no_grad():
            b_avg = torch.where(hot < 1, torch.exp(self.scale * logits), torch.zeros_like(logits)).sum() / xx.size(0)
            theta_med = torch.median(theta[hot == 1])  # even batch: the lower of the two middle values
            self.scale = torch.log(b_avg) / torch.cos(torch.min(math.pi / 4 * torch.ones_like(theta_med), theta_med))
        return self.scale * logits


class CurricularFace:
    """FaceX-Zoo CurricularFace: the buffer t starts at 0 and is updated before use in every training step."""

    def __init__(self, m=0.5, s=64.0):
        self.m, self.s, self.t = m, s, torch.zeros(1, dtype=DT)

    def state(self):
        return {"t": flat(self.t)}

    def __call__(self, xx, ww, lab):
        m = self.m
        kernel_norm = F.normalize(ww.t(), dim=0)  # FaceX-Zoo's (dim, classes) kernel
        cos = torch.mm(unit(xx), kernel_norm).clamp(-1, 1)
        target = cos[torch.arange(0, xx.size(0)), lab].view(-1, 1)
        sin_theta = torch.sqrt(1.0 - torch.pow(target, 2))
        cos_theta_m = target * math.cos(m) - sin_theta * math.sin(m)
        mask = cos > cos_theta_m
        final = torch.where(target > math.cos(math.pi - m), cos_theta_m, target - math.sin(math.pi - m) * m)
        with torch.no_grad():
            self.t = target.mean() * 0.01 + (1 - 0.01) * self.t
        out = torch.where(mask, cos * (self.t + cos), cos)
        hot = F.one_hot(lab, C).to(DT)
        return torch.where(hot > 0, final.expand_as(out), out) * self.s


class SubCenterDrop:
    """Sub-center ArcFace with facebench's online drop (insightface `drop.py` done on the batches a head sees):
    before `drop_after`, count per sample the sub-centre of its class it is closest to; from then on use only each
    class's most-counted sub-centre (first on a tie) and detach the logits of samples more than `threshold` degrees
    from it."""

    def __init__(self, drop_after=2, threshold=75.0, m=0.5, s=64.0):
        self.drop_after, self.threshold, self.m, self.s = drop_after, threshold, m, s
        self.counts = torch.zeros(C, K_SUB, dtype=DT)
        self.dominant = None
        self.iteration = 0

    def state(self):
        return {"counts": flat(self.counts)}

    def __call__(self, xx, ww, lab):
        if self.iteration >= self.drop_after and self.dominant is None:
            self.dominant = torch.argmax(self.counts, dim=1)  # first maximum on ties
        self.iteration += 1
        per_centre = F.linear(unit(xx), unit(ww)).view(N, C, K_SUB)
        if self.dominant is None:
            with torch.no_grad():
                own = per_centre[torch.arange(N), lab]
                winners = (own == own.max(dim=1, keepdim=True).values).to(DT)
                for i in range(N):
                    self.counts[lab[i]] += winners[i]
            cos = per_centre.max(dim=2).values
        else:
            cos = per_centre[:, torch.arange(C), self.dominant]
        hot = F.one_hot(lab, C).to(DT)
        logits = (cos + hot * (torch.cos(torch.arccos(cos) + self.m) - cos)) * self.s
        if self.dominant is None:
            return logits
        clean = cos[torch.arange(N), lab] > math.cos(self.threshold * math.pi / 180)
        return torch.where(clean.view(-1, 1), logits, logits.detach())


stateful = []
for name, options, make, step_weight in [
    ("adacos", {}, AdaCos, weight),
    ("curricularface", {}, CurricularFace, weight),
    ("subcenter_arcface", {"dropAfterIteration": 2}, SubCenterDrop, subcenter_weight),
]:
    head = make()
    steps = []
    for k in range(3):
        lab = torch.roll(labels, k, 0)
        xx = torch.roll(x, k, 0).clone().requires_grad_(True)
        ww = step_weight.clone().requires_grad_(True)
        logits = head(xx, ww, lab)
        (logits * loss_weights).sum().backward()
        steps.append({
            "labels": [int(v) for v in lab],
            "embeddings": flat(xx),
            "logits": flat(logits),
            "gradEmbeddings": flat(xx.grad),
            "gradWeight": flat(ww.grad),
            "state": head.state(),
        })
    case = {"head": name, "options": options, "steps": steps}
    if step_weight is not weight:
        case["weight"] = flat(step_weight)
        case["weightShape"] = list(step_weight.shape)
    stateful.append(case)

# Heads with an extra loss or state of their own (AdaM-Softmax, MagFace, circle loss, center loss): drawn from a
# generator of their own so the cases above keep their inputs. L = sum(w * logits) + extra loss; "state" holds
# tensors loaded into the head besides weight/bias, "embeddings" (when present) replaces the shared embeddings,
# "gradParams" the gradients of L w.r.t. every head parameter by path.
extra_gen = torch.Generator().manual_seed(13)
adam_margins = torch.tensor([0.35, 1.2, -0.1, 0.31, 0.38], dtype=DT)  # 1.2 and -0.1 exercise the [0, 1] clamp
centers0 = torch.randn(C, D, dtype=DT, generator=extra_gen)
mag_norms = torch.tensor([5.0, 12.0, 40.0, 80.0, 109.0, 150.0], dtype=DT)  # below l_a, inside, above u_a
x_mag = F.normalize(x) * mag_norms.view(-1, 1)


def adam_softmax(s, lam):
    """FaceX-Zoo Adam_Softmax, with the embedding L2-normalised (see src/models/heads/adam_softmax.ts)."""
    def head(xx, params):
        ww, mm = params["weight"], params["margins"]
        mm.data.clamp_(0, 1)
        cos = cosine(xx, ww).clamp(-1, 1)
        out = (cos - one_hot * mm[labels].view(-1, 1)) * s
        return out, lam * (1 - mm.sum() / C)

    return head


def circle_loss(gamma, m):
    def head(xx, params):
        cos = cosine(xx, params["weight"]).clamp(-1, 1)
        alpha_p = torch.clamp_min(1 + m - cos.detach(), 0)
        alpha_n = torch.clamp_min(cos.detach() + m, 0)
        out = one_hot * alpha_p * (cos - (1 - m)) + (1 - one_hot) * alpha_n * (cos - m)
        return out * gamma, None

    return head


def magface(s, l_a=10.0, u_a=110.0, l_m=0.45, u_m=0.8, lam=20.0):
    def head(xx, params):
        a = torch.norm(xx, dim=1, keepdim=True).clamp(l_a, u_a)
        margin = (u_m - l_m) / (u_a - l_a) * (a - l_a) + l_m
        g = a / u_a**2 + 1 / a
        cos = cosine(xx, params["weight"]).clamp(-1, 1)
        margined = cos * torch.cos(margin) - torch.sqrt(1 - cos**2) * torch.sin(margin)
        target = torch.where(cos > torch.cos(math.pi - margin), margined, cos)
        out = (one_hot * target + (1 - one_hot) * cos) * s
        return out, (lam * g).mean()

    return head


def center_loss(lam):
    def head(xx, params):
        logits = F.linear(xx, params["weight"], params["bias"])
        diff = xx - params["centers"][labels]
        return logits, lam * 0.5 * (diff**2).sum(1).mean()

    return head


EXTRA_CASES = [
    ("adam_softmax", {}, adam_softmax(32, 70), {"margins": adam_margins}, None),
    ("circle_loss", {}, circle_loss(256, 0.25), {}, None),
    ("circle_loss", {"gamma": 64, "m": 0.4}, circle_loss(64, 0.4), {}, None),
    ("magface", {}, magface(64), {}, x_mag),
    ("magface", {"s": 32, "lambdaG": 5}, magface(32, lam=5.0), {}, x_mag),
    ("center_loss", {}, center_loss(0.003), {"centers": centers0}, None),
    ("center_loss", {"lambda": 0.5}, center_loss(0.5), {"centers": centers0}, None),
    ("center_loss", {"lambda": 0.5, "centers": "learned"}, center_loss(0.5), {"centers": centers0}, None),
]
TRAINED = {"adam_softmax": ["weight", "margins"], "circle_loss": ["weight"], "magface": ["weight"],
           "center_loss": ["weight", "bias"]}

for name, options, fn, state, xs in EXTRA_CASES:
    xx = (x if xs is None else xs).clone().requires_grad_(True)
    trained = TRAINED[name] + (["centers"] if options.get("centers") == "learned" else [])
    params = {"weight": weight.clone(), "bias": bias.clone(), **{k: v.clone() for k, v in state.items()}}
    for k in trained:
        params[k].requires_grad_(True)
    logits, extra = fn(xx, params)
    total = (logits * loss_weights).sum() + (extra if extra is not None else 0)
    total.backward()
    case = {
        "head": name,
        "options": options,
        "logits": flat(logits),
        "gradEmbeddings": flat(xx.grad),
        "gradWeight": flat(params["weight"].grad),
        "gradParams": {k: flat(params[k].grad) for k in trained},
    }
    if state:
        case["state"] = {k: flat(v) for k, v in state.items()}
    if xs is not None:
        case["embeddings"] = flat(xs)
    if extra is not None:
        case["extraLoss"] = float(extra)
    heads.append(case)

# Center loss over 3 training steps: the paper's centre update (eq. 4) after each forward.
center_steps = []
centers = centers0.clone()
step_labels = [[0, 0, 3, 1, 3, 3], [2, 4, 4, 4, 0, 1], [1, 1, 1, 1, 2, 0]]
for step_y in step_labels:
    xs = torch.randn(N, D, dtype=DT, generator=extra_gen) * 2
    y = torch.tensor(step_y)
    loss = 0.5 * 0.5 * ((xs - centers[y]) ** 2).sum(1).mean()
    delta = torch.zeros_like(centers)
    for j in range(C):
        members = y == j
        delta[j] = (centers[j] * members.sum() - xs[members].sum(0)) / (1 + members.sum())
    centers = centers - 0.5 * delta
    center_steps.append({"embeddings": flat(xs), "labels": step_y, "extraLoss": float(loss), "centers": flat(centers)})

# Triplet loss with batch-hard and semi-hard mining on squared distances of L2-normalised embeddings, written as
# plain loops over anchors / anchor-positive pairs (identity 3 has one image: an anchor without positives).
triplet_labels = [0, 0, 0, 1, 1, 1, 2, 2, 3]
triplet_x = torch.randn(len(triplet_labels), D, dtype=DT, generator=extra_gen)


def triplet_batch_hard(xx, margin):
    e = F.normalize(xx)
    d = ((e[:, None] - e[None]) ** 2).sum(-1)
    terms = []
    for a, ya in enumerate(triplet_labels):
        pos = [d[a, p] for p, yp in enumerate(triplet_labels) if yp == ya and p != a]
        neg = [d[a, n] for n, yn in enumerate(triplet_labels) if yn != ya]
        if pos and neg:
            terms.append(F.relu(torch.stack(pos).max() - torch.stack(neg).min() + margin))
    return torch.stack(terms).sum() / max(1, len(terms))


def triplet_semi_hard(xx, margin):
    e = F.normalize(xx)
    d = ((e[:, None] - e[None]) ** 2).sum(-1)
    terms = []
    for a, ya in enumerate(triplet_labels):
        neg = [n for n, yn in enumerate(triplet_labels) if yn != ya]
        for p, yp in enumerate(triplet_labels):
            if yp != ya or p == a or not neg:
                continue
            farther = [d[a, n] for n in neg if d[a, n] > d[a, p]]
            chosen = torch.stack(farther).min() if farther else torch.stack([d[a, n] for n in neg]).max()
            terms.append(F.relu(d[a, p] - chosen + margin))
    return torch.stack(terms).sum() / max(1, len(terms))


triplet_cases = []
for mining, fn in [("batch_hard", triplet_batch_hard), ("semi_hard", triplet_semi_hard)]:
    for margin in [0.2, 1.0]:
        xx = triplet_x.clone().requires_grad_(True)
        value = fn(xx, margin)
        value.backward()
        triplet_cases.append({"options": {"mining": mining, "margin": margin}, "loss": float(value),
                              "gradEmbeddings": flat(xx.grad)})

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
    "statefulHeads": stateful,
    "lossLogits": flat(logits_in),
    "losses": losses,
    "centerSteps": {"options": {"lambda": 0.5, "alpha": 0.5}, "centers": flat(centers0), "steps": center_steps},
    "triplet": {"labels": triplet_labels, "embeddings": flat(triplet_x), "cases": triplet_cases},
}
path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "fixtures", "golden", "heads.json")
with open(path, "w") as f:
    json.dump(out, f, indent=1)
    f.write("\n")
print(f"wrote {path}: {len(heads)} head cases, {len(stateful)} stateful heads, {len(losses)} loss cases")
