/**
 * Every ```ts block of README.md runs as written: all are type-checked, then each runs in its own `deno run` process
 * with the repository as working directory (so it shares the dataset cache), and must exit 0 within the time limit — a
 * snippet that leaves a worker or a device alive hangs and fails here. Snippets that use ORL or MTCNN need the shared
 * data; without it they are skipped loudly (never under CI=true).
 * @module
 */
import assert from "node:assert";
import { sharedDataPresent, skipWithout } from "./_util/shared_data.ts";

const ROOT = new URL("../", import.meta.url);
const TIME_LIMIT_MS = 120_000;
/** What marks a snippet that reads the shared data (ORL images, MTCNN weights). */
const NEEDS_SHARED_DATA = /\borl\b|mtcnn/i;

/** One code block of the README. */
interface Snippet {
  /** 1-based line of the opening fence */
  line: number;
  /** the nearest heading above it */
  section: string;
  /** the code */
  code: string;
}

/** The ```ts blocks of a Markdown text, in order. */
function tsSnippets(markdown: string): Snippet[] {
  const snippets: Snippet[] = [];
  const lines = markdown.split("\n");
  let section = "";
  for (let i = 0; i < lines.length; i++) {
    if (lines[i].startsWith("#")) section = lines[i].replace(/^#+\s*/, "");
    if (lines[i].trim() !== "```ts") continue;
    const end = lines.findIndex((l, j) => j > i && l.trim() === "```");
    assert.ok(end > i, `README.md:${i + 1}: unclosed code block`);
    snippets.push({ line: i + 1, section, code: lines.slice(i + 1, end).join("\n") });
    i = end;
  }
  return snippets;
}

/** Runs `deno <args>` in the repository with a time limit; resolves to its exit code (null if killed) and output. */
async function deno(args: string[]): Promise<{ code: number | null; output: string }> {
  const { code, signal, stdout, stderr } = await new Deno.Command(Deno.execPath(), {
    args: [args[0], "--config", new URL("deno.json", ROOT).pathname, ...args.slice(1)],
    cwd: ROOT.pathname,
    stdout: "piped",
    stderr: "piped",
    signal: AbortSignal.timeout(TIME_LIMIT_MS),
  }).output();
  return {
    code: signal === null ? code : null,
    output: new TextDecoder().decode(stdout) + new TextDecoder().decode(stderr),
  };
}

/** Fails unless a `deno` run exited 0 in time. */
function assertSucceeded(where: string, { code, output }: { code: number | null; output: string }): void {
  assert.notStrictEqual(code, null, `${where}: did not exit within ${TIME_LIMIT_MS / 1000} s (hangs?)\n${output}`);
  assert.strictEqual(code, 0, `${where}: exited with ${code}\n${output}`);
}

const snippets = tsSnippets(await Deno.readTextFile(new URL("README.md", ROOT)));
const sharedData = snippets.some((s) => NEEDS_SHARED_DATA.test(s.code)) && await sharedDataPresent("orl") &&
  await sharedDataPresent("mtcnn");

// Each snippet as a file of its own, its "./" imports resolved against the repository.
const dir = await Deno.makeTempDir({ prefix: "readme-snippets-" });
globalThis.addEventListener("unload", () => Deno.removeSync(dir, { recursive: true }));
const files = await Promise.all(snippets.map(async (snippet) => {
  const file = `${dir}/line-${snippet.line}.ts`;
  await Deno.writeTextFile(file, snippet.code.replace(/(from\s+|import\(\s*)"\.\//g, `$1"${ROOT.href}`));
  return file;
}));

Deno.test("README has ts snippets in the sections that promise them", () => {
  const sections = new Set(snippets.map((s) => s.section));
  for (const wanted of ["The engine", "Models", "Data"]) assert.ok(sections.has(wanted), `no ts snippet in ${wanted}`);
});

Deno.test("README ts snippets type-check", async () => {
  assertSucceeded("deno check of the README snippets", await deno(["check", ...files]));
});

snippets.forEach((snippet, i) => {
  Deno.test({
    name: `README snippet at line ${snippet.line} (${snippet.section}) runs and exits on its own`,
    ignore: NEEDS_SHARED_DATA.test(snippet.code) && skipWithout(sharedData),
    fn: async () => assertSucceeded(`README.md:${snippet.line}`, await deno(["run", "--allow-all", files[i]])),
  });
});
