"""Golden values for the identity bootstrap, paired comparisons, McNemar and Holm (tests/eval/bootstrap_golden_test.ts).

Run:  deno run --allow-write tools/bootstrap_inputs.ts && /usr/bin/python3 tools/golden_bootstrap.py
      (needs numpy and scipy; not run in CI; its output is committed)
Reads fixtures/golden/bootstrap_inputs.json (pairs, three cells of two seeds each, the resample plan drawn by the
project's RNG) and writes fixtures/golden/bootstrap.json. Everything is computed independently of the TypeScript code:
the weighted k-fold accuracy by brute force over all 400 thresholds (as arcface_torch's `calculate_roc`, weighted),
the AUC as the weighted Mann-Whitney statistic (ties 1/2), TAR at FAR by brute force over every distance,
intervals with `np.percentile`, paired z-tests with `scipy.stats.norm`, McNemar with `scipy.stats.binomtest`.
"""
import json
import pathlib

import numpy as np
from scipy import special
from scipy.stats import binomtest, norm

root = pathlib.Path(__file__).resolve().parent.parent / "fixtures" / "golden"
inputs = json.loads((root / "bootstrap_inputs.json").read_text())
THRESHOLDS = np.arange(0, 4, 0.01)
same = np.array(inputs["same"])
left = np.array(inputs["leftIdentity"])
right = np.array(inputs["rightIdentity"])
folds = inputs["folds"]
far_targets = inputs["farTargets"]
counts = np.array(inputs["plan"]["identityCounts"])
picks = np.array(inputs["plan"]["seedPicks"])
n = len(same)
sizes = [n // folds + (1 if f < n % folds else 0) for f in range(folds)]
fold_of = np.repeat(np.arange(folds), sizes)


def weights(m):
    return np.where(same, m[left], m[left] * m[right]).astype(np.float64)


def kfold(dist, w):
    """Weighted arcface_torch protocol: per fold the first threshold of maximal weighted training correctness."""
    correct = (dist[None, :] < THRESHOLDS[:, None]) == same[None, :]  # thresholds x pairs
    accuracies, chosen, held_out = [], [], np.zeros(n, dtype=bool)
    for f in range(folds):
        train, test = fold_of != f, fold_of == f
        best = int(np.argmax((correct[:, train] * w[train]).sum(axis=1)))
        chosen.append(float(THRESHOLDS[best]))
        held_out[test] = correct[best, test]
        total = w[test].sum()
        accuracies.append(float((correct[best, test] * w[test]).sum() / total) if total > 0 else None)
    return float(np.mean([a for a in accuracies if a is not None])), chosen, held_out


def auc(dist, w):
    pos, neg = same, ~same
    wins = (dist[pos][:, None] < dist[neg][None, :]) + 0.5 * (dist[pos][:, None] == dist[neg][None, :])
    return float(w[pos] @ wins @ w[neg] / (w[pos].sum() * w[neg].sum()))


def tar_at_far(dist, w, far):
    best = 0.0
    for t in np.unique(dist):
        accept = dist <= t
        if w[accept & ~same].sum() / w[~same].sum() <= far:
            best = max(best, w[accept & same].sum() / w[same].sum())
    return float(best)


def metrics(dist, w):
    return [kfold(dist, w)[0], auc(dist, w)] + [tar_at_far(dist, w, f) for f in far_targets]


def as_metrics(values):
    return {"accuracy": values[0], "auc": values[1], "tarAtFar": list(values[2:])}


def interval(values):
    low, high = np.percentile(values, [2.5, 97.5])
    return {"low": float(low), "high": float(high)}


cells, raw = {}, {}
for name, per_seed in inputs["cells"].items():
    dists = [np.array(d) for d in per_seed]
    unit = np.ones(n)
    point = np.mean([metrics(d, unit) for d in dists], axis=0)
    replicates, fold_thresholds = [], []
    for b in range(len(counts)):
        w = weights(counts[b])
        per_seed_values = [metrics(d, w) for d in dists]
        replicates.append(np.mean([per_seed_values[s] for s in picks[b]], axis=0))
        fold_thresholds.append([kfold(d, w)[1] for d in dists])
    replicates = np.array(replicates)  # B x metrics
    raw[name] = (point, replicates, kfold(dists[0], unit)[2])
    cells[name] = {
        "point": as_metrics([float(v) for v in point]),
        "resampled": as_metrics([replicates[:, k].tolist() for k in range(replicates.shape[1])]),
        "interval": as_metrics([interval(replicates[:, k]) for k in range(replicates.shape[1])]),
        "foldThresholds": fold_thresholds,  # [b][seed][fold]
        "unitFoldThresholds": [kfold(d, unit)[1] for d in dists],
    }


def compare(rep_a, rep_b, observed):
    """Bootstrap z-test of a paired difference: se of the resampled differences, p = 2 P(Z > |obs| / se),
    interval obs -/+ norm.ppf(0.975) se."""
    delta = rep_a - rep_b
    se = float(np.std(delta, ddof=1))
    half = float(norm.ppf(0.975)) * se
    if observed == 0:
        p = 1.0
    elif se > 0:
        p = min(1.0, float(2 * norm.sf(abs(observed) / se)))
    else:
        p = 0.0
    return {"low": observed - half, "high": observed + half, "se": se, "p": p}


def mcnemar(n01, n10):
    return 1.0 if n01 + n10 == 0 else float(binomtest(min(n01, n10), n01 + n10, 0.5).pvalue)


comparisons, mcnemar_cells = [], []
names = list(raw)
for i, a in enumerate(names):
    for b in names[i + 1:]:
        (pa, ra, ca), (pb, rb, cb) = raw[a], raw[b]
        comparisons.append({
            "a": a,
            "b": b,
            **as_metrics([compare(ra[:, k], rb[:, k], pa[k] - pb[k]) for k in range(len(pa))]),
        })
        n01, n10 = int(np.sum(ca & ~cb)), int(np.sum(~ca & cb))
        mcnemar_cells.append({"a": a, "b": b, "n01": n01, "n10": n10, "p": mcnemar(n01, n10)})


def holm(p):
    """Holm (1979): the k-th smallest (k from 1) becomes min(1, max over j <= k of (m - j + 1) p_(j))."""
    p = np.asarray(p)
    m = len(p)
    order = np.argsort(p, kind="stable")
    stepped = np.minimum(1, np.maximum.accumulate((m - np.arange(m)) * p[order]))
    out = np.empty(m)
    out[order] = stepped
    return out.tolist()


golden = {
    "cells": cells,
    "comparisons": comparisons,
    "mcnemar": {
        "cells": mcnemar_cells,
        "cases": [{"n01": a, "n10": b, "p": mcnemar(a, b)} for a, b in inputs["mcnemarCases"]],
    },
    "holm": {"input": inputs["holmInput"], "adjusted": holm(inputs["holmInput"])},
    # erfc behind the z-test p-values, across the series / continued-fraction switch at 1
    "erfc": [[x, float(special.erfc(x))] for x in [-3, -0.5, 0, 1e-8, 0.1, 0.99, 1, 1.01, 1.5, 1.99, 2, 3, 5, 8, 20, 26]],
}
out = root / "bootstrap.json"
out.write_text(json.dumps(golden) + "\n")
summary = ", ".join(f"{k} acc {v['point']['accuracy']:.4f} auc {v['point']['auc']:.4f}" for k, v in cells.items())
print(f"wrote {out}: {summary}")
for c in comparisons:
    print(f"{c['a']} - {c['b']}: acc p {c['accuracy']['p']:.3f}, auc p {c['auc']['p']:.3f}")
for c in mcnemar_cells:
    print(f"mcnemar {c['a']} vs {c['b']}: n01 {c['n01']} n10 {c['n10']} p {c['p']:.4f}")
