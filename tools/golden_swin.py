"""Golden forward values of the Swin family (src/models/backbones/swin.ts), from PyTorch in float64.

A minimal re-statement of FaceX-Zoo's `backbone/Swin_Transformer.py` (Liu et al. 2021): patch conv + LayerNorm, window
attention with the relative position bias table gathered by the relative position index, shifted windows by
torch.roll with the −100 region mask, patch merging (2x2 concat, LayerNorm, bias-free reduction), GELU MLP, and
FaceX-Zoo's LayerNorm-Flatten-Linear-BN1d output layer; a stage whose side is at most the window uses one window of
its side and no shift, as FaceX-Zoo's block does. Written independently of the engine (torch.roll and strided
slicing where the engine uses slice/concat and reshape/transpose). Weights are random (seeded; LayerNorm affine and
the bias table widened so that they matter), rounded to 8 decimals and written with the input and the eval- and
training-mode outputs (drop-path 0) in the format of fixtures/golden/backbones.json, through golden_backbones.py's
`golden_case` (state in our order: parameters in registration order, then buffers; conv OIHW -> HWIO; input NCHW ->
NHWC). The relative position index and the shifted blocks' masks are buffers, as in FaceX-Zoo.

Output: fixtures/golden/swin.json. Run: /usr/bin/python3 tools/golden_swin.py
"""
import torch
from torch import nn

from golden_backbones import golden_case, write_fixture

torch.manual_seed(15)
NEG = -100.0  # FaceX-Zoo's mask value between regions


def window_side(side, window):
    return min(side, window)


