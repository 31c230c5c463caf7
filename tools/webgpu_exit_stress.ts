/**
 * Reproduces the Deno + Mesa abort at process exit that `deno task test` avoids by limiting wgpu to Vulkan.
 *
 * Writes a throw-away suite of test modules that each open a WebGPU device and run one dispatch, runs it with
 * `deno test --parallel` many times, and counts the runs that exited non-zero although every test passed.
 *
 *   deno run -A tools/webgpu_exit_stress.ts --runs 150                # wgpu's default backends
 *   deno run -A tools/webgpu_exit_stress.ts --runs 150 --backend vulkan
 *
 * Re-run it after a Deno or Mesa upgrade to see whether the restriction in deno.json is still needed.
 * @module
 */
import { parseArgs } from "node:util";

const MODULE_SOURCE = `Deno.test("one dispatch", async () => {
  const adapter = await navigator.gpu.requestAdapter();
  if (!adapter) throw new Error("no WebGPU adapter");
  const device = await adapter.requestDevice();
  const storage = device.createBuffer({ size: 256, usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC });
  const readBack = device.createBuffer({ size: 256, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST });
  const code = "@group(0) @binding(0) var<storage, read_write> a: array<f32>;" +
    "@compute @workgroup_size(64) fn main(@builtin(global_invocation_id) id: vec3u) { a[id.x] = f32(id.x); }";
  const pipeline = device.createComputePipeline({
    layout: "auto",
    compute: { module: device.createShaderModule({ code }), entryPoint: "main" },
  });
  const bindGroup = device.createBindGroup({
    layout: pipeline.getBindGroupLayout(0),
    entries: [{ binding: 0, resource: { buffer: storage } }],
  });
  const encoder = device.createCommandEncoder();
  const pass = encoder.beginComputePass();
  pass.setPipeline(pipeline);
  pass.setBindGroup(0, bindGroup);
  pass.dispatchWorkgroups(1);
  pass.end();
  encoder.copyBufferToBuffer(storage, 0, readBack, 0, 256);
  device.queue.submit([encoder.finish()]);
  await readBack.mapAsync(GPUMapMode.READ);
  const values = new Float32Array(readBack.getMappedRange().slice(0));
  if (values[5] !== 5) throw new Error("wrong dispatch result " + values[5]);
});
`;

const { values: args } = parseArgs({
  options: {
    runs: { type: "string", default: "150" },
    modules: { type: "string", default: "16" },
    backend: { type: "string" },
  },
});
const runs = Number(args.runs);
const modules = Number(args.modules);
if (!Number.isInteger(runs) || runs < 1 || !Number.isInteger(modules) || modules < 1) {
  throw new Error("--runs and --modules must be positive integers");
}

const dir = await Deno.makeTempDir({ prefix: "webgpu_exit_stress_" });
for (let i = 0; i < modules; i++) await Deno.writeTextFile(`${dir}/m${i}_test.ts`, MODULE_SOURCE);

const env: Record<string, string> = { NO_COLOR: "1", XDG_RUNTIME_DIR: Deno.env.get("XDG_RUNTIME_DIR") ?? "/tmp" };
if (args.backend) env.DENO_WEBGPU_BACKEND = args.backend;
let aborted = 0;
let failedTests = 0;
try {
  for (let run = 1; run <= runs; run++) {
    const out = await new Deno.Command(Deno.execPath(), {
      args: ["test", "--allow-all", "--parallel", dir],
      env,
      stdout: "piped",
      stderr: "piped",
    }).output();
    const text = new TextDecoder().decode(out.stdout) + new TextDecoder().decode(out.stderr);
    const allPassed = new RegExp(`ok \\| ${modules} passed \\| 0 failed`).test(text);
    if (!allPassed) failedTests++;
    else if (out.code !== 0) aborted++;
    if (!out.success) console.log(`run ${run}: exit ${out.code}${allPassed ? " after all tests passed" : ""}`);
  }
} finally {
  await Deno.remove(dir, { recursive: true });
}
console.log(
  `backend ${args.backend ?? "(wgpu default)"}: ${aborted} of ${runs} runs aborted after all tests passed` +
    (failedTests ? `, ${failedTests} runs had failing tests` : ""),
);
