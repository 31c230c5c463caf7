/**
 * Kill -9 during training, resume, and the final weight hash equals that of an uninterrupted run: the
 * checkpoint holds everything (model, head, optimizer, schedule position, RNG streams, loader position).
 */
import assert from "node:assert";

const child = new URL("./_kill_resume_child.ts", import.meta.url).pathname;

function spawn(dir: string): Deno.ChildProcess {
  return new Deno.Command(Deno.execPath(), {
    args: ["run", "--allow-all", child, dir],
    stdout: "piped",
    stderr: "inherit",
  }).spawn();
}

async function lines(process: Deno.ChildProcess, onLine: (line: string) => boolean | void): Promise<string[]> {
  const seen: string[] = [];
  const reader = process.stdout.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = "";
  while (true) {
    const { value, done } = await reader.read();
    if (done) break;
    buffer += value;
    const parts = buffer.split("\n");
    buffer = parts.pop()!;
    for (const line of parts) {
      seen.push(line);
      if (onLine(line) === true) {
        reader.releaseLock();
        return seen;
      }
    }
  }
  return seen;
}

function hashOf(output: string[]): string {
  const line = output.find((l) => l.startsWith("hash "));
  assert.ok(line, `no final hash in output:\n${output.join("\n")}`);
  return line.slice(5);
}

Deno.test("kill -9 mid-training, resume: the final weight hash equals the uninterrupted run", async () => {
  const clean = await Deno.makeTempDir();
  const killed = await Deno.makeTempDir();
  try {
    const uninterrupted = spawn(clean);
    const full = await lines(uninterrupted, () => {});
    assert.ok((await uninterrupted.status).success, "uninterrupted run failed");

    const victim = spawn(killed);
    await lines(victim, (line) => line === "step 7");
    victim.kill("SIGKILL");
    const status = await victim.status;
    assert.strictEqual(status.signal, "SIGKILL");
    await victim.stdout.cancel().catch(() => {});

    const resumed = spawn(killed);
    const rest = await lines(resumed, () => {});
    assert.ok((await resumed.status).success, "resumed run failed");
    const resumedAt = rest.find((l) => l.startsWith("resumed "));
    assert.ok(resumedAt, "the second run did not resume from a checkpoint");
    assert.ok(Number(resumedAt.slice(8)) >= 6, `resumed at ${resumedAt}, expected the step-6 checkpoint or later`);
    assert.strictEqual(hashOf(rest), hashOf(full));
  } finally {
    await Deno.remove(clean, { recursive: true });
    await Deno.remove(killed, { recursive: true });
  }
});
