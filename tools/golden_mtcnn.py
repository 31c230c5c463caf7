"""Golden values for MTCNN (src/models/detectors), computed with NumPy and Pillow.

The networks and the pipeline are restated the way face.evoLVe's PyTorch port runs them (`applications/align/`:
`get_nets.py`, `box_utils.py`, `first_stage.py`, `detector.py`), in its own array formulation (NCHW, OIHW weights,
the transpose before the first FC layer, `np.round`, Pillow's bilinear `resize`), independently of our TypeScript.
Output: fixtures/golden/mtcnn.json with
  - nets: outputs of P-, R- and O-Net for fixed inputs x[i] = 0.9 * sin(0.37 i) (NHWC order, float32),
  - resize: Pillow's bilinear resize of a fixed 8-bit image to a few sizes,
  - detections: boxes and landmarks of `detect_faces` on four ORL images (grey replicated to RGB).

Needs the shared data (FACEBENCH_SHARED_DATA, default ../shared/data). Run: /usr/bin/python3 tools/golden_mtcnn.py
"""
import json
import math
import os
import struct

import numpy as np
from PIL import Image

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
DATA = os.environ.get("FACEBENCH_SHARED_DATA", os.path.join(ROOT, "..", "shared", "data"))


def safetensors(name):
    raw = open(os.path.join(DATA, "mtcnn", f"{name}.safetensors"), "rb").read()
    n = struct.unpack("<Q", raw[:8])[0]
    header = json.loads(raw[8 : 8 + n])
    out = {}
    for key, e in header.items():
        if key == "__metadata__":
            continue
        a, b = e["data_offsets"]
        out[key] = np.frombuffer(raw[8 + n + a : 8 + n + b], dtype="<f4").reshape(e["shape"]).astype(np.float64)
    return out


def conv(x, w, b):
    n, c, h, wd = x.shape
    o, i, kh, kw = w.shape
    oh, ow = h - kh + 1, wd - kw + 1
    y = np.zeros((n, o, oh, ow))
    for dy in range(kh):
        for dx in range(kw):
            y += np.einsum("nchw,oc->nohw", x[:, :, dy : dy + oh, dx : dx + ow], w[:, :, dy, dx])
    return y + b[None, :, None, None]


def prelu(x, a):
    return np.where(x > 0, x, x * a.reshape([1, -1] + [1] * (x.ndim - 2)))


def pool(x, k, s):
    """MaxPool2d(k, s, ceil_mode=True): the last window must start inside the input."""
    n, c, h, w = x.shape
    oh, ow = math.ceil((h - k) / s) + 1, math.ceil((w - k) / s) + 1
    oh -= (oh - 1) * s >= h
    ow -= (ow - 1) * s >= w
    y = np.empty((n, c, oh, ow))
    for i in range(oh):
        for j in range(ow):
            y[:, :, i, j] = x[:, :, i * s : i * s + k, j * s : j * s + k].max(axis=(2, 3))
    return y


def flatten(x):
    """The port's Flatten: transpose(3, 2) then view(N, -1)."""
    return x.transpose(0, 1, 3, 2).reshape(x.shape[0], -1)


def linear(x, w, b):
    return x @ w.T + b


def softmax(x, axis):
    e = np.exp(x - x.max(axis=axis, keepdims=True))
    return e / e.sum(axis=axis, keepdims=True)


P, R, O = safetensors("pnet"), safetensors("rnet"), safetensors("onet")


def block(p, x, i, k=None):
    y = prelu(conv(x, p[f"features.conv{i}.weight"], p[f"features.conv{i}.bias"]), p[f"features.prelu{i}.weight"])
    return pool(y, *k) if k else y


def fc(p, x, i):
    return prelu(linear(x, p[f"features.conv{i}.weight"], p[f"features.conv{i}.bias"]), p[f"features.prelu{i}.weight"])


def pnet(x):
    y = block(P, block(P, block(P, x, 1, (2, 2)), 2), 3)
    return conv(y, P["conv4_2.weight"], P["conv4_2.bias"]), softmax(conv(y, P["conv4_1.weight"], P["conv4_1.bias"]), 1)


def rnet(x):
    y = fc(R, flatten(block(R, block(R, block(R, x, 1, (3, 2)), 2, (3, 2)), 3)), 4)
    return linear(y, R["conv5_2.weight"], R["conv5_2.bias"]), softmax(linear(y, R["conv5_1.weight"], R["conv5_1.bias"]), 1)


def onet(x):
    y = block(O, block(O, block(O, x, 1, (3, 2)), 2, (3, 2)), 3, (2, 2))
    y = fc(O, flatten(block(O, y, 4)), 5)
    return (
        linear(y, O["conv6_3.weight"], O["conv6_3.bias"]),
        linear(y, O["conv6_2.weight"], O["conv6_2.bias"]),
        softmax(linear(y, O["conv6_1.weight"], O["conv6_1.bias"]), 1),
    )


