"""Golden forward values for small configurations of every backbone family (src/models/backbones), from PyTorch.

Each family is re-stated in PyTorch following its source library's module structure (face.evoLVe `model_irse.py`
and `model_resnet.py`, arcface_torch `iresnet.py`, FaceX-Zoo `MobileFaceNets.py`, `GhostNet.py`, `LightCNN.py`,
`EfficientNets.py`, `TF_NAS.py`, `HRNet.py` and `AttentionNets.py`, `RepVGG.py`, `ReXNets.py` and `resnest/`
(ResNeSt), arcface_torch `vit.py`, torchvision `densenet.py`, `shufflenetv2.py` and ResNeXt (with Hu et al.'s SE), and
Cadene/timm `dpn.py`, with facebench's face stem and output layer, and the "Bag of Tricks" ResNet-D shortcut / ResNet-C
deep stem), with the channel/depth knobs our presets expose. Weights are random (seeded; BN affine parameters and
running statistics too) and rounded to 8 decimals before the forward pass, so the JSON holds them exactly. The state is
written in our order (parameters in registration order, then buffers) and layout (conv OIHW -> HWIO; the embedding
FC's input columns from NCHW- to NHWC-flatten order); the input goes NCHW -> NHWC. Outputs are taken in eval mode and
in training mode (dropout and drop-connect 0). Output: fixtures/golden/backbones.json.

Run: /usr/bin/python3 tools/golden_backbones.py (tools/torch_train_bench.py imports the model classes,
tools/golden_swin.py `golden_case` and `write_fixture`). On another CPU the float64 outputs of earlier cases can change
in their last bits (PyTorch's conv kernels differ); when appending cases, keep the committed earlier cases
byte-identical and add only the new ones.
"""
import json
import math
import os
from collections import OrderedDict

import torch
from torch import nn

torch.manual_seed(5)
DT = torch.float64


def conv(i, o, k, s=1, p=0, g=1):
    return nn.Conv2d(i, o, k, s, p, groups=g, bias=False)


class Flatten(nn.Module):
    def forward(self, x):
        return x.reshape(x.size(0), -1)


