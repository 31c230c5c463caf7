/**
 * Reference kernels for batch normalisation (alone and followed by PReLU), PReLU, the fused channel affine + PReLU,
 * row L2 normalisation and layer normalisation.
 * @module
 */
import type { KernelAttrs } from "../../core/kernels.ts";
import { arr, type RefArray, type RefView } from "./storage.ts";

/** Batch norm forward over all axes but the last; updates running stats in place when training. */
export function batchNormKernel(
  inputs: readonly RefView[],
  outputs: readonly RefView[],
  attrs: KernelAttrs["batch_norm"],
) {
  const [x, gamma, beta, runMean, runVar] = inputs.map(arr);
  const [y, meanOut, invStdOut] = outputs.map(arr);
  const c = gamma.length;
  const m = x.length / c;
  for (let ch = 0; ch < c; ch++) {
    let mean: number;
    let variance: number;
    if (attrs.training) {
      let s = 0;
      for (let i = ch; i < x.length; i += c) s += x[i];
      mean = s / m;
      let sq = 0;
      for (let i = ch; i < x.length; i += c) sq += (x[i] - mean) * (x[i] - mean);
      variance = sq / m;
      runMean[ch] = (1 - attrs.momentum) * runMean[ch] + attrs.momentum * mean;
      runVar[ch] = (1 - attrs.momentum) * runVar[ch] + attrs.momentum * variance * m / (m - 1);
    } else {
      mean = runMean[ch];
      variance = runVar[ch];
    }
    const invStd = 1 / Math.sqrt(variance + attrs.eps);
    meanOut[ch] = mean;
    invStdOut[ch] = invStd;
    normaliseChannel(x, y, c, ch, mean, invStd, gamma[ch], beta[ch]);
  }
}

/** y = (x − mean) · invStd · gamma + beta over channel `ch` of the [rows, c] array x. */
function normaliseChannel(
  x: RefArray,
  y: RefArray,
  c: number,
  ch: number,
  mean: number,
  invStd: number,
  gamma: number,
  beta: number,
): void {
  for (let i = ch; i < x.length; i += c) y[i] = (x[i] - mean) * invStd * gamma + beta;
}

/** batch_norm, then PReLU over its output in place: the two kernels in turn. */
export function batchNormPreluKernel(
  inputs: readonly RefView[],
  outputs: readonly RefView[],
  attrs: KernelAttrs["batch_norm_prelu"],
) {
  batchNormKernel(inputs.slice(0, 5), outputs, attrs);
  preluKernel([outputs[0], inputs[5]], [outputs[0]]);
}

/**
 * batch_norm_prelu backward: the normalised map z recomputed from x and the saved statistics, then the prelu_grad
 * and batch_norm_grad kernels in turn.
 */
export function batchNormPreluGradKernel(
  inputs: readonly RefView[],
  outputs: readonly RefView[],
  attrs: KernelAttrs["batch_norm_prelu_grad"],
) {
  const [dy, x, gamma, beta, mean, invStd, alpha] = inputs;
  const [gammas, betas, means, invStds] = [gamma, beta, mean, invStd].map(arr);
  const c = gammas.length;
  const like = (view: RefView): RefView => ({ ...view, storage: { data: arr(view).slice() } });
  const z = like(x);
  for (let ch = 0; ch < c; ch++) normaliseChannel(arr(x), arr(z), c, ch, means[ch], invStds[ch], gammas[ch], betas[ch]);
  const dz = like(x);
  preluGradKernel([dy, z, alpha], [dz, outputs[3]]);
  batchNormGradKernel([dz, x, gamma, mean, invStd], outputs.slice(0, 3), attrs);
}

/** Batch norm backward: dx, dgamma, dbeta. */
export function batchNormGradKernel(
  inputs: readonly RefView[],
  outputs: readonly RefView[],
  attrs: KernelAttrs["batch_norm_grad"],
) {
  const [dy, x, gamma, mean, invStd] = inputs.map(arr);
  const [dx, dgamma, dbeta] = outputs.map(arr);
  const c = gamma.length;
  const m = x.length / c;
  for (let ch = 0; ch < c; ch++) {
    let sumDy = 0;
    let sumDyXhat = 0;
    for (let i = ch; i < x.length; i += c) {
      sumDy += dy[i];
      sumDyXhat += dy[i] * (x[i] - mean[ch]) * invStd[ch];
    }
    dbeta[ch] = sumDy;
    dgamma[ch] = sumDyXhat;
    const k = gamma[ch] * invStd[ch];
    for (let i = ch; i < x.length; i += c) {
      const xhat = (x[i] - mean[ch]) * invStd[ch];
      dx[i] = attrs.training ? k * (dy[i] - sumDy / m - xhat * sumDyXhat / m) : k * dy[i];
    }
  }
}

