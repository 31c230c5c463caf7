/**
 * How the Trainer resumes from a checkpoint directory that is not what it wrote: a damaged newest checkpoint falls
 * back to the previous one (logged) and still ends bit-identical; an empty pointer is an error, not a restart from
 * step 0; a changed training config is refused unless allowed; a checkpoint that does not read back is not adopted.
 */
import assert from "node:assert";
import { directoryStore } from "../../src/train/directory_store.ts";
import type { FileStore } from "../../src/train/checkpoint.ts";
import { tinyRun } from "./_tiny_run.ts";

async function withDir(body: (dir: string) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir();
  try {
    await body(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

/** Trains the first `steps` iterations into `dir` (checkpoints every 2, the last at `steps`). */
function trainUntil(dir: string, steps: number) {
  return tinyRun(directoryStore(dir), { config: { steps } });
}

Deno.test("resume: a damaged newest checkpoint falls back to the previous one, logged, with the same final hash", async () => {
  let expected = "";
  await withDir(async (dir) => void (expected = (await tinyRun(directoryStore(dir))).weightHash));
  await withDir(async (dir) => {
    await trainUntil(dir, 6);
    assert.deepStrictEqual(
      (await Deno.readTextFile(`${dir}/latest`)).split("\n"),
      ["step-00000006", "step-00000004", ""],
      "the previous checkpoint is kept behind the newest",
    );
    assert.ok(!(await directoryStore(dir).exists("step-00000002.json")), "older checkpoints are deleted");
    const sidecar = JSON.parse(await Deno.readTextFile(`${dir}/step-00000006.json`));
    await Deno.writeTextFile(`${dir}/step-00000006.json`, JSON.stringify({ ...sidecar, step: 50 }));
    const logs: string[] = [];
    const resumed = await tinyRun(directoryStore(dir), { log: (line) => logs.push(line) });
    assert.strictEqual(resumed.resumedAt, 4);
    assert.strictEqual(logs.length, 1, logs.join("\n"));
    assert.match(
      logs[0],
      /^checkpoint step-00000006 is unusable \(.*step 50 does not match step 6.*\); falling back to step-00000004$/,
    );
    assert.strictEqual(resumed.weightHash, expected);
  });
});

Deno.test("resume: an empty or damaged latest pointer is an error, never a silent restart from step 0", async () => {
  await withDir(async (dir) => {
    await trainUntil(dir, 4);
    for (
      const [text, message] of [["", /checkpoint latest: is empty/], ["garbage\n", /line "garbage" is not/]] as const
    ) {
      await Deno.writeTextFile(`${dir}/latest`, text);
      await assert.rejects(tinyRun(directoryStore(dir)), message);
    }
  });
});

Deno.test("resume: a changed schedule, lr or optimizer is refused naming the fields; allowConfigChange logs them", async () => {
  await withDir(async (dir) => {
    await trainUntil(dir, 4);
    await assert.rejects(
      tinyRun(directoryStore(dir), {
        config: {
          schedule: { kind: "multistep", lr: 0.1, warmupSteps: 2, milestones: [6], gamma: 0.1 },
          optimizer: { momentum: 0.9, nesterov: true, weightDecay: 5e-4 },
        },
      }),
      /training config differs from the checkpoint's \(optimizer.nesterov: false → true; schedule.lr: 0.05 → 0.1\)/,
    );
    const logs: string[] = [];
    const resumed = await tinyRun(directoryStore(dir), {
      config: { clipGradNorm: 5 },
      allowConfigChange: true,
      log: (line) => logs.push(line),
    });
    assert.strictEqual(resumed.resumedAt, 4);
    assert.deepStrictEqual(logs, ["resuming step-00000004 with a changed training config: clipGradNorm: null → 5"]);
  });
});

Deno.test("checkpoint: a checkpoint that does not read back intact is not adopted; latest keeps the previous", async () => {
  await withDir(async (dir) => {
    const inner = directoryStore(dir);
    const store: FileStore = {
      ...inner,
      // a disk that flips a bit of the step-4 tensor file after the write
      write: (name, data) => {
        if (name !== "step-00000004.safetensors") return inner.write(name, data);
        const bad = data.slice();
        bad[bad.length - 1] ^= 1;
        return inner.write(name, bad);
      },
    };
    await assert.rejects(
      tinyRun(store, { config: { steps: 4 } }),
      /step-00000004.safetensors: SHA-256 .* does not match/,
    );
    assert.strictEqual(await Deno.readTextFile(`${dir}/latest`), "step-00000002\n");
    assert.strictEqual((await tinyRun(inner, { config: { steps: 4 } })).resumedAt, 2);
  });
});

Deno.test("resume: a loader that does not start at the checkpoint's position is refused", async () => {
  await withDir(async (dir) => {
    await trainUntil(dir, 4);
    await assert.rejects(
      tinyRun(directoryStore(dir), { start: { epoch: 0, batch: 0 } }),
      /checkpoint step-00000004.json: the loader starts at \{"batch":0,"epoch":0\}, the checkpoint continues at \{"batch":0,"epoch":1\}/,
    );
  });
});