class SE(nn.Module):  # face.evoLVe SEModule (bias-free); with bias as in Hu et al.'s SENet
    def __init__(self, c, r, bias=False):
        super().__init__()
        self.fc1 = nn.Conv2d(c, c // r, 1, bias=bias)
        self.fc2 = nn.Conv2d(c // r, c, 1, bias=bias)

    def forward(self, x):
        w = torch.sigmoid(self.fc2(torch.relu(self.fc1(x.mean((2, 3), keepdim=True)))))
        return x * w


def projection(i, o, s, avg):  # Conv1x1(stride) + BN, or ResNet-D: AvgPool(s, s, ceil, pad not counted) + Conv1x1 + BN
    if avg and s > 1:
        return nn.Sequential(nn.AvgPool2d(s, s, ceil_mode=True, count_include_pad=False), conv(i, o, 1),
                             nn.BatchNorm2d(o))
    return nn.Sequential(conv(i, o, 1, s), nn.BatchNorm2d(o))


def stem(c, k, s, deep, act):  # one k x k conv, or the ResNet-C deep stem (3x3: 3 -> c/2 -> c/2 -> c); each conv-BN-act
    widths = [3, c // 2, c // 2, c] if deep else [3, c]
    kernel = 3 if deep else k
    layers = []
    for n in range(len(widths) - 1):
        o = widths[n + 1]
        layers += [conv(widths[n], o, kernel, s if n == 0 else 1, kernel // 2), nn.BatchNorm2d(o), act(o)]
    return layers


class IrUnit(nn.Module):  # face.evoLVe bottleneck_IR / bottleneck_IR_SE
    def __init__(self, i, d, s, se, r, avg=False):
        super().__init__()
        self.shortcut_layer = nn.MaxPool2d(1, s) if i == d else projection(i, d, s, avg)
        layers = [nn.BatchNorm2d(i), conv(i, d, 3, 1, 1), nn.PReLU(d), conv(d, d, 3, s, 1), nn.BatchNorm2d(d)]
        if se:
            layers.append(SE(d, r))
        self.res_layer = nn.Sequential(*layers)

    def forward(self, x):
        return self.res_layer(x) + self.shortcut_layer(x)


def output_layer(c, spatial, emb):
    return nn.Sequential(nn.BatchNorm2d(c), nn.Dropout(0.0), Flatten(), nn.Linear(c * spatial * spatial, emb),
                         nn.BatchNorm1d(emb))


class Ir(nn.Module):
    def __init__(self, size, units, ch, se, r, emb, avg=False, deep=False):
        super().__init__()
        self.input_layer = nn.Sequential(*stem(ch[0], 3, 1, deep, nn.PReLU))
        body, i = [], ch[0]
        for n, d in zip(units, ch):
            for k in range(n):
                body.append(IrUnit(i, d, 2 if k == 0 else 1, se, r, avg))
                i = d
        self.body = nn.Sequential(*body)
        self.output_layer = output_layer(ch[3], size // 16, emb)
        self.fc = self.output_layer[3]

    def forward(self, x):
        return self.output_layer(self.body(self.input_layer(x)))


class IBasicBlock(nn.Module):  # arcface_torch
    def __init__(self, i, p, s):
        super().__init__()
        self.residual = nn.Sequential(nn.BatchNorm2d(i), conv(i, p, 3, 1, 1), nn.BatchNorm2d(p), nn.PReLU(p),
                                      conv(p, p, 3, s, 1), nn.BatchNorm2d(p))
        self.downsample = nn.Sequential(conv(i, p, 1, s), nn.BatchNorm2d(p)) if s != 1 or i != p else None

    def forward(self, x):
        return self.residual(x) + (self.downsample(x) if self.downsample is not None else x)


class IResNet(nn.Module):
    def __init__(self, size, layers, ch, emb):
        super().__init__()
        self.stem = nn.Sequential(conv(3, ch[0], 3, 1, 1), nn.BatchNorm2d(ch[0]), nn.PReLU(ch[0]))
        body, i = [], ch[0]
        for n, d in zip(layers, ch):
            for k in range(n):
                body.append(IBasicBlock(i, d, 2 if k == 0 else 1))
                i = d
        self.body = nn.Sequential(*body)
        self.output_layer = output_layer(ch[3], size // 16, emb)
        self.fc = self.output_layer[3]
        self.output_layer[4].weight.requires_grad = False

    def forward(self, x):
        return self.output_layer(self.body(self.stem(x)))


class Bottleneck(nn.Module):  # torchvision / face.evoLVe model_resnet; ResNeXt width/groups, SE-ResNeXt SE (biased)
    def __init__(self, i, p, s, w=None, g=1, se_r=None, avg=False):
        super().__init__()
        o, w = 4 * p, w or p
        layers = [conv(i, w, 1), nn.BatchNorm2d(w), nn.ReLU(), conv(w, w, 3, s, 1, g), nn.BatchNorm2d(w), nn.ReLU(),
                  conv(w, o, 1), nn.BatchNorm2d(o)]
        if se_r:
            layers.append(SE(o, se_r, bias=True))
        self.residual = nn.Sequential(*layers)
        self.downsample = projection(i, o, s, avg) if s != 1 or i != o else None

    def forward(self, x):
        return torch.relu(self.residual(x) + (self.downsample(x) if self.downsample is not None else x))


class ResNet(nn.Module):
    def __init__(self, size, layers, planes, emb, avg=False, deep=False):
        super().__init__()
        self.stem = nn.Sequential(*stem(planes[0], 7, 2, deep, lambda c: nn.ReLU()), nn.MaxPool2d(3, 2, 1))
        body, i = [], planes[0]
        for stage, (n, p) in enumerate(zip(layers, planes)):
            for k in range(n):
                body.append(Bottleneck(i, p, 2 if k == 0 and stage > 0 else 1, avg=avg))
                i = 4 * p
        self.body = nn.Sequential(*body)
        self.output_layer = output_layer(i, -(-size // 32), emb)
        self.fc = self.output_layer[3]

    def forward(self, x):
        return self.output_layer(self.body(self.stem(x)))


def conv_block(i, o, k, s=1, p=0, g=1, act=True):  # FaceX-Zoo Conv_block / Linear_block
    layers = [conv(i, o, k, s, p, g), nn.BatchNorm2d(o)]
    if act:
        layers.append(nn.PReLU(o))
    return nn.Sequential(*layers)


class DepthWise(nn.Module):  # FaceX-Zoo Depth_Wise
    def __init__(self, i, o, g, s, residual):
        super().__init__()
        self.model = nn.Sequential(conv_block(i, g, 1), conv_block(g, g, 3, s, 1, g), conv_block(g, o, 1, act=False))
        self.residual = residual

    def forward(self, x):
        y = self.model(x)
        return y + x if self.residual else y


class MobileFaceNet(nn.Module):
    def __init__(self, size, ch, blocks, exp, sep, first_groups, emb):
        super().__init__()
        c1, c2 = ch
        stage = lambda c, n, g: nn.Sequential(*[DepthWise(c, c, g, 1, True) for _ in range(n)])
        second = conv_block(c1, c1, 3, 1, 1, first_groups) if blocks[0] == 1 else stage(c1, blocks[0], exp[0])
        self.body = nn.Sequential(
            conv_block(3, c1, 3, 2, 1), second, DepthWise(c1, c1, exp[0], 2, False), stage(c1, blocks[1], exp[0]),
            DepthWise(c1, c2, exp[1], 2, False), stage(c2, blocks[2], exp[1]), DepthWise(c2, c2, exp[2], 2, False),
            stage(c2, blocks[3], exp[3]), conv_block(c2, sep, 1))
        m = size // 16
        self.gdc = nn.Sequential(conv_block(sep, sep, m, g=sep, act=False), Flatten(), nn.Linear(sep, emb, bias=False),
                                 nn.BatchNorm1d(emb))
        self.fc = None

    def forward(self, x):
        return self.gdc(self.body(x))


def make_divisible(v, divisor):  # FaceX-Zoo GhostNet `_make_divisible` (TensorFlow's rule)
    n = max(divisor, int(v + divisor / 2) // divisor * divisor)
    return n + divisor if n < 0.9 * v else n


def conv_bn(i, o, k, s=1, g=1, act=True):  # FaceX-Zoo GhostNet conv → BN (→ ReLU), padding k // 2
    layers = [conv(i, o, k, s, k // 2, g), nn.BatchNorm2d(o)]
    if act:
        layers.append(nn.ReLU())
    return nn.Sequential(*layers)


class GhostModule(nn.Module):  # FaceX-Zoo GhostModule, ratio 2, 1×1 primary, 3×3 cheap
    def __init__(self, i, o, act):
        super().__init__()
        self.o = o
        init = -(-o // 2)
        self.primary_conv = conv_bn(i, init, 1, act=act)
        self.cheap_operation = conv_bn(init, init, 3, g=init, act=act)

    def forward(self, x):
        x1 = self.primary_conv(x)
        return torch.cat([x1, self.cheap_operation(x1)], 1)[:, :self.o]


class GhostSE(nn.Module):  # FaceX-Zoo SqueezeExcite: biased 1×1 convs, ReLU, hard sigmoid relu6(x + 3) / 6
    def __init__(self, c, ratio):
        super().__init__()
        r = make_divisible(c * ratio, 4)
        self.conv_reduce = nn.Conv2d(c, r, 1, bias=True)
        self.conv_expand = nn.Conv2d(r, c, 1, bias=True)

    def forward(self, x):
        w = self.conv_expand(torch.relu(self.conv_reduce(x.mean((2, 3), keepdim=True))))
        return x * (torch.nn.functional.relu6(w + 3) / 6)


class GhostBottleneck(nn.Module):  # FaceX-Zoo GhostBottleneck
    def __init__(self, i, mid, o, k, s, se):
        super().__init__()
        layers = [GhostModule(i, mid, True)]
        if s > 1:
            layers.append(conv_bn(mid, mid, k, s, mid, act=False))
        if se > 0:
            layers.append(GhostSE(mid, se))
        layers.append(GhostModule(mid, o, False))
        self.body = nn.Sequential(*layers)
        self.shortcut = None if i == o and s == 1 else nn.Sequential(conv_bn(i, i, k, s, i, act=False),
                                                                       conv_bn(i, o, 1, act=False))

    def forward(self, x):
        return self.body(x) + (x if self.shortcut is None else self.shortcut(x))


class GhostNet(nn.Module):  # FaceX-Zoo GhostNet: stride-1 stem, BN-Dropout-FC-BN output layer
    def __init__(self, size, width, stages, emb):
        super().__init__()
        c = make_divisible(16 * width, 4)
        self.stem = conv_bn(3, c, 3)
        blocks = []
        for stage in stages:
            units = []
            for k, exp, out, se, s in stage:
                o = make_divisible(out * width, 4)
                units.append(GhostBottleneck(c, make_divisible(exp * width, 4), o, k, s, se))
                c = o
            blocks.append(nn.Sequential(*units))
        last = make_divisible(stages[-1][-1][1] * width, 4)
        blocks.append(conv_bn(c, last, 1))
        self.blocks = nn.Sequential(*blocks)
        self.output_layer = output_layer(last, size // 16, emb)
        self.fc = self.output_layer[3]

    def forward(self, x):
        return self.output_layer(self.blocks(self.stem(x)))


class DenseLayer(nn.Module):  # torchvision `_DenseLayer` (bottleneck BN-ReLU-1×1(4k)-BN-ReLU-3×3(k), no dropout)
    def __init__(self, i, k):
        super().__init__()
        self.body = nn.Sequential(nn.BatchNorm2d(i), nn.ReLU(), conv(i, 4 * k, 1), nn.BatchNorm2d(4 * k), nn.ReLU(),
                                  conv(4 * k, k, 3, 1, 1))

    def forward(self, x):
        return torch.cat([x, self.body(x)], 1)


def transition(i, o):  # torchvision `_Transition`: BN-ReLU-1×1 conv-2×2 average pool
    return nn.Sequential(nn.BatchNorm2d(i), nn.ReLU(), conv(i, o, 1), nn.AvgPool2d(2, 2))


class DenseNet(nn.Module):  # torchvision DenseNet features, 3×3 max-pool removed, then the face output layer
    def __init__(self, size, blocks, k, stem, emb):
        super().__init__()
        layers, c = [conv(3, stem, 7, 2, 3), nn.BatchNorm2d(stem), nn.ReLU()], stem
        for b, n in enumerate(blocks):
            for _ in range(n):
                layers.append(DenseLayer(c, k))
                c += k
            if b < len(blocks) - 1:
                layers.append(transition(c, c // 2))
                c //= 2
        layers += [nn.BatchNorm2d(c), nn.ReLU()]
        self.features = nn.Sequential(*layers)
        self.output_layer = output_layer(c, size // 16, emb)
        self.fc = self.output_layer[3]

    def forward(self, x):
        return self.output_layer(self.features(x))


class Mfm(nn.Module):  # FaceX-Zoo LightCNN `mfm`: conv (bias) or linear to 2·o, element-wise max of the two halves
    def __init__(self, i, o, k=3, s=1, p=1, linear=False):
        super().__init__()
        self.o = o
        self.filter = nn.Linear(i, 2 * o) if linear else nn.Conv2d(i, 2 * o, k, s, p)

    def forward(self, x):
        a, b = torch.split(self.filter(x), self.o, 1)
        return torch.max(a, b)


class MfmResBlock(nn.Module):  # FaceX-Zoo LightCNN `resblock`: two 3×3 MFM convs plus the identity
    def __init__(self, c):
        super().__init__()
        self.conv1 = Mfm(c, c)
        self.conv2 = Mfm(c, c)

    def forward(self, x):
        return self.conv2(self.conv1(x)) + x


def mfm_group(i, o):  # FaceX-Zoo LightCNN `group`: 1×1 MFM then 3×3 MFM
    return nn.Sequential(Mfm(i, i, 1, 1, 0), Mfm(i, o))


class LightPool(nn.Module):  # v1: 2×2 max pool, ceil mode; v2 (FaceX-Zoo 29v2): 2×2 max pool + 2×2 average pool
    def __init__(self, summed):
        super().__init__()
        self.summed = summed

    def forward(self, x):
        f = torch.nn.functional
        return f.max_pool2d(x, 2) + f.avg_pool2d(x, 2) if self.summed else f.max_pool2d(x, 2, ceil_mode=True)


class LightCNN(nn.Module):  # FaceX-Zoo `network_29layers(_v2)` (blocks (0,0,0,0) = `network_9layers`), RGB input
    def __init__(self, size, blocks, ch, summed, mfm_fc, emb, in_ch=3):
        super().__init__()
        layers = [Mfm(in_ch, ch[0], 5, 1, 2), LightPool(summed)]
        for s, n in enumerate(blocks):
            layers += [MfmResBlock(ch[s]) for _ in range(n)]
            layers.append(mfm_group(ch[s], ch[s + 1]))
            if s != 2:
                layers.append(LightPool(summed))
        self.features = nn.Sequential(*layers)
        m = size // 16
        if mfm_fc:  # the original's 256-d feature: Flatten → MFM Linear
            self.output_layer = nn.Sequential(Flatten(), Mfm(ch[4] * m * m, emb, linear=True))
            self.fc = self.output_layer[1].filter
        else:
            self.output_layer = output_layer(ch[4], m, emb)
            self.fc = self.output_layer[3]
        self.fc_channels = ch[4]

    def forward(self, x):
        return self.output_layer(self.features(x))


class ResNeXt(nn.Module):  # torchvision ResNeXt (+ SE) between the IR face stem and output layer, all stages stride 2
    def __init__(self, size, layers, planes, card, base, se_r, emb, avg=False, deep=False):
        super().__init__()
        self.input_layer = nn.Sequential(*stem(planes[0], 3, 1, deep, nn.PReLU))
        body, i = [], planes[0]
        for n, p in zip(layers, planes):
            for k in range(n):
                body.append(Bottleneck(i, p, 2 if k == 0 else 1, p * base // 64 * card, card, se_r, avg))
                i = 4 * p
        self.body = nn.Sequential(*body)
        self.output_layer = output_layer(i, size // 16, emb)
        self.fc = self.output_layer[3]

    def forward(self, x):
        return self.output_layer(self.body(self.input_layer(x)))


class VitAttention(nn.Module):  # arcface_torch `Attention`: qkv without bias, softmax(q kT / sqrt(hd)) v, projection
    def __init__(self, d, heads):
        super().__init__()
        self.heads = heads
        self.qkv = nn.Linear(d, 3 * d, bias=False)
        self.proj = nn.Linear(d, d)

    def forward(self, x):
        n, t, d = x.shape
        hd = d // self.heads
        q, k, v = self.qkv(x).reshape(n, t, 3, self.heads, hd).permute(2, 0, 3, 1, 4)
        weights = ((q @ k.transpose(-2, -1)) * hd ** -0.5).softmax(dim=-1)
        return self.proj((weights @ v).transpose(1, 2).reshape(n, t, d))


class VitBlock(nn.Module):  # arcface_torch `Block`: pre-norm attention and ReLU6 MLP residuals (drop-path 0)
    def __init__(self, d, heads, ratio):
        super().__init__()
        self.norm1 = nn.LayerNorm(d)
        self.attn = VitAttention(d, heads)
        self.norm2 = nn.LayerNorm(d)
        self.mlp = nn.Sequential(OrderedDict(fc1=nn.Linear(d, d * ratio), act=nn.ReLU6(), fc2=nn.Linear(d * ratio, d)))

    def forward(self, x):
        x = x + self.attn(self.norm1(x))
        return x + self.mlp(self.norm2(x))


class ViT(nn.Module):  # arcface_torch `VisionTransformer` with masking off; LayerNorm affine randomised to test it
    def __init__(self, size, patch, d, depth, heads, ratio, emb):
        super().__init__()
        p = (size // patch) ** 2
        self.pos_embed = nn.Parameter(torch.randn(1, p, d) * 0.02)
        self.mask_token = nn.Parameter(torch.randn(1, 1, d) * 0.02)
        self.patch_embed = nn.Sequential(OrderedDict(proj=nn.Conv2d(3, d, patch, patch)))
        self.blocks = nn.Sequential(*[VitBlock(d, heads, ratio) for _ in range(depth)])
        self.norm = nn.LayerNorm(d)
        self.feature = nn.Sequential(nn.Linear(p * d, d, bias=False), nn.BatchNorm1d(d, eps=2e-5),
                                     nn.Linear(d, emb, bias=False), nn.BatchNorm1d(emb, eps=2e-5))
        with torch.no_grad():
            for m in self.modules():
                if isinstance(m, nn.LayerNorm):
                    m.weight.uniform_(0.5, 1.5)
                    m.bias.uniform_(-0.2, 0.2)
        self.fc = None  # tokens flatten in the same order in both layouts: no column permutation

    def forward(self, x):
        tokens = self.patch_embed(x).flatten(2).transpose(1, 2) + self.pos_embed
        return self.feature(self.norm(self.blocks(tokens)).flatten(1))


GHOST_TINY = [[[3, 16, 16, 0, 1]], [[3, 48, 24, 0, 2]], [[3, 72, 24, 0, 1]], [[5, 72, 40, 0.25, 2]],
              [[5, 120, 40, 0.25, 1]], [[3, 240, 80, 0, 2]], [[3, 480, 112, 0.25, 1]], [[5, 672, 160, 0.25, 2]],
              [[5, 960, 160, 0, 1]]]
GHOST_MIXED = [[[3, 16, 16, 0, 1]], [[3, 48, 24, 0, 2], [3, 72, 24, 0, 1]], [[5, 72, 40, 0.25, 2], [5, 120, 40, 0.25, 1]],
               [[3, 240, 80, 0, 2], [3, 480, 112, 0.25, 1]], [[5, 672, 160, 0.25, 2], [5, 960, 160, 0.25, 1]]]


def round_filters(c, width):  # FaceX-Zoo EfficientNets `round_filters`, divisor 8
    n = max(8, int(c * width + 4) // 8 * 8)
    return n + 8 if n < 0.9 * c * width else n


class SameConvBn(nn.Module):  # FaceX-Zoo Conv2dStaticSamePadding (declared side) → BN(eps 1e-3) [→ swish]
    def __init__(self, i, o, k, s, g, declared, act):
        super().__init__()
        total = max((-(-declared // s) - 1) * s + k - declared, 0)
        self.pad = nn.ZeroPad2d((total // 2, total - total // 2, total // 2, total - total // 2))
        self.conv = conv(i, o, k, s, 0, g)
        self.bn = nn.BatchNorm2d(o, eps=1e-3, momentum=0.01)
        self.act = act

    def forward(self, x):
        y = self.bn(self.conv(self.pad(x)))
        return y * torch.sigmoid(y) if self.act else y


class EffSE(nn.Module):  # FaceX-Zoo MBConvBlock SE: biased 1×1 convs, swish, sigmoid gate
    def __init__(self, c, hidden):
        super().__init__()
        self.se_reduce = nn.Conv2d(c, hidden, 1)
        self.se_expand = nn.Conv2d(hidden, c, 1)

    def forward(self, x):
        h = self.se_reduce(x.mean((2, 3), keepdim=True))
        return x * torch.sigmoid(self.se_expand(h * torch.sigmoid(h)))


class MBConv(nn.Module):  # FaceX-Zoo MBConvBlock (drop-connect off: the golden compares p = 0)
    def __init__(self, i, o, k, s, e, se, declared):
        super().__init__()
        mid = i * e
        layers = [SameConvBn(i, mid, 1, 1, 1, declared, True)] if e != 1 else []
        layers.append(SameConvBn(mid, mid, k, s, mid, declared, True))
        if se > 0:
            layers.append(EffSE(mid, max(1, int(i * se))))
        layers.append(SameConvBn(mid, o, 1, 1, 1, -(-declared // s), False))
        self.body = nn.Sequential(*layers)
        self.residual = s == 1 and i == o

    def forward(self, x):
        return self.body(x) + x if self.residual else self.body(x)


class EfficientNet(nn.Module):  # FaceX-Zoo EfficientNet: stride-1 stem, declared side halved after it
    def __init__(self, size, width, depth, stages, emb, stem=32, head=1280):
        super().__init__()
        c = round_filters(stem, width)
        self.stem = SameConvBn(3, c, 3, 1, 1, size, True)
        declared, actual, blocks = -(-size // 2), size, []
        for r, k, s, e, out, se in stages:
            o = round_filters(out, width)
            for n in range(math.ceil(depth * r)):
                stride = s if n == 0 else 1
                blocks.append(MBConv(c, o, k, stride, e, se, declared))
                total = max((-(-declared // stride) - 1) * stride + k - declared, 0)
                actual = (actual + total - k) // stride + 1
                declared = -(-declared // stride)
                c = o
        self.blocks = nn.Sequential(*blocks)
        h = round_filters(head, width)
        self.head = SameConvBn(c, h, 1, 1, 1, declared, True)
        self.output_layer = output_layer(h, actual, emb)
        self.fc = self.output_layer[3]

    def forward(self, x):
        return self.output_layer(self.head(self.blocks(self.stem(x))))


EFF_B0 = [[1, 3, 1, 1, 16, 0.25], [2, 3, 2, 6, 24, 0.25], [2, 5, 2, 6, 40, 0.25], [3, 3, 2, 6, 80, 0.25],
          [3, 5, 1, 6, 112, 0.25], [4, 5, 2, 6, 192, 0.25], [1, 3, 1, 6, 320, 0.25]]
EFF_MIXED = [[2, 3, 1, 1, 16, 0], [1, 5, 2, 6, 24, 0.25], [2, 3, 2, 3, 40, 0], [1, 5, 2, 6, 80, 0.5],
             [2, 5, 2, 2, 96, 0.25]]


class ShuffleUnit(nn.Module):  # torchvision InvertedResidual (ShuffleNet V2 unit)
    def __init__(self, i, o, s):
        super().__init__()
        half = o // 2
        self.s = s
        if s > 1:
            self.branch1 = nn.Sequential(conv_bn(i, i, 3, s, i, False), conv_bn(i, half, 1))
        b = i if s > 1 else half
        self.branch2 = nn.Sequential(conv_bn(b, half, 1), conv_bn(half, half, 3, s, half, False),
                                     conv_bn(half, half, 1))

    def forward(self, x):
        if self.s == 1:
            x1, x2 = x.chunk(2, dim=1)
            y = torch.cat((x1, self.branch2(x2)), 1)
        else:
            y = torch.cat((self.branch1(x), self.branch2(x)), 1)
        n, c, h, w = y.shape
        return y.view(n, 2, c // 2, h, w).transpose(1, 2).reshape(n, c, h, w)


class ShuffleNetV2(nn.Module):  # torchvision ShuffleNetV2 with a stride-1 stem conv and the face output layer
    def __init__(self, size, stem, channels, repeats, last, emb):
        super().__init__()
        self.conv1 = conv_bn(3, stem, 3)
        self.maxpool = nn.MaxPool2d(3, 2, 1)
        stages, c = [], stem
        for o, r in zip(channels, repeats):
            stages.append(nn.Sequential(*[ShuffleUnit(c if n == 0 else o, o, 2 if n == 0 else 1) for n in range(r)]))
            c = o
        self.stages = nn.Sequential(*stages)
        self.conv5 = conv_bn(c, last, 1)
        side = size
        for _ in range(4):
            side = -(-side // 2)
        self.output_layer = output_layer(last, side, emb)
        self.fc = self.output_layer[3]

    def forward(self, x):
        return self.output_layer(self.conv5(self.stages(self.maxpool(self.conv1(x)))))


def bn_relu_conv(i, o, k, s=1, g=1):  # DPN `BnActConv2d`: BN(eps 1e-3) -> ReLU -> bias-free conv, padding k // 2
    return nn.Sequential(nn.BatchNorm2d(i, eps=1e-3), nn.ReLU(), conv(i, o, k, s, k // 2, g))


class DualPathBlock(nn.Module):  # Chen et al.'s dual-path block (Cadene/timm `DualPathBlock`, b=False)
    def __init__(self, i, r, bw, inc, g, s, proj):
        super().__init__()
        self.bw = bw
        self.proj = bn_relu_conv(i, bw + 2 * inc, 1, s) if proj else None
        self.body = nn.Sequential(bn_relu_conv(i, r, 1), bn_relu_conv(r, r, 3, s, g), bn_relu_conv(r, bw + inc, 1))

    def forward(self, x):  # x = residual path (bw channels) and dense path, concatenated on channels
        shortcut = self.proj(x) if self.proj is not None else x
        y = self.body(x)
        resid = shortcut[:, :self.bw] + y[:, :self.bw]
        return torch.cat([resid, shortcut[:, self.bw:], y[:, self.bw:]], 1)


class DPN(nn.Module):  # DPN body between the IR face stem (3x3 s1, BN, PReLU) and the face output layer
    def __init__(self, size, stem, widths, k_r, g, blocks, incs, emb, imagenet_stem=None):
        super().__init__()
        if imagenet_stem:  # ImageNet: k x k stride-2 conv, BN(eps 1e-3), ReLU, 3x3 stride-2 max pool; first stage stride 1
            self.stem = nn.Sequential(conv(3, stem, imagenet_stem, 2, imagenet_stem // 2), nn.BatchNorm2d(stem, eps=1e-3),
                                      nn.ReLU(), nn.MaxPool2d(3, 2, 1))
        else:
            self.stem = nn.Sequential(conv(3, stem, 3, 1, 1), nn.BatchNorm2d(stem), nn.PReLU(stem))
        units, c = [], stem
        for stage, (n, bw, inc) in enumerate(zip(blocks, widths, incs)):
            r = k_r * 2 ** stage
            for k in range(n):
                first = k == 0
                units.append(DualPathBlock(c, r, bw, inc, g, 2 if first and (stage > 0 or not imagenet_stem) else 1,
                                           first))
                c = bw + 3 * inc if first else c + inc
        units += [nn.BatchNorm2d(c, eps=1e-3), nn.ReLU()]
        self.features = nn.Sequential(*units)
        self.output_layer = output_layer(c, size // 16, emb)
        self.fc = self.output_layer[3]

    def forward(self, x):
        return self.output_layer(self.features(self.stem(x)))


class MBInvertedRes(nn.Module):  # FaceX-Zoo TF_NAS `MBInvertedResBlock` (no groups, no shuffle)
    def __init__(self, i, mid, se, o, k, s, act):
        super().__init__()
        self.act = act
        mid = mid if mid > i else i  # FaceX-Zoo: no 1x1 expansion unless mid > in
        self.expand = nn.Sequential(conv(i, mid, 1), nn.BatchNorm2d(mid)) if mid > i else None
        self.depthwise = nn.Sequential(conv(mid, mid, k, s, k // 2, mid), nn.BatchNorm2d(mid))
        if se > 0:
            self.se_reduce = nn.Conv2d(mid, se, 1)
            self.se_expand = nn.Conv2d(se, mid, 1)
        self.se = se > 0
        self.project = nn.Sequential(conv(mid, o, 1), nn.BatchNorm2d(o))
        self.residual = i == o and s == 1

    def activate(self, x):
        return torch.relu(x) if self.act == "relu" else x * torch.sigmoid(x)

    def forward(self, x):
        y = self.activate(self.expand(x)) if self.expand is not None else x
        y = self.activate(self.depthwise(y))
        if self.se:
            y = y * torch.sigmoid(self.se_expand(self.activate(self.se_reduce(y.mean((2, 3), keepdim=True)))))
        y = self.project(y)
        return y + x if self.residual else y


class TfNas(nn.Module):  # FaceX-Zoo TF_NAS_A: 3x3 s1 stem (ReLU), MBInverted blocks, 1x1 mix (linear), Drop-FC-BN1d
    def __init__(self, size, stem, stages, head, emb):
        super().__init__()
        self.stem = nn.Sequential(conv(3, stem, 3, 1, 1), nn.BatchNorm2d(stem), nn.ReLU())
        blocks, c, side = [], stem, size
        for stage in stages:
            for mid, se, o, k, s, act in stage:
                blocks.append(MBInvertedRes(c, mid, se, o, k, s, act))
                c, side = o, -(-side // s)
        self.blocks = nn.Sequential(*blocks)
        self.mix = nn.Sequential(conv(c, head, 1), nn.BatchNorm2d(head))
        self.output_layer = nn.Sequential(nn.Dropout(0.0), Flatten(), nn.Linear(head * side * side, emb),
                                          nn.BatchNorm1d(emb))
        self.fc = self.output_layer[2]
        self.fc_channels = head

    def forward(self, x):
        return self.output_layer(self.mix(self.blocks(self.stem(x))))


TF_NAS_A = [
    [[32, 8, 16, 3, 1, "relu"]],
    [[83, 32, 24, 3, 2, "relu"], [128, 0, 24, 5, 1, "relu"]],
    [[138, 48, 40, 3, 2, "swish"], [297, 0, 40, 3, 1, "swish"], [170, 80, 40, 5, 1, "swish"]],
    [[248, 80, 80, 5, 2, "swish"], [500, 0, 80, 3, 1, "swish"], [424, 0, 80, 3, 1, "swish"],
     [477, 0, 80, 3, 1, "swish"]],
    [[504, 160, 112, 3, 1, "swish"], [796, 0, 112, 3, 1, "swish"], [723, 224, 112, 3, 1, "swish"],
     [555, 224, 112, 3, 1, "swish"]],
    [[813, 0, 192, 3, 2, "swish"], [1370, 0, 192, 3, 1, "swish"], [1138, 384, 192, 3, 1, "swish"],
     [1359, 384, 192, 3, 1, "swish"]],
    [[1203, 384, 320, 5, 1, "swish"]],
]

TF_NAS_TINY = [[[8, 2, 8, 3, 1, "relu"]], [[16, 4, 8, 3, 2, "relu"]], [[24, 0, 12, 3, 2, "swish"]],
               [[32, 8, 16, 5, 2, "swish"]], [[48, 0, 16, 3, 1, "swish"]], [[64, 16, 24, 3, 2, "swish"]],
               [[72, 0, 32, 5, 1, "swish"]]]
TF_NAS_MIXED = [[[10, 4, 16, 3, 1, "relu"]], [[40, 8, 16, 5, 2, "relu"], [24, 6, 16, 3, 1, "relu"]],
                [[48, 0, 24, 3, 2, "swish"], [20, 0, 24, 5, 1, "swish"]],
                [[64, 12, 32, 3, 2, "swish"], [96, 16, 32, 3, 1, "swish"]], [[80, 0, 40, 5, 2, "swish"]]]
class BasicBlock(nn.Module):  # torchvision BasicBlock (FaceX-Zoo HRNet's branch unit)
    def __init__(self, i, o, s=1):
        super().__init__()
        self.residual = nn.Sequential(conv(i, o, 3, s, 1), nn.BatchNorm2d(o), nn.ReLU(), conv(o, o, 3, 1, 1),
                                      nn.BatchNorm2d(o))
        self.downsample = projection(i, o, s, False) if s != 1 or i != o else None

    def forward(self, x):
        return torch.relu(self.residual(x) + (self.downsample(x) if self.downsample is not None else x))


def hr_fuse_path(f, t, levels):  # FaceX-Zoo HighResolutionModule fuse layer from branch j to output i, levels = j - i
    if levels > 0:
        return nn.Sequential(conv(f, t, 1), nn.BatchNorm2d(t), nn.Upsample(scale_factor=2 ** levels, mode="nearest"))
    return nn.Sequential(*[conv_bn(f, t if k == -levels - 1 else f, 3, 2, act=k != -levels - 1)
                           for k in range(-levels)])


class HrModule(nn.Module):  # FaceX-Zoo HighResolutionModule: BASIC branches, SUM fusion, every resolution output
    def __init__(self, ch, blocks):
        super().__init__()
        self.branches = nn.ModuleList([nn.Sequential(*[BasicBlock(c, c) for _ in range(blocks)]) for c in ch])
        self.fuse_layers = nn.ModuleList([nn.ModuleList([None if j == i else hr_fuse_path(f, t, j - i)
                                                         for j, f in enumerate(ch)]) for i, t in enumerate(ch)])

    def forward(self, xs):
        xs = [b(x) for b, x in zip(self.branches, xs)]
        out = []
        for i, row in enumerate(self.fuse_layers):
            y = xs[0] if i == 0 else row[0](xs[0])
            for j in range(1, len(xs)):
                y = y + (xs[j] if i == j else row[j](xs[j]))
            out.append(torch.relu(y))
        return out


class HrStage(nn.Module):  # FaceX-Zoo transition{k} (one new branch, from the last) followed by stage{k+1}
    def __init__(self, prev, cur, modules, blocks):
        super().__init__()
        trans = []
        for i, c in enumerate(cur):
            if i >= len(prev):
                trans.append(conv_bn(prev[-1], c, 3, 2))
            else:
                trans.append(None if c == prev[i] else conv_bn(prev[i], c, 3, 1))
        self.transition = nn.ModuleList(trans)
        self.modules_ = nn.Sequential(*[HrModule(cur, blocks) for _ in range(modules)])

    def forward(self, xs):
        ys = []
        for i, t in enumerate(self.transition):
            if t is None:
                ys.append(xs[i])
            else:
                ys.append(t(xs[-1]))  # FaceX-Zoo feeds every transition the last branch (x itself in stage 2)
        for m in self.modules_:
            ys = m(ys)
        return ys


class HRNet(nn.Module):  # FaceX-Zoo HighResolutionNet: stride-2 then stride-1 stem conv, cls head, FC-BN1d output
    def __init__(self, size, stem, stage1, ch, modules, blocks, head, final, emb):
        super().__init__()
        self.stem = nn.Sequential(conv_bn(3, stem, 3, 2), conv_bn(stem, stem, 3, 1))
        n1, p1 = stage1
        self.layer1 = nn.Sequential(*[Bottleneck(stem if k == 0 else 4 * p1, p1, 1) for k in range(n1)])
        prev, stages = [4 * p1], []
        for k, m in enumerate(modules):
            stages.append(HrStage(prev, ch[:k + 2], m, blocks))
            prev = ch[:k + 2]
        self.stages = nn.Sequential(*stages)
        self.incre_modules = nn.ModuleList([nn.Sequential(Bottleneck(c, p, 1)) for c, p in zip(ch, head)])
        self.downsamp_modules = nn.ModuleList([nn.Sequential(nn.Conv2d(4 * head[i], 4 * head[i + 1], 3, 2, 1),
                                                             nn.BatchNorm2d(4 * head[i + 1]), nn.ReLU())
                                               for i in range(3)])
        self.final_layer = nn.Sequential(nn.Conv2d(4 * head[3], final, 1), nn.BatchNorm2d(final), nn.ReLU())
        side = size
        for _ in range(4):
            side = -(-side // 2)
        self.output_layer = nn.Sequential(Flatten(), nn.Linear(final * side * side, emb, bias=False),
                                          nn.BatchNorm1d(emb))
        self.fc = self.output_layer[1]
        self.fc_channels = final

    def forward(self, x):
        xs = [self.layer1(self.stem(x))]
        for stage in self.stages:
            xs = stage(xs)
        y = self.incre_modules[0](xs[0])
        for i in range(3):
            y = self.incre_modules[i + 1](xs[i + 1]) + self.downsamp_modules[i](y)
        return self.output_layer(self.final_layer(y))


class PreActBottleneck(nn.Module):  # FaceX-Zoo AttentionNets `ResidualBlock` (conv4 only where the shortcut uses it)
    def __init__(self, i, o, s=1):
        super().__init__()
        self.bn1 = nn.BatchNorm2d(i)
        self.body = nn.Sequential(conv(i, o // 4, 1), nn.BatchNorm2d(o // 4), nn.ReLU(), conv(o // 4, o // 4, 3, s, 1),
                                  nn.BatchNorm2d(o // 4), nn.ReLU(), conv(o // 4, o, 1))
        self.shortcut = conv(i, o, 1, s) if i != o or s != 1 else None

    def forward(self, x):
        a = torch.relu(self.bn1(x))
        return self.body(a) + (self.shortcut(a) if self.shortcut is not None else x)


class AttentionModule(nn.Module):  # FaceX-Zoo AttentionModule_stage{1,2,3}: `levels` = 3, 2, 1 max-pool levels
    def __init__(self, c, levels):
        super().__init__()
        unit = lambda: PreActBottleneck(c, c)
        self.first = unit()
        self.trunk = nn.Sequential(unit(), unit())
        self.down = nn.ModuleList([nn.ModuleList([unit(), unit()]) for _ in range(levels - 1)])  # softmax, skip
        self.bottom = nn.Sequential(unit(), unit())
        self.up = nn.ModuleList([unit() for _ in range(levels - 1)])
        self.mask = nn.Sequential(nn.BatchNorm2d(c), nn.ReLU(), conv(c, c, 1), nn.BatchNorm2d(c), nn.ReLU(),
                                  conv(c, c, 1), nn.Sigmoid())
        self.last = unit()

    def forward(self, x):
        x = self.first(x)
        trunk = self.trunk(x)
        pool = lambda t: nn.functional.max_pool2d(t, 3, 2, 1)
        up = lambda t, like: nn.functional.interpolate(t, size=like.shape[2:], mode="bilinear", align_corners=True)
        downs, skips, y = [], [], x
        for soft, skip in self.down:
            y = soft(pool(y))
            downs.append(y)
            skips.append(skip(y))
        y = self.bottom(pool(y))
        for k, unit in enumerate(self.up):
            level = len(downs) - 1 - k
            y = unit(up(y, downs[level]) + downs[level] + skips[level])
        mask = self.mask(up(y, trunk) + trunk)
        return self.last((1 + mask) * trunk)


class AttentionNet(nn.Module):  # FaceX-Zoo ResidualAttentionNet: 7x7 s2 stem (no max pool), Flatten-FC(no bias)-BN1d
    def __init__(self, size, stem_c, ch, modules, emb):
        super().__init__()
        self.stem = nn.Sequential(conv(3, stem_c, 7, 2, 3), nn.BatchNorm2d(stem_c), nn.ReLU())
        body, i = [], stem_c
        for k, (c, n) in enumerate(zip(ch, modules)):
            body.append(PreActBottleneck(i, c, 1 if k == 0 else 2))
            body += [AttentionModule(c, 3 - k) for _ in range(n)]
            i = c
        body += [PreActBottleneck(i, ch[3], 2), PreActBottleneck(ch[3], ch[3]), PreActBottleneck(ch[3], ch[3])]
        self.body = nn.Sequential(*body)
        side = size
        for _ in range(4):
            side = -(-side // 2)
        self.output_layer = nn.Sequential(Flatten(), nn.Linear(ch[3] * side * side, emb, bias=False),
                                          nn.BatchNorm1d(emb))
        self.fc = self.output_layer[1]
        self.fc_channels = ch[3]

    def forward(self, x):
        return self.output_layer(self.body(self.stem(x)))


class RepVggBlock(nn.Module):  # FaceX-Zoo RepVGG.py RepVGGBlock: training branches, or deploy's one 3x3 conv with bias
    def __init__(self, i, o, s, g, deploy):
        super().__init__()
        if deploy:
            self.rbr_reparam = nn.Conv2d(i, o, 3, s, 1, groups=g, bias=True)
            return
        self.rbr_identity = nn.BatchNorm2d(i) if i == o and s == 1 else None
        self.rbr_dense = nn.Sequential(OrderedDict(conv=conv(i, o, 3, s, 1, g), bn=nn.BatchNorm2d(o)))
        self.rbr_1x1 = nn.Sequential(OrderedDict(conv=conv(i, o, 1, s, 0, g), bn=nn.BatchNorm2d(o)))

    def forward(self, x):
        if hasattr(self, "rbr_reparam"):
            return torch.relu(self.rbr_reparam(x))
        y = self.rbr_dense(x) + self.rbr_1x1(x)
        return torch.relu(y if self.rbr_identity is None else y + self.rbr_identity(x))


class RepVGG(nn.Module):  # FaceX-Zoo RepVGG.py: stage0 at stride 1, grouped convs on blocks 2, 4, ..., 26
    def __init__(self, size, blocks, widths, groups, deploy, emb):
        super().__init__()
        c = min(64, int(64 * widths[0]))
        self.stage0 = RepVggBlock(3, c, 1, 1, deploy)
        index = 1
        for n, (base, w, count) in enumerate(zip([64, 128, 256, 512], widths, blocks)):
            units = []
            for k in range(count):
                g = groups if index % 2 == 0 and index <= 26 else 1
                units.append(RepVggBlock(c, int(base * w), 2 if k == 0 else 1, g, deploy))
                c = int(base * w)
                index += 1
            setattr(self, f"stage{n + 1}", nn.Sequential(*units))
        self.output_layer = output_layer(c, size // 16, emb)
        self.fc = self.output_layer[3]

    def forward(self, x):
        for n in range(5):
            x = getattr(self, f"stage{n}")(x)
        return self.output_layer(x)


class Swish(nn.Module):  # FaceX-Zoo ReXNets Swish: x * sigmoid(x)
    def forward(self, x):
        return x * torch.sigmoid(x)


def rex_conv_bn(i, o, k=1, s=1, g=1, act=None):  # FaceX-Zoo ReXNets ConvBNAct / ConvBNSwish, padding k // 2
    return [nn.Conv2d(i, o, k, s, k // 2, groups=g, bias=False), nn.BatchNorm2d(o)] + ([act] if act else [])


class RexBottleneck(nn.Module):  # FaceX-Zoo ReXNets LinearBottleneck, SE off; residual on the first C_in channels only
    def __init__(self, i, o, t, s):
        super().__init__()
        self.in_channels, self.use_shortcut = i, s == 1 and i <= o
        mid = i * t
        layers = rex_conv_bn(i, mid, act=Swish()) if t != 1 else []
        layers += rex_conv_bn(mid, mid, 3, s, mid) + [nn.ReLU6()] + rex_conv_bn(mid, o)
        self.out = nn.Sequential(*layers)

    def forward(self, x):
        y = self.out(x)
        if not self.use_shortcut:
            return y
        return torch.cat([y[:, :self.in_channels] + x, y[:, self.in_channels:]], 1)


class ReXNet(nn.Module):  # FaceX-Zoo ReXNetV1 (stride-1 stem, SE off) with the face output layer sized by width
    def __init__(self, size, input_ch, final_ch, width, depth, emb):
        super().__init__()
        layers = [math.ceil(n * depth) for n in [1, 2, 2, 3, 3, 5]]
        strides = sum([[s] + [1] * (n - 1) for s, n in zip([1, 2, 2, 2, 1, 2], layers)], [])
        ts = [1] * layers[0] + [6] * sum(layers[1:])
        count = sum(layers)
        stem = 32 / width if width < 1 else 32
        planes = input_ch / width if width < 1 else input_ch
        ins, outs = [], []
        for n in range(count):  # the linear channel schedule with Python's round (half to even)
            ins.append(int(round((stem if n == 0 else planes) * width)))
            if n > 0:
                planes += final_ch / (count * 1.0)
            outs.append(int(round(planes * width)))
        feats = rex_conv_bn(3, ins[0], 3, act=Swish())
        feats += [RexBottleneck(i, o, t, s) for i, o, t, s in zip(ins, outs, ts, strides)]
        pen = int(512 * width)
        feats += rex_conv_bn(outs[-1], pen, act=Swish())
        self.features = nn.Sequential(*feats)
        self.output_layer = output_layer(pen, size // 16, emb)
        self.fc = self.output_layer[3]

    def forward(self, x):
        return self.output_layer(self.features(x))


class SplAt(nn.Module):  # ResNeSt SplAtConv2d as FaceX-Zoo uses it: 3x3 stride 1, BN, radix R, cardinality K
    def __init__(self, c, radix, card):
        super().__init__()
        self.radix, self.card = radix, card
        inter = max(c * radix // 4, 32)
        self.conv = nn.Conv2d(c, c * radix, 3, 1, 1, groups=card * radix, bias=False)
        self.bn0 = nn.BatchNorm2d(c * radix)
        self.fc1 = nn.Conv2d(c, inter, 1, groups=card)
        self.bn1 = nn.BatchNorm2d(inter)
        self.fc2 = nn.Conv2d(inter, c * radix, 1, groups=card)

    def forward(self, x):
        x = torch.relu(self.bn0(self.conv(x)))
        n, rc = x.shape[:2]
        splits = torch.split(x, rc // self.radix, 1)
        gap = sum(splits).mean((2, 3), keepdim=True)
        att = self.fc2(torch.relu(self.bn1(self.fc1(gap))))
        att = torch.softmax(att.view(n, self.card, self.radix, -1).transpose(1, 2), 1).reshape(n, -1, 1, 1)
        return sum(a * s for a, s in zip(torch.split(att, rc // self.radix, 1), splits))


class ResNeStBlock(nn.Module):  # ResNeSt Bottleneck with avd (3x3 avg pool after the split attention), avg_down shortcut
    def __init__(self, i, planes, s, radix, card, bw):
        super().__init__()
        w = int(planes * (bw / 64.0)) * card
        self.conv1, self.bn1 = conv(i, w, 1), nn.BatchNorm2d(w)
        self.avd_layer = nn.AvgPool2d(3, s, padding=1) if s > 1 else None
        self.conv2 = SplAt(w, radix, card)
        self.conv3, self.bn3 = conv(w, planes * 4, 1), nn.BatchNorm2d(planes * 4)
        self.downsample = projection(i, planes * 4, s, True) if s != 1 or i != planes * 4 else None

    def forward(self, x):
        out = self.conv2(torch.relu(self.bn1(self.conv1(x))))
        if self.avd_layer is not None:
            out = self.avd_layer(out)
        out = self.bn3(self.conv3(out))
        return torch.relu(out + (self.downsample(x) if self.downsample is not None else x))


class ResNeSt(nn.Module):  # FaceX-Zoo ResNeSt: 3x3 s1 stem (BN, PReLU), all stages stride 2, output layer, l2_norm
    def __init__(self, size, layers, planes, radix, card, bw, emb):
        super().__init__()
        self.input_layer = nn.Sequential(conv(3, planes[0], 3, 1, 1), nn.BatchNorm2d(planes[0]), nn.PReLU(planes[0]))
        body, i = [], planes[0]
        for n, p in zip(layers, planes):
            for k in range(n):
                body.append(ResNeStBlock(i, p, 2 if k == 0 else 1, radix, card, bw))
                i = p * 4
        self.body = nn.Sequential(*body)
        self.output_layer = output_layer(planes[3] * 4, size // 16, emb)
        self.fc = self.output_layer[3]

    def forward(self, x):
        y = self.output_layer(self.body(self.input_layer(x)))
        return y / torch.norm(y, 2, 1, True)


CASES = [
    ("ir_se_tiny", {"inputSize": 32, "units": [1, 2, 1, 1], "channels": [4, 8, 8, 16], "seReduction": 2,
                    "dropout": 0, "embeddingSize": 8},
     lambda: Ir(32, [1, 2, 1, 1], [4, 8, 8, 16], True, 2, 8)),
    ("iresnet_tiny", {"inputSize": 32, "layers": [1, 2, 1, 1], "channels": [4, 8, 8, 16], "embeddingSize": 8},
     lambda: IResNet(32, [1, 2, 1, 1], [4, 8, 8, 16], 8)),
    ("resnet_tiny", {"inputSize": 64, "layers": [1, 2, 1, 1], "planes": [4, 4, 8, 8], "dropout": 0,
                     "embeddingSize": 8},
     lambda: ResNet(64, [1, 2, 1, 1], [4, 4, 8, 8], 8)),
    ("mobilefacenet_tiny", {"inputSize": 32, "channels": [8, 16], "blocks": [1, 2, 1, 1],
                            "expansions": [16, 16, 32, 16], "sepChannels": 16, "firstGroups": 4, "embeddingSize": 8},
     lambda: MobileFaceNet(32, [8, 16], [1, 2, 1, 1], [16, 16, 32, 16], 16, 4, 8)),
    ("mobilefacenet_tiny", {"inputSize": 32, "channels": [8, 16], "blocks": [2, 1, 1, 1],
                            "expansions": [16, 16, 32, 16], "sepChannels": 16, "embeddingSize": 8},
     lambda: MobileFaceNet(32, [8, 16], [2, 1, 1, 1], [16, 16, 32, 16], 16, 16, 8)),
    ("ghostnet_tiny", {"inputSize": 32, "dropout": 0, "embeddingSize": 8},
     lambda: GhostNet(32, 0.25, GHOST_TINY, 8)),
    ("ghostnet_tiny", {"inputSize": 32, "width": 0.25, "stages": GHOST_MIXED, "dropout": 0, "embeddingSize": 8},
     lambda: GhostNet(32, 0.25, GHOST_MIXED, 8)),
    ("densenet_tiny", {"inputSize": 32, "dropout": 0, "embeddingSize": 8},
     lambda: DenseNet(32, [1, 2, 2, 1], 8, 16, 8)),
    ("densenet_tiny", {"inputSize": 32, "blocks": [2, 1, 3, 2], "growthRate": 3, "stemChannels": 6, "dropout": 0,
                       "embeddingSize": 8},
     lambda: DenseNet(32, [2, 1, 3, 2], 3, 6, 8)),
    ("lightcnn_tiny", {"inputSize": 32, "dropout": 0, "embeddingSize": 8},
     lambda: LightCNN(32, [1, 1, 1, 1], [8, 16, 16, 16, 16], True, False, 8)),
    ("lightcnn_tiny", {"inputSize": 32, "blocks": [0, 1, 0, 2], "channels": [6, 8, 12, 10, 10], "pooling": "max",
                       "output": "mfm", "dropout": 0, "embeddingSize": 8},
     lambda: LightCNN(32, [0, 1, 0, 2], [6, 8, 12, 10, 10], False, True, 8)),
    ("efficientnet_tiny", {"inputSize": 32, "dropout": 0, "dropConnect": 0, "embeddingSize": 8},
     lambda: EfficientNet(32, 0.25, 0.5, EFF_B0, 8)),
    ("efficientnet_tiny", {"inputSize": 48, "width": 0.5, "depth": 1, "stages": EFF_MIXED, "stemChannels": 16,
                           "headChannels": 64, "dropout": 0, "dropConnect": 0, "embeddingSize": 8},
     lambda: EfficientNet(48, 0.5, 1, EFF_MIXED, 8, 16, 64)),
    ("shufflenetv2_tiny", {"inputSize": 32, "dropout": 0, "embeddingSize": 8},
     lambda: ShuffleNetV2(32, 8, [16, 32, 64], [1, 2, 1], 128, 8)),
    ("shufflenetv2_tiny", {"inputSize": 48, "stemChannels": 6, "channels": [12, 20, 28], "repeats": [2, 1, 3],
                           "lastChannels": 24, "dropout": 0, "embeddingSize": 8},
     lambda: ShuffleNetV2(48, 6, [12, 20, 28], [2, 1, 3], 24, 8)),
    ("resnext_tiny", {"inputSize": 32, "layers": [1, 2, 1, 1], "planes": [4, 8, 8, 16], "cardinality": 2,
                      "baseWidth": 16, "dropout": 0, "embeddingSize": 8},
     lambda: ResNeXt(32, [1, 2, 1, 1], [4, 8, 8, 16], 2, 16, None, 8)),
    ("resnext_tiny", {"inputSize": 32, "layers": [1, 2, 1, 1], "planes": [4, 8, 8, 16], "cardinality": 2,
                      "baseWidth": 16, "se": True, "seReduction": 4, "downsample": "avgpool", "deepStem": True,
                      "dropout": 0, "embeddingSize": 8},
     lambda: ResNeXt(32, [1, 2, 1, 1], [4, 8, 8, 16], 2, 16, 4, 8, avg=True, deep=True)),
    ("resnet_tiny", {"inputSize": 64, "layers": [1, 2, 1, 1], "planes": [4, 4, 8, 8], "downsample": "avgpool",
                     "deepStem": True, "dropout": 0, "embeddingSize": 8},
     lambda: ResNet(64, [1, 2, 1, 1], [4, 4, 8, 8], 8, avg=True, deep=True)),
    ("ir_tiny", {"inputSize": 32, "units": [1, 2, 1, 1], "channels": [4, 8, 8, 16], "downsample": "avgpool",
                 "deepStem": True, "dropout": 0, "embeddingSize": 8},
     lambda: Ir(32, [1, 2, 1, 1], [4, 8, 8, 16], False, 2, 8, avg=True, deep=True)),
    ("dpn_tiny", {"inputSize": 32, "dropout": 0, "embeddingSize": 8},
     lambda: DPN(32, 8, [8, 16, 24, 32], 8, 4, [1, 1, 2, 1], [4, 4, 8, 8], 8)),
    ("dpn_tiny", {"inputSize": 32, "stemChannels": 6, "widths": [6, 8, 12, 16], "kR": 4, "groups": 2,
                  "blocks": [2, 1, 3, 2], "increments": [2, 4, 4, 6], "dropout": 0, "embeddingSize": 8},
     lambda: DPN(32, 6, [6, 8, 12, 16], 4, 2, [2, 1, 3, 2], [2, 4, 4, 6], 8)),
    ("tf_nas_tiny", {"inputSize": 32, "dropout": 0, "embeddingSize": 8},
     lambda: TfNas(32, 8, TF_NAS_TINY, 64, 8)),
    ("tf_nas_tiny", {"inputSize": 48, "stemChannels": 12, "stages": TF_NAS_MIXED, "headChannels": 24, "dropout": 0,
                     "embeddingSize": 8},
     lambda: TfNas(48, 12, TF_NAS_MIXED, 24, 8)),
    ("hrnet_tiny", {"inputSize": 32, "embeddingSize": 8},
     lambda: HRNet(32, 8, (1, 4), [4, 8, 12, 16], [1, 1, 1], 1, [2, 4, 4, 8], 32, 8)),
    # stage 1 output as wide as branch 1 (no transition conv there), two modules per stage, two blocks per branch
    ("hrnet_tiny", {"inputSize": 32, "stemChannels": 6, "stage1": [2, 2], "branchChannels": [8, 6, 10, 4],
                    "modules": [2, 1, 2], "branchBlocks": 2, "headPlanes": [3, 2, 4, 2], "finalChannels": 12,
                    "embeddingSize": 8},
     lambda: HRNet(32, 6, (2, 2), [8, 6, 10, 4], [2, 1, 2], 2, [3, 2, 4, 2], 12, 8)),
    ("attentionnet_tiny", {"inputSize": 32, "embeddingSize": 8},
     lambda: AttentionNet(32, 4, [4, 8, 8, 8], [1, 0, 0], 8)),
    # modules of all three depths (3, 2, 1 pooling levels), stacked modules, every stage widening, 3x3 deepest maps
    ("attentionnet_tiny", {"inputSize": 48, "stemChannels": 6, "channels": [8, 12, 16, 20], "modules": [2, 1, 2],
                           "embeddingSize": 8},
     lambda: AttentionNet(48, 6, [8, 12, 16, 20], [2, 1, 2], 8)),
    # 3x3 = 9 tokens of width 16 (9x9 patches of 32x32, the last 5 rows/columns dropped by the strided conv), 2 heads
    ("vit_tiny", {"inputSize": 32, "dim": 16, "depth": 2, "heads": 2, "dropPath": 0, "maskRatio": 0,
                  "embeddingSize": 8},
     lambda: ViT(32, 9, 16, 2, 2, 4, 8)),
    # training form (identity BN where stride 1 and in = out), grouped blocks 2 and 4, and the deploy form
    ("repvgg_tiny", {"inputSize": 32, "embeddingSize": 8},
     lambda: RepVGG(32, [1, 2, 1, 1], [0.125] * 4, 1, False, 8)),
    ("repvgg_tiny", {"inputSize": 32, "blocks": [1, 3, 2, 1], "widths": [0.25, 0.125, 0.125, 0.125], "groups": 2,
                     "embeddingSize": 8},
     lambda: RepVGG(32, [1, 3, 2, 1], [0.25, 0.125, 0.125, 0.125], 2, False, 8)),
    ("repvgg_tiny", {"inputSize": 32, "blocks": [1, 3, 2, 1], "groups": 2, "deploy": True, "embeddingSize": 8},
     lambda: RepVGG(32, [1, 3, 2, 1], [0.125] * 4, 2, True, 8)),
    # SE off as FaceX-Zoo; block 0 narrows 32 -> 8 (no residual), block 4 (stride 1) adds its input to 20 of 24 channels
    ("rexnet_tiny", {"inputSize": 32, "dropout": 0, "embeddingSize": 8},
     lambda: ReXNet(32, 8, 48, 0.5, 0.2, 8)),
    # 9 blocks: stride-1 repeats with the partial residual, channel schedule rounding halves to even
    ("rexnet_tiny", {"inputSize": 32, "width": 0.75, "depth": 0.4, "inputChannels": 6, "finalChannels": 30,
                     "dropout": 0, "embeddingSize": 8},
     lambda: ReXNet(32, 6, 30, 0.75, 0.4, 8)),
    ("resnest_tiny", {"inputSize": 32, "dropout": 0, "embeddingSize": 8},
     lambda: ResNeSt(32, [1, 1, 1, 1], [8, 16, 32, 64], 2, 1, 64, 8)),
    # cardinality 2 (grouped split conv and attention convs, rSoftMax's group transpose), identity blocks
    ("resnest_tiny", {"inputSize": 32, "layers": [1, 2, 1, 1], "planes": [4, 8, 8, 16], "cardinality": 2,
                      "dropout": 0, "embeddingSize": 8},
     lambda: ResNeSt(32, [1, 2, 1, 1], [4, 8, 8, 16], 2, 2, 64, 8)),
]


def ours(t, model):
    """Converts one tensor to our layout."""
    if t.dim() == 4:
        return t.permute(2, 3, 1, 0)
    if model.fc is not None and t is model.fc.weight:
        c = getattr(model, "fc_channels", None) or model.output_layer[0].num_features
        s = int(round((t.shape[1] / c) ** 0.5))
        return t.reshape(t.shape[0], c, s, s).permute(0, 2, 3, 1).reshape(t.shape[0], -1)
    return t


def flat(t):
    return [float(v) for v in t.detach().reshape(-1)]


def exact(t):
    """Values already on the 1e-8 grid, printed without float noise."""
    return [round(v, 8) for v in flat(t)]


def golden_case(name, options, build):
    """One fixture case: the model built by `build`, randomised and rounded, its state in our order and layout, a
    rounded input and the eval- and training-mode outputs."""
    model = build().to(DT)
    with torch.no_grad():
        for m in model.modules():
            if isinstance(m, (nn.BatchNorm2d, nn.BatchNorm1d)):
                m.running_mean.uniform_(-0.2, 0.2)
                m.running_var.uniform_(0.5, 1.5)
                m.bias.uniform_(-0.2, 0.2)
                if m.weight.requires_grad:
                    m.weight.uniform_(0.5, 1.5)
            if isinstance(m, nn.PReLU):
                m.weight.uniform_(0.1, 0.4)
        for t in list(model.parameters()) + list(model.buffers()):
            if t.is_floating_point():
                t.copy_(torch.round(t * 1e8) / 1e8)
    state = [{"name": n, "shape": list(ours(p, model).shape), "values": exact(ours(p, model))}
             for n, p in model.named_parameters()]
    state += [{"name": n, "shape": list(b.shape), "values": exact(b)}
              for n, b in model.named_buffers() if not n.endswith("num_batches_tracked")]
    size = options["inputSize"]
    x = torch.round((torch.rand(2, 3, size, size, dtype=DT) * 2 - 1) * 1e8) / 1e8
    model.eval()
    y_eval = model(x)
    model.train()
    y_train = model(x)
    return {"backbone": name, "options": options, "state": state, "input": exact(x.permute(0, 2, 3, 1)),
            "inputShape": [2, size, size, 3], "eval": flat(y_eval), "train": flat(y_train)}


def write_fixture(file, generator, cases):
    """Writes `cases` (from `golden_case`) to fixtures/golden/`file`, naming the generating script."""
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "fixtures", "golden", file)
    with open(path, "w") as f:
        json.dump({"generator": generator, "torch": torch.__version__, "cases": cases}, f)
        f.write("\n")
    print(f"wrote {path}: {len(cases)} cases, {os.path.getsize(path)} bytes")


def main():
    write_fixture("backbones.json", "tools/golden_backbones.py", [golden_case(*case) for case in CASES])


if __name__ == "__main__":
    main()
