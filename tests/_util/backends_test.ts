/**
 * Registration of backend tests on a machine without a WebGPU adapter: a small suite is run in a `deno test`
 * subprocess whose Vulkan loader finds no driver (VK_ICD_FILENAMES=/nonexistent with wgpu limited to Vulkan), and
 * Deno's own summary must count its WebGPU tests as ignored, or, under CI=true, fail exactly one test.
 * @module
 */
import assert from "node:assert";
import { probeAdapter } from "../../tools/test_runner.ts";
import { isCi } from "./ci.ts";

const FIXTURE = new URL("./fixtures/webgpu_suite.ts", import.meta.url).pathname;
/** Removes every Vulkan driver from wgpu's view (checked below with a control run that has them). */
const NO_ADAPTER = { DENO_WEBGPU_BACKEND: "vulkan", VK_ICD_FILENAMES: "/nonexistent" };

/** Deno's summary counts of one `deno test` run of the fixture with `env` added to this process's environment. */
async function runFixture(env: Record<string, string>): Promise<{ passed: number; failed: number; ignored: number }> {
  const { stdout, stderr } = await new Deno.Command(Deno.execPath(), {
    args: ["test", "--allow-all", FIXTURE],
    env: { NO_COLOR: "1", FACEBENCH_TEST_BACKENDS: "webgpu", CI: "false", XDG_RUNTIME_DIR: "/tmp", ...env },
    stdout: "piped",
    stderr: "piped",
  }).output();
  const text = new TextDecoder().decode(stdout) + new TextDecoder().decode(stderr);
  const summary = text.match(/\| (\d+) passed \| (\d+) failed(?: \| (\d+) ignored)?/);
  assert.ok(summary, `no summary line in:\n${text}`);
  return { passed: +summary[1], failed: +summary[2], ignored: +(summary[3] ?? 0) };
}

Deno.test("without an adapter, WebGPU tests are registered as ignored and counted so", async () => {
  // The op's gradient check runs; its WebGPU parity check, the gpuTest and the availability test are ignored.
  assert.deepStrictEqual(await runFixture(NO_ADAPTER), { passed: 1, failed: 0, ignored: 3 });
});

Deno.test("without an adapter under CI=true, exactly the availability test fails", async () => {
  assert.deepStrictEqual(await runFixture({ ...NO_ADAPTER, CI: "true" }), { passed: 1, failed: 1, ignored: 2 });
});

const vulkan = await probeAdapter("vulkan");

Deno.test({
  name: "with the machine's Vulkan drivers the same suite runs in full (the control of the two above)",
  ignore: vulkan === null && !isCi(),
  fn: async () => {
    assert.deepStrictEqual(await runFixture({ DENO_WEBGPU_BACKEND: "vulkan" }), { passed: 4, failed: 0, ignored: 0 });
  },
});
