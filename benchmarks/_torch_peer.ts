/**
 * The PyTorch CPU peer of the speed benchmarks: `tools/torch_train_bench.py` (Debian's `python3-torch`) run in a
 * fresh process, so its OpenMP threads never share a process with the engine's workers.
 * @module
 */

/** The PyTorch backbones `tools/torch_train_bench.py` builds (its `MODELS`). */
export const TORCH_MODELS: readonly string[] = ["mobilefacenet", "ir_50", "vit_t"];

/** What to time: training steps at the script's batch per model, or the eval-mode forward at `batch`. */
export type TorchWork = { kind: "train" } | { kind: "infer"; batch: number };

/**
 * PyTorch's img/s for `models` at `threads`, measured now over `steps` timed steps; null, with the reason printed,
 * when it cannot run.
 */
export function pytorchRates(
  threads: number,
  steps: number,
  models: readonly string[],
  work: TorchWork = { kind: "train" },
): Record<string, number> | null {
  const script = new URL("../tools/torch_train_bench.py", import.meta.url).pathname;
  const extra = work.kind === "infer" ? ["--infer", "--batch", String(work.batch)] : [];
  try {
    const out = new Deno.Command("/usr/bin/python3", {
      args: [script, "--threads", String(threads), "--steps", String(steps), "--models", models.join(","), ...extra],
      stderr: "piped",
    }).outputSync();
    if (!out.success) throw new Error(new TextDecoder().decode(out.stderr).trim().split("\n").at(-1));
    return JSON.parse(new TextDecoder().decode(out.stdout)).imagesPerSecond;
  } catch (error) {
    console.log(
      `PyTorch peer not measured at ${threads} thread(s): ${(error as Error).message} (apt-get install python3-torch)`,
    );
    return null;
  }
}
