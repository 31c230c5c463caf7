"""Golden op values from PyTorch for tests/ops/golden_test.ts.

Run with Debian's PyTorch:  /usr/bin/python3 tools/golden_ops.py
Writes fixtures/golden/ops.json. Tensors are stored flat in facebench's layouts: activations NHWC, conv filters
HWIO (converted from PyTorch's NCHW / OIHW here). Not run in CI; its output is committed. A rerun on another machine
can change the last digit of some conv2d values (BLAS); the gelu, layer_norm and batched_matmul sections were appended
to the committed file without rewriting the earlier ones.
"""
import json
import pathlib

import torch
import torch.nn.functional as F

torch.manual_seed(20261129)
torch.set_default_dtype(torch.float64)


def nhwc(t):
    return t.permute(0, 2, 3, 1).contiguous().flatten().tolist()


def hwio(w):
    return w.permute(2, 3, 1, 0).contiguous().flatten().tolist()


def shape_nhwc(t):
    n, c, h, w = t.shape
    return [n, h, w, c]


def conv_case(name, n, c, h, w, o, k, stride, padding, dilation, groups):
    x = torch.randn(n, c, h, w, requires_grad=True)
    wt = torch.randn(o, c // groups, k[0], k[1], requires_grad=True)
    y = F.conv2d(x, wt, stride=stride, padding=padding, dilation=dilation, groups=groups)
    dy = torch.randn_like(y)
    y.backward(dy)
    return {
        "name": name,
        "attrs": {"stride": stride, "padding": padding, "dilation": dilation, "groups": groups},
        "x": {"shape": shape_nhwc(x), "data": nhwc(x.detach())},
        "w": {"shape": [k[0], k[1], c // groups, o], "data": hwio(wt.detach())},
        "y": {"shape": shape_nhwc(y), "data": nhwc(y.detach())},
        "dy": {"shape": shape_nhwc(dy), "data": nhwc(dy)},
        "dx": nhwc(x.grad),
        "dw": hwio(wt.grad),
    }


def batch_norm_case(name, shape, training, momentum, eps):
    c = shape[1]
    x = torch.randn(*shape, requires_grad=True) * 2 + 0.5
    x.retain_grad()
    gamma = (torch.rand(c) + 0.5).requires_grad_()
    beta = torch.randn(c).requires_grad_()
    rm = torch.randn(c)
    rv = torch.rand(c) + 0.5
    rm0, rv0 = rm.clone(), rv.clone()
    y = F.batch_norm(x, rm, rv, gamma, beta, training=training, momentum=momentum, eps=eps)
    dy = torch.randn_like(y)
    y.backward(dy)
    as_nhwc = len(shape) == 4
    flat = nhwc if as_nhwc else (lambda t: t.detach().flatten().tolist())
    shp = shape_nhwc(x) if as_nhwc else list(shape)
    return {
        "name": name,
        "attrs": {"training": training, "momentum": momentum, "eps": eps},
        "x": {"shape": shp, "data": flat(x.detach())},
        "gamma": gamma.detach().tolist(),
        "beta": beta.detach().tolist(),
        "runningMean": rm0.tolist(),
        "runningVar": rv0.tolist(),
        "y": flat(y.detach()),
        "newRunningMean": rm.tolist(),
        "newRunningVar": rv.tolist(),
        "dy": flat(dy),
        "dx": flat(x.grad),
        "dgamma": gamma.grad.tolist(),
        "dbeta": beta.grad.tolist(),
    }


def pool_case(name, kind, shape, kernel, stride, padding, ceil_mode, count_include_pad=True):
    x = torch.randn(*shape, requires_grad=True)
    if kind == "max":
        y = F.max_pool2d(x, kernel, stride, padding, ceil_mode=ceil_mode)
    else:
        y = F.avg_pool2d(x, kernel, stride, padding, ceil_mode=ceil_mode, count_include_pad=count_include_pad)
    dy = torch.randn_like(y)
    y.backward(dy)
    return {
        "name": name,
        "kind": kind,
        "attrs": {"kernel": kernel, "stride": stride, "padding": padding, "ceilMode": ceil_mode,
                  "countIncludePad": count_include_pad},
        "x": {"shape": shape_nhwc(x), "data": nhwc(x.detach())},
        "y": {"shape": shape_nhwc(y), "data": nhwc(y.detach())},
        "dy": nhwc(dy),
        "dx": nhwc(x.grad),
    }


def ce_case(name, n, c, smoothing):
    logits = (torch.randn(n, c) * 3).requires_grad_()
    labels = torch.randint(0, c, (n,))
    loss = F.cross_entropy(logits, labels, reduction="none", label_smoothing=smoothing)
    dloss = torch.rand(n)
    loss.backward(dloss)
    return {
        "name": name,
        "smoothing": smoothing,
        "logits": {"shape": [n, c], "data": logits.detach().flatten().tolist()},
        "labels": labels.tolist(),
        "loss": loss.detach().tolist(),
        "dloss": dloss.tolist(),
        "dlogits": logits.grad.flatten().tolist(),
    }


def upsample_case(name, shape, scale):
    x = torch.randn(*shape, requires_grad=True)
    y = F.interpolate(x, scale_factor=scale, mode="nearest")
    dy = torch.randn_like(y)
    y.backward(dy)
    return {
        "name": name,
        "scale": list(scale),
        "x": {"shape": shape_nhwc(x), "data": nhwc(x.detach())},
        "y": {"shape": shape_nhwc(y), "data": nhwc(y.detach())},
        "dy": nhwc(dy),
        "dx": nhwc(x.grad),
    }


def bilinear_case(name, shape, size, align_corners):
    x = torch.randn(*shape, requires_grad=True)
    y = F.interpolate(x, size=size, mode="bilinear", align_corners=align_corners)
    dy = torch.randn_like(y)
    y.backward(dy)
    return {
        "name": name,
        "size": list(size),
        "alignCorners": align_corners,
        "x": {"shape": shape_nhwc(x), "data": nhwc(x.detach())},
        "y": {"shape": shape_nhwc(y), "data": nhwc(y.detach())},
        "dy": nhwc(dy),
        "dx": nhwc(x.grad),
    }


def gelu_case(name, shape, scale):
    x = (torch.randn(*shape) * scale).requires_grad_()
    y = F.gelu(x)  # approximate="none": the exact erf form
    dy = torch.randn_like(y)
    y.backward(dy)
    flat = lambda t: t.detach().flatten().tolist()
    return {"name": name, "x": {"shape": list(shape), "data": flat(x)}, "y": flat(y), "dy": flat(dy), "dx": flat(x.grad)}


def layer_norm_case(name, shape, eps):
    d = shape[-1]
    x = (torch.randn(*shape) * 2 + 0.5).requires_grad_()
    gamma = (torch.rand(d) + 0.5).requires_grad_()
    beta = torch.randn(d).requires_grad_()
    y = F.layer_norm(x, (d,), gamma, beta, eps)
    dy = torch.randn_like(y)
    y.backward(dy)
    flat = lambda t: t.detach().flatten().tolist()
    return {
        "name": name,
        "eps": eps,
        "x": {"shape": list(shape), "data": flat(x)},
        "gamma": flat(gamma),
        "beta": flat(beta),
        "y": flat(y),
        "dy": flat(dy),
        "dx": flat(x.grad),
        "dgamma": flat(gamma.grad),
        "dbeta": flat(beta.grad),
    }


def batched_matmul_case(name, batch, m, k, n, transpose_a, transpose_b):
    a = torch.randn(batch, k, m) if transpose_a else torch.randn(batch, m, k)
    b = torch.randn(batch, n, k) if transpose_b else torch.randn(batch, k, n)
    a.requires_grad_()
    b.requires_grad_()
    c = torch.bmm(a.transpose(1, 2) if transpose_a else a, b.transpose(1, 2) if transpose_b else b)
    dc = torch.randn_like(c)
    c.backward(dc)
    flat = lambda t: t.detach().flatten().tolist()
    return {
        "name": name,
        "transposeA": transpose_a,
        "transposeB": transpose_b,
        "a": {"shape": list(a.shape), "data": flat(a)},
        "b": {"shape": list(b.shape), "data": flat(b)},
        "c": flat(c),
        "dc": flat(dc),
        "da": flat(a.grad),
        "db": flat(b.grad),
    }


# sections are drawn in order from one seed: append new sections at the end so earlier values stay byte-identical
golden = {
    "generator": "tools/golden_ops.py",
    "torch": torch.__version__,
    "conv2d": [
        conv_case("3x3 pad 1", 2, 3, 6, 5, 4, (3, 3), (1, 1), (1, 1), (1, 1), 1),
        conv_case("3x3 stride 2 pad 1 odd", 1, 4, 7, 9, 6, (3, 3), (2, 2), (1, 1), (1, 1), 1),
        conv_case("depthwise 3x3 stride 2", 2, 6, 8, 8, 6, (3, 3), (2, 2), (1, 1), (1, 1), 6),
        conv_case("groups 2 dilation 2, 2x3 kernel", 1, 4, 9, 9, 6, (2, 3), (1, 2), (1, 2), (2, 2), 2),
        conv_case("1x1 stride 2", 2, 5, 6, 6, 3, (1, 1), (2, 2), (0, 0), (1, 1), 1),
    ],
    "batch_norm": [
        batch_norm_case("2d training", (4, 3, 5, 5), True, 0.1, 1e-5),
        batch_norm_case("2d inference", (2, 3, 4, 4), False, 0.1, 1e-5),
        batch_norm_case("1d training eps 2e-5 momentum 0.9", (6, 8), True, 0.9, 2e-5),
    ],
    "pool": [
        pool_case("max 2x2", "max", (2, 3, 6, 6), 2, 2, 0, False),
        pool_case("max 3x3 s2 p1", "max", (1, 4, 7, 7), 3, 2, 1, False),
        pool_case("max 3x3 s2 ceil", "max", (1, 2, 8, 7), 3, 2, 0, True),
        pool_case("max 2x2 s2 ceil odd", "max", (1, 2, 5, 5), 2, 2, 0, True),
        pool_case("avg 2x2", "avg", (2, 3, 6, 6), 2, 2, 0, False),
        pool_case("avg 3x3 s2 p1 include pad", "avg", (1, 3, 7, 6), 3, 2, 1, False, True),
        pool_case("avg 3x3 s2 p1 exclude pad ceil", "avg", (1, 3, 8, 7), 3, 2, 1, True, False),
        pool_case("avg 3x3 s2 p1 include pad ceil", "avg", (1, 2, 6, 6), 3, 2, 1, True, True),
    ],
    "softmax_cross_entropy": [
        ce_case("plain", 5, 7, 0.0),
        ce_case("label smoothing 0.1", 6, 10, 0.1),
    ],
    "upsample_nearest2d": [
        upsample_case("scale 2", (2, 3, 4, 5), (2, 2)),
        upsample_case("scale [3, 2]", (1, 2, 3, 4), (3, 2)),
    ],
    "upsample_bilinear2d": [
        bilinear_case("align corners 3x4 to 7x9", (2, 3, 3, 4), (7, 9), True),
        bilinear_case("half-pixel 4x3 to 6x8", (1, 2, 4, 3), (6, 8), False),
        bilinear_case("half-pixel downsizing 5x5 to 3x2", (1, 3, 5, 5), (3, 2), False),
    ],
    "gelu": [
        gelu_case("[4, 9], spread 3 (tails)", (4, 9), 3.0),
        gelu_case("tokens [2, 3, 5]", (2, 3, 5), 1.0),
    ],
    "layer_norm": [
        layer_norm_case("tokens [2, 5, 8], eps 1e-5", (2, 5, 8), 1e-5),
        layer_norm_case("[6, 7], eps 1e-6", (6, 7), 1e-6),
    ],
    "batched_matmul": [
        batched_matmul_case("q·kᵀ [3, 5, 4]·[3, 6, 4]ᵀ", 3, 5, 4, 6, False, True),
        batched_matmul_case("attn·v [3, 5, 6]·[3, 6, 4]", 3, 5, 6, 4, False, False),
        batched_matmul_case("transpose A [2, 7, 3]ᵀ·[2, 7, 5]", 2, 3, 7, 5, True, False),
    ],
}
out = pathlib.Path(__file__).resolve().parent.parent / "fixtures" / "golden" / "ops.json"
out.write_text(json.dumps(golden, indent=1) + "\n")
print(f"wrote {out}")