/** PReLU forward. */
export function preluKernel(inputs: readonly RefView[], outputs: readonly RefView[]) {
  const [x, alpha] = inputs.map(arr);
  const y = arr(outputs[0]);
  const c = alpha.length;
  for (let i = 0; i < x.length; i++) y[i] = x[i] > 0 ? x[i] : alpha[i % c] * x[i];
}

/** PReLU backward: dx, dalpha. */
export function preluGradKernel(inputs: readonly RefView[], outputs: readonly RefView[]) {
  const [dy, x, alpha] = inputs.map(arr);
  const [dx, dalpha] = outputs.map(arr);
  const c = alpha.length;
  const acc = new Float64Array(c);
  for (let i = 0; i < x.length; i++) {
    const ch = i % c;
    if (x[i] > 0) {
      dx[i] = dy[i];
    } else {
      dx[i] = alpha[ch] * dy[i];
      acc[ch] += x[i] * dy[i];
    }
  }
  dalpha.set(acc);
}

/** Fused per-channel affine, then PReLU when a fourth input (alpha) is given. */
export function channelAffinePreluKernel(inputs: readonly RefView[], outputs: readonly RefView[]) {
  const [x, scale, shift, alpha] = inputs.map(arr);
  const y = arr(outputs[0]);
  const c = scale.length;
  for (let i = 0; i < x.length; i++) {
    const ch = i % c;
    const z = x[i] * scale[ch] + shift[ch];
    y[i] = alpha && z <= 0 ? alpha[ch] * z : z;
  }
}

/** Row L2 normalisation; the norm output is max(‖x‖, eps). */
export function l2NormalizeKernel(
  inputs: readonly RefView[],
  outputs: readonly RefView[],
  attrs: KernelAttrs["l2_normalize"],
) {
  const x = arr(inputs[0]);
  const [y, norm] = outputs.map(arr);
  const [n, d] = inputs[0].shape;
  for (let r = 0; r < n; r++) {
    let sq = 0;
    for (let j = 0; j < d; j++) sq += x[r * d + j] * x[r * d + j];
    const nr = Math.max(Math.sqrt(sq), attrs.eps);
    norm[r] = nr;
    for (let j = 0; j < d; j++) y[r * d + j] = x[r * d + j] / nr;
  }
}

/**
 * Layer norm forward over the last axis, each row in double precision in index order (the wasm kernel takes the
 * same steps): mean, then the biased variance from the deviations.
 */
export function layerNormKernel(
  inputs: readonly RefView[],
  outputs: readonly RefView[],
  attrs: KernelAttrs["layer_norm"],
) {
  const [x, gamma, beta] = inputs.map(arr);
  const [y, meanOut, invStdOut] = outputs.map(arr);
  const d = gamma.length;
  for (let r = 0; r < meanOut.length; r++) {
    const base = r * d;
    let s = 0;
    for (let j = 0; j < d; j++) s += x[base + j];
    const mean = s / d;
    let sq = 0;
    for (let j = 0; j < d; j++) sq += (x[base + j] - mean) * (x[base + j] - mean);
    const invStd = 1 / Math.sqrt(sq / d + attrs.eps);
    meanOut[r] = mean;
    invStdOut[r] = invStd;
    for (let j = 0; j < d; j++) y[base + j] = (x[base + j] - mean) * invStd * gamma[j] + beta[j];
  }
}

/** Layer norm backward: dx per row (from the stored mean and inverse std), dgamma and dbeta summed over rows. */
export function layerNormGradKernel(inputs: readonly RefView[], outputs: readonly RefView[]) {
  const [dy, x, gamma, mean, invStd] = inputs.map(arr);
  const [dx, dgamma, dbeta] = outputs.map(arr);
  const d = gamma.length;
  const sumDyXhat = new Float64Array(d);
  const sumDy = new Float64Array(d);
  for (let r = 0; r < mean.length; r++) {
    const base = r * d;
    let sumG = 0;
    let sumGXhat = 0;
    for (let j = 0; j < d; j++) {
      const xhat = (x[base + j] - mean[r]) * invStd[r];
      const g = dy[base + j] * gamma[j];
      sumG += g;
      sumGXhat += g * xhat;
      sumDyXhat[j] += dy[base + j] * xhat;
      sumDy[j] += dy[base + j];
    }
    for (let j = 0; j < d; j++) {
      const xhat = (x[base + j] - mean[r]) * invStd[r];
      dx[base + j] = invStd[r] * (dy[base + j] * gamma[j] - sumG / d - xhat * sumGXhat / d);
    }
  }
  dgamma.set(sumDyXhat);
  dbeta.set(sumDy);
}
