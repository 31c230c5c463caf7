/**
 * The PyTorch CPU peer of the speed benchmarks: `tools/torch_train_bench.py` (Debian's `python3-torch`) run in a
 * fresh process, so its OpenMP threads never share a process with the engine's workers. The peer runs either with
 * every instruction set its CPU has (`native`) or capped at AVX2 (`avx2`: oneDNN's and ATen's kernels limited by their
 * environment variables), so an AVX-512 machine can also measure the engine against PyTorch as it runs on an AVX2 one;
 * the engine's WASM SIMD is 128-bit on both. Each run reports the instruction sets PyTorch actually used.
 * @module
 */

/** The PyTorch backbones `tools/torch_train_bench.py` builds (its `MODELS`). */
export const TORCH_MODELS: readonly string[] = ["mobilefacenet", "ir_50", "vit_t"];

/** The peer's instruction-set settings: everything the CPU has, or at most AVX2. */
export const PEER_ISAS = ["native", "avx2"] as const;

/** One of {@link PEER_ISAS}. */
export type PeerIsa = typeof PEER_ISAS[number];

/** The environment that caps PyTorch at an instruction set (oneDNN 2.x reads the first, ATen the second). */
const ISA_ENVIRONMENT: Record<PeerIsa, Record<string, string>> = {
  native: {},
  avx2: { ONEDNN_MAX_CPU_ISA: "AVX2", ATEN_CPU_CAPABILITY: "avx2" },
};

/** oneDNN's verbose switches: set in the caller's environment, they would print onto the peer's JSON output. */
const VERBOSE_VARIABLES = ["ONEDNN_VERBOSE", "DNNL_VERBOSE", "MKLDNN_VERBOSE"];

/** This process's environment without {@link VERBOSE_VARIABLES}, for the peer. */
function peerEnvironment(): Record<string, string> {
  const env = Deno.env.toObject();
  for (const name of VERBOSE_VARIABLES) delete env[name];
  return env;
}

/** What to time: training steps at the script's batch per model, or the eval-mode forward at `batch`. */
export type TorchWork = { kind: "train" } | { kind: "infer"; batch: number };

/** What PyTorch reported using under each setting run in this process, e.g. `oneDNN Intel AVX2, ATen AVX2`. */
const isaSeen = new Map<PeerIsa, string>();

/** Prints, one line per `--peer-isa` setting run so far, the instruction sets PyTorch reported (after a table). */
export function printPeerIsas(): void {
  for (const [isa, used] of isaSeen) console.log(`PyTorch peer (${isa}): ${used}`);
}

/**
 * PyTorch's img/s for `models` at `threads` under `isa`, measured now over `steps` timed steps (the instruction sets it
 * reported are kept for {@link printPeerIsas}); null, with the reason printed, when it cannot run.
 */
export function pytorchRates(
  threads: number,
  steps: number,
  models: readonly string[],
  work: TorchWork = { kind: "train" },
  isa: PeerIsa = "native",
): Record<string, number> | null {
  const script = new URL("../tools/torch_train_bench.py", import.meta.url).pathname;
  const extra = work.kind === "infer" ? ["--infer", "--batch", String(work.batch)] : [];
  try {
    const out = new Deno.Command("/usr/bin/python3", {
      args: [script, "--threads", String(threads), "--steps", String(steps), "--models", models.join(","), ...extra],
      env: { ...peerEnvironment(), ...ISA_ENVIRONMENT[isa] },
      clearEnv: true,
      stderr: "piped",
    }).outputSync();
    if (!out.success) throw new Error(new TextDecoder().decode(out.stderr).trim().split("\n").at(-1));
    const { imagesPerSecond, isa: used } = JSON.parse(new TextDecoder().decode(out.stdout));
    isaSeen.set(isa, `oneDNN ${used.onednn}, ATen ${used.aten}`);
    return imagesPerSecond;
  } catch (error) {
    const message = (error as Error).message;
    // the install hint only where Python or torch is missing, not for a failure inside the script
    const hint = error instanceof Deno.errors.NotFound || /No module named/.test(message)
      ? " (apt-get install python3-torch)"
      : "";
    console.log(`PyTorch peer not measured at ${threads} thread(s): ${message}${hint}`);
    return null;
  }
}
