/**
 * Hashes for reports and checkpoints (WebCrypto SHA-256). The weight hash of a model is the SHA-256 of the
 * safetensors encoding of its tensors in sorted path order, so equal weights give equal hashes on every backend
 * and platform, and the hash can be recomputed from a checkpoint file's tensors.
 * @module
 */
import { sha256Hex } from "../core/sha256.ts";
import type { Tensor } from "../core/tensor.ts";
import { encodeSafetensors, type NamedArray } from "./safetensors.ts";

/** Reads named tensors back to the host as safetensors entries (f32 → Float32Array, i32 → Int32Array). */
export async function readTensors(entries: readonly { path: string; tensor: Tensor }[]): Promise<NamedArray[]> {
  const out: NamedArray[] = [];
  for (const { path, tensor } of entries) {
    const host = await tensor.read();
    const data = tensor.dtype === "i32" ? Int32Array.from(host) : Float32Array.from(host);
    out.push({ name: path, shape: [...tensor.shape], data });
  }
  return out;
}

/** SHA-256 (hex) over host tensors in sorted name order; independent of the order they are given in. */
export function weightHash(arrays: readonly NamedArray[]): Promise<string> {
  const sorted = [...arrays].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return sha256Hex(encodeSafetensors(sorted));
}

/** Weight hash of live tensors (reads them back first). */
export async function hashTensors(entries: readonly { path: string; tensor: Tensor }[]): Promise<string> {
  return weightHash(await readTensors(entries));
}