# ---- box_utils.py ----
def nms(boxes, overlap_threshold=0.5, mode="union"):
    if len(boxes) == 0:
        return []
    pick = []
    x1, y1, x2, y2, score = [boxes[:, i] for i in range(5)]
    area = (x2 - x1 + 1.0) * (y2 - y1 + 1.0)
    ids = np.argsort(score, kind="stable")
    while len(ids) > 0:
        last = len(ids) - 1
        i = ids[last]
        pick.append(i)
        ix1 = np.maximum(x1[i], x1[ids[:last]])
        iy1 = np.maximum(y1[i], y1[ids[:last]])
        ix2 = np.minimum(x2[i], x2[ids[:last]])
        iy2 = np.minimum(y2[i], y2[ids[:last]])
        inter = np.maximum(0.0, ix2 - ix1 + 1.0) * np.maximum(0.0, iy2 - iy1 + 1.0)
        if mode == "min":
            overlap = inter / np.minimum(area[i], area[ids[:last]])
        else:
            overlap = inter / (area[i] + area[ids[:last]] - inter)
        ids = np.delete(ids, np.concatenate([[last], np.where(overlap > overlap_threshold)[0]]))
    return pick


def convert_to_square(b):
    sq = np.zeros_like(b)
    x1, y1, x2, y2 = [b[:, i] for i in range(4)]
    h, w = y2 - y1 + 1.0, x2 - x1 + 1.0
    m = np.maximum(h, w)
    sq[:, 0] = x1 + w * 0.5 - m * 0.5
    sq[:, 1] = y1 + h * 0.5 - m * 0.5
    sq[:, 2] = sq[:, 0] + m - 1.0
    sq[:, 3] = sq[:, 1] + m - 1.0
    return sq


def calibrate_box(b, offsets):
    x1, y1, x2, y2 = [b[:, i] for i in range(4)]
    w, h = np.expand_dims(x2 - x1 + 1.0, 1), np.expand_dims(y2 - y1 + 1.0, 1)
    b[:, 0:4] = b[:, 0:4] + np.hstack([w, h, w, h]) * offsets
    return b


def correct_bboxes(b, width, height):
    x1, y1, x2, y2 = [b[:, i].copy() for i in range(4)]
    w, h = x2 - x1 + 1.0, y2 - y1 + 1.0
    x, y, ex, ey = x1, y1, x2, y2
    dx, dy = np.zeros(len(b)), np.zeros(len(b))
    edx, edy = w.copy() - 1.0, h.copy() - 1.0
    ind = np.where(ex > width - 1.0)[0]
    edx[ind] = w[ind] + width - 2.0 - ex[ind]
    ex[ind] = width - 1.0
    ind = np.where(ey > height - 1.0)[0]
    edy[ind] = h[ind] + height - 2.0 - ey[ind]
    ey[ind] = height - 1.0
    ind = np.where(x < 0.0)[0]
    dx[ind] = 0.0 - x[ind]
    x[ind] = 0.0
    ind = np.where(y < 0.0)[0]
    dy[ind] = 0.0 - y[ind]
    y[ind] = 0.0
    return [v.astype("int32") for v in [dy, edy, dx, edx, y, ey, x, ex, w, h]]


def preprocess(img):
    return (np.expand_dims(img.transpose((2, 0, 1)), 0) - 127.5) * 0.0078125


def get_image_boxes(boxes, img, size):
    width, height = img.size
    dy, edy, dx, edx, y, ey, x, ex, w, h = correct_bboxes(boxes, width, height)
    out = np.zeros((len(boxes), 3, size, size), "float32")
    arr = np.asarray(img, "uint8")
    for i in range(len(boxes)):
        box = np.zeros((h[i], w[i], 3), "uint8")
        box[dy[i] : edy[i] + 1, dx[i] : edx[i] + 1, :] = arr[y[i] : ey[i] + 1, x[i] : ex[i] + 1, :]
        box = Image.fromarray(box).resize((size, size), Image.BILINEAR)
        out[i] = preprocess(np.asarray(box, "float32"))
    return out


# ---- first_stage.py ----
def generate_bboxes(probs, offsets, scale, threshold):
    stride, cell = 2, 12
    inds = np.where(probs > threshold)
    if inds[0].size == 0:
        return np.array([])
    off = np.array([offsets[0, i, inds[0], inds[1]] for i in range(4)])
    score = probs[inds[0], inds[1]]
    b = np.vstack([
        np.round((stride * inds[1] + 1.0) / scale),
        np.round((stride * inds[0] + 1.0) / scale),
        np.round((stride * inds[1] + 1.0 + cell) / scale),
        np.round((stride * inds[0] + 1.0 + cell) / scale),
        score,
        off,
    ])
    return b.T