def partition(x, w):  # [B, H, W, C] -> [B * H/w * W/w, w * w, C]
    b, h, wd, c = x.shape
    return x.view(b, h // w, w, wd // w, w, c).permute(0, 1, 3, 2, 4, 5).reshape(-1, w * w, c)


def unpartition(windows, w, side):  # inverse of partition
    c = windows.shape[-1]
    b = windows.shape[0] // (side // w) ** 2
    return windows.view(b, side // w, side // w, w, w, c).permute(0, 1, 3, 2, 4, 5).reshape(b, side, side, c)


def region_mask(side, w, shift):  # [nW, w*w, w*w]: 0 within a region of the rolled map, NEG across regions
    labels = torch.zeros(1, side, side, 1, dtype=torch.float64)
    bounds = (slice(0, side - w), slice(side - w, side - shift), slice(side - shift, side))
    for i, rows in enumerate(bounds):
        for j, cols in enumerate(bounds):
            labels[:, rows, cols, :] = 3 * i + j
    flat = partition(labels, w).squeeze(-1)
    diff = flat[:, None, :] - flat[:, :, None]
    return torch.where(diff == 0, torch.zeros_like(diff), torch.full_like(diff, NEG))


class WindowAttention(nn.Module):
    def __init__(self, c, heads, w):
        super().__init__()
        self.heads = heads
        self.relative_position_bias_table = nn.Parameter(torch.randn((2 * w - 1) ** 2, heads) * 0.5)
        ys, xs = torch.meshgrid(torch.arange(w), torch.arange(w), indexing="ij")
        ys, xs = ys.reshape(-1), xs.reshape(-1)
        dy = ys[:, None] - ys[None, :] + w - 1
        dx = xs[:, None] - xs[None, :] + w - 1
        self.register_buffer("relative_position_index", dy * (2 * w - 1) + dx)
        self.qkv = nn.Linear(c, 3 * c)
        self.proj = nn.Linear(c, c)

    def forward(self, x, mask):
        b, t, c = x.shape
        hd = c // self.heads
        q, k, v = self.qkv(x).reshape(b, t, 3, self.heads, hd).permute(2, 0, 3, 1, 4)
        logits = (q * hd ** -0.5) @ k.transpose(-2, -1)
        bias = self.relative_position_bias_table[self.relative_position_index.reshape(-1)]
        logits = logits + bias.reshape(t, t, self.heads).permute(2, 0, 1)[None]
        if mask is not None:
            nw = mask.shape[0]
            logits = (logits.view(b // nw, nw, self.heads, t, t) + mask[None, :, None]).view(b, self.heads, t, t)
        return self.proj((logits.softmax(-1) @ v).transpose(1, 2).reshape(b, t, c))


class Block(nn.Module):
    def __init__(self, c, heads, side, window, odd, ratio):
        super().__init__()
        self.side = side
        self.window = window_side(side, window)
        self.shift = window // 2 if odd and side > window else 0
        if self.shift:
            self.register_buffer("attn_mask", region_mask(side, self.window, self.shift))
        else:
            self.attn_mask = None
        self.norm1 = nn.LayerNorm(c)
        self.attn = WindowAttention(c, heads, self.window)
        self.norm2 = nn.LayerNorm(c)
        self.mlp = nn.Sequential()
        self.mlp.add_module("fc1", nn.Linear(c, c * ratio))
        self.mlp.add_module("act", nn.GELU())
        self.mlp.add_module("fc2", nn.Linear(c * ratio, c))

    def forward(self, x):  # [B, S, S, C]
        s = self.shift
        h = torch.roll(self.norm1(x), (-s, -s), (1, 2))
        h = unpartition(self.attn(partition(h, self.window), self.attn_mask), self.window, self.side)
        x = x + torch.roll(h, (s, s), (1, 2))
        return x + self.mlp(self.norm2(x))


class PatchMerging(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.reduction = nn.Linear(4 * c, 2 * c, bias=False)
        self.norm = nn.LayerNorm(4 * c)

    def forward(self, x):
        x = torch.cat([x[:, 0::2, 0::2], x[:, 1::2, 0::2], x[:, 0::2, 1::2], x[:, 1::2, 1::2]], -1)
        return self.reduction(self.norm(x))


class Stage(nn.Module):
    def __init__(self, c, heads, side, window, depth, ratio, last):
        super().__init__()
        self.blocks = nn.ModuleList([Block(c, heads, side, window, i % 2 == 1, ratio) for i in range(depth)])
        self.downsample = None if last else PatchMerging(c)

    def forward(self, x):
        for block in self.blocks:
            x = block(x)
        return x if self.downsample is None else self.downsample(x)


class PatchEmbed(nn.Module):
    def __init__(self, patch, c):
        super().__init__()
        self.proj = nn.Conv2d(3, c, patch, patch)
        self.norm = nn.LayerNorm(c)

    def forward(self, x):  # NCHW -> [B, S, S, C]
        return self.norm(self.proj(x).permute(0, 2, 3, 1))


class Swin(nn.Module):
    def __init__(self, size, patch, c, depths, heads, window, ratio, emb):
        super().__init__()
        self.patch_embed = PatchEmbed(patch, c)
        side = size // patch
        self.layers = nn.ModuleList()
        for i, depth in enumerate(depths):
            self.layers.append(Stage(c, heads[i], side, window, depth, ratio, i == len(depths) - 1))
            if i < len(depths) - 1:
                c, side = 2 * c, side // 2
        self.output_layer = nn.Sequential(nn.LayerNorm(c), nn.Flatten(), nn.Linear(side * side * c, emb),
                                          nn.BatchNorm1d(emb))
        with torch.no_grad():
            for m in self.modules():
                if isinstance(m, nn.LayerNorm):
                    m.weight.uniform_(0.5, 1.5)
                    m.bias.uniform_(-0.2, 0.2)
        self.fc = None  # tokens flatten row-major with channels last in both layouts: no column permutation

    def forward(self, x):
        x = self.patch_embed(x)
        for stage in self.layers:
            x = stage(x)
        return self.output_layer(x)


CASES = [
    # sides 16 / 8 / 4 / 2 with window 4: shifted windows (shift 2) in stages 1-2, one whole-map window in stage 3,
    # the window shrunk to the side (2) in stage 4; widths 8..64 with 1, 2, 2, 4 heads
    ("swin_tiny", {"inputSize": 32, "patchSize": 2, "dim": 8, "depths": [2, 2, 1, 1], "heads": [1, 2, 2, 4],
                   "window": 4, "dropPath": 0, "embeddingSize": 8},
     lambda: Swin(32, 2, 8, [2, 2, 1, 1], [1, 2, 2, 4], 4, 4, 8)),
    # an odd window (3, shift 1), three stages of two blocks (sides 12 / 6 / 3), heads of width 3, 4 and 6, MLP ratio 2
    ("swin_tiny", {"inputSize": 48, "patchSize": 4, "dim": 6, "depths": [2, 2, 2], "heads": [2, 3, 4], "window": 3,
                   "mlpRatio": 2, "dropPath": 0, "embeddingSize": 8},
     lambda: Swin(48, 4, 6, [2, 2, 2], [2, 3, 4], 3, 2, 8)),
]


def main():
    write_fixture("swin.json", "tools/golden_swin.py", [golden_case(*case) for case in CASES])


if __name__ == "__main__":
    main()
