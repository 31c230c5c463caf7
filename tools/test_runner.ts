/**
 * `deno task test`: chooses wgpu's backend, then runs `deno test --allow-all --parallel` (on `tests/`, or on the
 * arguments given) and exits with its status.
 *
 * wgpu is limited to one backend because its default set makes test processes abort at exit (see README, Testing).
 * DENO_WEBGPU_BACKEND from the environment is kept; otherwise Vulkan is used when it gives an adapter, else GL when
 * that does, else Vulkan (there is no adapter: the WebGPU tests register as ignored, and fail the run under CI=true).
 * After the run one line says what did not run for lack of an adapter.
 * @module
 */

/** wgpu backends tried in order. */
const CANDIDATES = ["vulkan", "gl"] as const;

/** The backend chosen for a run and the adapter it gives. */
export interface WebGpuChoice {
  /** value of DENO_WEBGPU_BACKEND for the run */
  backend: string;
  /** the adapter's description, or null when there is none */
  adapter: string | null;
  /** whether the backend came from the environment rather than from probing */
  fromEnvironment: boolean;
}

const PROBE =
  "const a = await navigator.gpu?.requestAdapter(); console.log(JSON.stringify(a?.info.description ?? null));";

/** The description of the adapter wgpu finds with `backend` in a fresh process, or null when there is none. */
export async function probeAdapter(backend: string, env: Record<string, string> = {}): Promise<string | null> {
  const { stdout } = await new Deno.Command(Deno.execPath(), {
    args: ["eval", PROBE],
    env: { ...env, DENO_WEBGPU_BACKEND: backend },
    stdout: "piped",
    stderr: "null",
  }).output();
  const last = new TextDecoder().decode(stdout).trim().split("\n").at(-1);
  try {
    return last ? JSON.parse(last) : null;
  } catch {
    return null;
  }
}

/** Picks DENO_WEBGPU_BACKEND for a run: the environment's, else the first candidate that gives an adapter. */
export async function chooseWebGpuBackend(env: Record<string, string> = Deno.env.toObject()): Promise<WebGpuChoice> {
  const given = env.DENO_WEBGPU_BACKEND;
  if (given) return { backend: given, adapter: await probeAdapter(given, env), fromEnvironment: true };
  for (const backend of CANDIDATES) {
    const adapter = await probeAdapter(backend, env);
    if (adapter !== null) return { backend, adapter, fromEnvironment: false };
  }
  return { backend: CANDIDATES[0], adapter: null, fromEnvironment: false };
}

/** One line about the choice, printed before the tests. */
function describe(choice: WebGpuChoice): string {
  const source = choice.fromEnvironment ? "from DENO_WEBGPU_BACKEND" : "probed";
  return `WebGPU: DENO_WEBGPU_BACKEND=${choice.backend} (${source}), adapter: ${choice.adapter ?? "none"}`;
}

if (import.meta.main) {
  const choice = await chooseWebGpuBackend();
  console.log(describe(choice));
  const args = Deno.args.length > 0 ? Deno.args : ["tests/"];
  const { code } = await new Deno.Command(Deno.execPath(), {
    args: ["test", "--allow-all", "--parallel", ...args],
    env: { DENO_WEBGPU_BACKEND: choice.backend },
    stdin: "inherit",
    stdout: "inherit",
    stderr: "inherit",
  }).spawn().status;
  if (choice.adapter === null) {
    const tried = choice.fromEnvironment ? choice.backend : CANDIDATES.join(", ");
    const consequence = Deno.env.get("CI") === "true"
      ? "Deno counts them as ignored, and the test 'backend webgpu is available' fails the run (CI=true)"
      : "Deno counts them as ignored";
    console.error(
      `NOT RUN: the WebGPU tests — no adapter (tried ${tried}; install mesa-vulkan-drivers libegl-mesa0 ` +
        `libgl1-mesa-dri); ${consequence}.`,
    );
  }
  Deno.exit(code);
}
