import assert from "node:assert";
import { consoleProgress, formatDuration, ProgressBar, type ProgressSink } from "../../src/io/progress.ts";

function fakeSink(isTerminal: boolean, columns = 200): ProgressSink & { out: string[] } {
  const out: string[] = [];
  return { isTerminal, columns, out, write: (t) => void out.push(t) };
}

Deno.test("formatDuration: m:ss, h:mm:ss, unknown", () => {
  assert.strictEqual(formatDuration(83), "1:23");
  assert.strictEqual(formatDuration(3723), "1:02:03");
  assert.strictEqual(formatDuration(NaN), "--:--");
});

Deno.test("ProgressBar: plain lines at the interval and on the last step, with ETA from the step rate", () => {
  let now = 0;
  const sink = fakeSink(false);
  const p = new ProgressBar("ir_18/arcface", 100, { sink, now: () => now, lineIntervalSeconds: 10 });
  for (let step = 1; step <= 100; step++) {
    now = step * 1000; // one step per second
    p.update({ step, loss: 10 / step, imagesPerSecond: 64 });
  }
  p.finish();
  assert.deepStrictEqual(sink.out.slice(0, 2), [
    "ir_18/arcface 1/100 1% loss 10.0000 64.0 img/s ETA --:--\n",
    "ir_18/arcface 11/100 11% loss 0.9091 64.0 img/s ETA 1:29\n",
  ]);
  assert.strictEqual(sink.out.length, 11, "steps 1, 11, …, 91 and the final step 100");
  assert.strictEqual(sink.out[10], "ir_18/arcface 100/100 100% loss 0.1000 64.0 img/s ETA 0:00\n");
});

Deno.test("ProgressBar: on a TTY the bar is redrawn in place, cut to the width, and finished with a newline", () => {
  let now = 0;
  const sink = fakeSink(true, 60);
  const p = new ProgressBar("run", 4, { sink, now: () => now });
  p.update({ step: 0, loss: 2, imagesPerSecond: 0 });
  now = 50;
  p.update({ step: 1, loss: 1.5, imagesPerSecond: 10 }); // within 100 ms: not drawn
  now = 1000;
  p.update({ step: 2, loss: 1, imagesPerSecond: 10 });
  p.finish();
  assert.strictEqual(sink.out.length, 4);
  // 59 visible characters (width 60 minus one, so the cursor never wraps)
  assert.strictEqual(sink.out[1], "\r\x1b[2Krun [############------------] 2/4 50% loss 1.0000 10.0 img");
  assert.ok(sink.out.every((s, i) => i === 3 ? s === "\n" : s.startsWith("\r\x1b[2K") && s.length <= 59 + 5));
});

Deno.test("consoleProgress: a line at every 10 % off a TTY, a line redrawn in place on one", () => {
  const plain = fakeSink(false);
  const report = consoleProgress("render", plain);
  for (let done = 1; done <= 20; done++) report(done, 20);
  assert.deepStrictEqual(plain.out, [1, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20].map((d) => `render: ${d}/20\n`));
  const tty = fakeSink(true);
  const redraw = consoleProgress("render", tty);
  redraw(1, 2);
  redraw(2, 2);
  assert.deepStrictEqual(tty.out, ["\rrender: 1/2", "\rrender: 2/2\n"]);
});
