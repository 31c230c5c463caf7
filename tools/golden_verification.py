"""Golden values for the 1:1 verification protocol, for tests/eval/golden_test.ts.

Run:  /usr/bin/python3 tools/golden_verification.py   (needs only numpy; not run in CI; its output is committed)
Writes fixtures/golden/verification.json. `calculate_roc` and `calculate_accuracy` below follow arcface_torch
`eval/verification.py` (same as face.evoLVe `util/verification.py`) line for line, with sklearn's
`KFold(n_splits=10, shuffle=False)` written out (contiguous folds, the first n % 10 one item larger).
AUC is computed independently of the TypeScript ROC code, by the Mann-Whitney statistic (ties count 1/2);
TAR at FAR by brute force over every distance as threshold ("same" when distance <= threshold).
"""
import json
import pathlib

import numpy as np

rng = np.random.default_rng(20261129)


def kfold(n, k):
    sizes = [n // k + (1 if f < n % k else 0) for f in range(k)]
    start = 0
    indices = np.arange(n)
    for size in sizes:
        test = indices[start:start + size]
        train = np.concatenate([indices[:start], indices[start + size:]])
        yield train, test
        start += size


def calculate_accuracy(threshold, dist, actual_issame):
    predict_issame = np.less(dist, threshold)
    tp = np.sum(np.logical_and(predict_issame, actual_issame))
    tn = np.sum(np.logical_and(np.logical_not(predict_issame), np.logical_not(actual_issame)))
    return float(tp + tn) / dist.size


def calculate_roc(thresholds, dist, actual_issame, nrof_folds=10):
    accuracy = np.zeros((nrof_folds))
    best = np.zeros((nrof_folds))
    for fold_idx, (train_set, test_set) in enumerate(kfold(len(dist), nrof_folds)):
        acc_train = np.zeros((len(thresholds)))
        for threshold_idx, threshold in enumerate(thresholds):
            acc_train[threshold_idx] = calculate_accuracy(threshold, dist[train_set], actual_issame[train_set])
        best_threshold_index = np.argmax(acc_train)
        best[fold_idx] = thresholds[best_threshold_index]
        accuracy[fold_idx] = calculate_accuracy(thresholds[best_threshold_index], dist[test_set], actual_issame[test_set])
    return accuracy, best


def auc(dist, issame):
    pos, neg = dist[issame], dist[~issame]
    wins = (pos[:, None] < neg[None, :]).sum() + 0.5 * (pos[:, None] == neg[None, :]).sum()
    return float(wins) / (len(pos) * len(neg))


def tar_at_far(dist, issame, far):
    best = 0.0
    for t in np.unique(dist):
        accept = dist <= t
        if np.sum(accept & ~issame) / np.sum(~issame) <= far:
            best = max(best, np.sum(accept & issame) / np.sum(issame))
    return float(best)


def case(n, dim, noise):
    """n pairs of unit embeddings; same pairs share an identity vector plus noise. Distances rounded to 1e-3 so
    some tie exactly (the ROC must handle ties), as float64 numbers that JSON carries exactly."""
    issame = rng.random(n) < 0.5
    a = rng.normal(size=(n, dim))
    b = np.where(issame[:, None], a + noise * rng.normal(size=(n, dim)), rng.normal(size=(n, dim)))
    a /= np.linalg.norm(a, axis=1, keepdims=True)
    b /= np.linalg.norm(b, axis=1, keepdims=True)
    dist = np.round(np.sum(np.square(a - b), 1), 3)
    thresholds = np.arange(0, 4, 0.01)
    accuracy, best = calculate_roc(thresholds, dist, issame)
    fars = [1e-3, 1e-2, 1e-1]
    return {
        "distances": dist.tolist(),
        "issame": issame.tolist(),
        "foldAccuracies": accuracy.tolist(),
        "foldThresholds": best.tolist(),
        "accuracyMean": float(np.mean(accuracy)),
        "accuracyStd": float(np.std(accuracy)),
        "threshold": float(np.mean(best)),
        "auc": auc(dist, issame),
        "tarAtFar": [{"far": f, "tar": tar_at_far(dist, issame, f)} for f in fars],
    }


cases = {"easy_600": case(600, 16, 0.8), "hard_203": case(203, 8, 2.0)}
out = pathlib.Path(__file__).resolve().parent.parent / "fixtures" / "golden" / "verification.json"
out.write_text(json.dumps(cases) + "\n")
print(f"wrote {out}: " + ", ".join(f"{k} acc {v['accuracyMean']:.4f} auc {v['auc']:.4f}" for k, v in cases.items()))