def run_first_stage(image, scale, threshold):
    width, height = image.size
    sw, sh = math.ceil(width * scale), math.ceil(height * scale)
    img = np.asarray(image.resize((sw, sh), Image.BILINEAR), "float32")
    offsets, probs = pnet(preprocess(img))
    boxes = generate_bboxes(probs[0, 1], offsets, scale, threshold)
    if len(boxes) == 0:
        return None
    return boxes[nms(boxes[:, 0:5], overlap_threshold=0.5)]


# ---- detector.py ----
def detect_faces(image, min_face_size=20.0, thresholds=(0.6, 0.7, 0.8), nms_thresholds=(0.7, 0.7, 0.7)):
    width, height = image.size
    min_length = min(height, width)
    factor, scales, m = 0.707, [], 12 / min_face_size
    min_length *= m
    count = 0
    while min_length > 12:
        scales.append(m * factor**count)
        min_length *= factor
        count += 1
    boxes = [run_first_stage(image, s, thresholds[0]) for s in scales]
    boxes = np.vstack([b for b in boxes if b is not None])
    boxes = boxes[nms(boxes[:, 0:5], nms_thresholds[0])]
    boxes = convert_to_square(calibrate_box(boxes[:, 0:5], boxes[:, 5:]))
    boxes[:, 0:4] = np.round(boxes[:, 0:4])

    offsets, probs = rnet(get_image_boxes(boxes, image, 24).astype(np.float64))
    keep = np.where(probs[:, 1] > thresholds[1])[0]
    boxes = boxes[keep]
    boxes[:, 4] = probs[keep, 1]
    offsets = offsets[keep]
    keep = nms(boxes, nms_thresholds[1])
    boxes = convert_to_square(calibrate_box(boxes[keep], offsets[keep]))
    boxes[:, 0:4] = np.round(boxes[:, 0:4])

    landmarks, offsets, probs = onet(get_image_boxes(boxes, image, 48).astype(np.float64))
    keep = np.where(probs[:, 1] > thresholds[2])[0]
    boxes = boxes[keep]
    boxes[:, 4] = probs[keep, 1]
    offsets, landmarks = offsets[keep], landmarks[keep]
    w, h = boxes[:, 2] - boxes[:, 0] + 1.0, boxes[:, 3] - boxes[:, 1] + 1.0
    landmarks[:, 0:5] = np.expand_dims(boxes[:, 0], 1) + np.expand_dims(w, 1) * landmarks[:, 0:5]
    landmarks[:, 5:10] = np.expand_dims(boxes[:, 1], 1) + np.expand_dims(h, 1) * landmarks[:, 5:10]
    boxes = calibrate_box(boxes, offsets)
    keep = nms(boxes, nms_thresholds[2], mode="min")
    return boxes[keep], landmarks[keep]


def net_case(fn, shape):
    n = int(np.prod(shape))
    x = np.float32(0.9) * np.sin(np.arange(n) * 0.37).astype(np.float32)
    outs = fn(x.astype(np.float64).reshape(shape).transpose(0, 3, 1, 2))
    nhwc = [o.transpose(0, 2, 3, 1) if o.ndim == 4 else o for o in outs]
    return {"shape": shape, "outputs": [{"shape": list(o.shape), "values": o.ravel().tolist()} for o in nhwc]}


def resize_case(width, height, channels, sizes):
    rng = np.random.default_rng(5)
    pixels = rng.integers(0, 256, size=(height, width, channels), dtype=np.uint8)
    img = Image.fromarray(pixels[:, :, 0] if channels == 1 else pixels)
    return {
        "width": width,
        "height": height,
        "channels": channels,
        "pixels": pixels.ravel().tolist(),
        "resized": [
            {"width": w, "height": h, "pixels": np.asarray(img.resize((w, h), Image.BILINEAR)).ravel().tolist()}
            for w, h in sizes
        ],
    }


def detection_case(name):
    grey = Image.open(os.path.join(DATA, "orl", name))
    boxes, landmarks = detect_faces(grey.convert("RGB"))
    return {"image": name, "boxes": boxes[:, 0:5].tolist(), "landmarks": landmarks.tolist()}


golden = {
    "nets": {
        # outputs in the port's order: P-Net (offsets, probs), R-Net (offsets, probs), O-Net (landmarks, offsets, probs)
        "pnet": net_case(pnet, [1, 17, 23, 3]),
        "rnet": net_case(rnet, [2, 24, 24, 3]),
        "onet": net_case(onet, [2, 48, 48, 3]),
    },
    "resize": [resize_case(13, 9, 3, [(5, 4), (24, 24), (13, 20), (4, 9)]), resize_case(30, 7, 1, [(7, 3), (48, 48)])],
    "detections": [detection_case(n) for n in ["s1/1.pgm", "s7/4.pgm", "s23/9.pgm", "s40/10.pgm"]],
}
path = os.path.join(ROOT, "fixtures", "golden", "mtcnn.json")
with open(path, "w") as f:
    json.dump(golden, f, separators=(",", ":"))
    f.write("\n")
print(f"wrote {path}")
