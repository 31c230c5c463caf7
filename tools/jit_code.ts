/**
 * The machine code V8 compiled for the WASM kernels, read from the perf "jitdump" file V8 writes with
 * `--perf-prof`: lists the compiled functions, writes their bytes out, and disassembles the ones asked for with
 * binutils' `objdump` (for reading what the optimising tier made of a kernel loop: bounds checks, spills, shuffles).
 *
 * Run:
 *   deno run -A --v8-flags=--perf-prof,--perf-prof-path=/tmp/jit benchmarks/train_profile.ts --steps 1
 *   deno run -A tools/jit_code.ts /tmp/jit/jit-<pid>.dump [--tier turbofan] [--contains vpshufd] [--out DIR]
 *     [--wasm wasm-simd/kernels.wasm]
 * (`--perf-prof` also leaves `isolate-*.log` files in the working directory; delete them.)
 * @module
 */
import { parseArgs } from "node:util";
import { runTool, type ToolLog } from "./_tool_main.ts";

/** One JIT_CODE_LOAD record of a jitdump: the function's name as V8 gives it, its load address and its code. */
export interface JitCode {
  name: string;
  address: bigint;
  code: Uint8Array;
}

/** The jitdump magic "JiTD" as a little-endian u32, and the header and record sizes of the format (version 1). */
const MAGIC = 0x4a695444;
const FILE_HEADER_BYTES = 40;
const RECORD_HEADER_BYTES = 16;
const CODE_LOAD = 0;
const CODE_LOAD_FIELDS_BYTES = 40;

/**
 * A jitdump's code-load records, and the byte offset of a last record cut short (a process killed while writing
 * its dump), null when the file ends on a record boundary.
 */
export interface JitDump {
  records: JitCode[];
  truncatedAt: number | null;
}

/** The code-load records of a jitdump file's bytes; `file` names it in errors. */
export function parseJitDump(bytes: Uint8Array, file: string): JitDump {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.byteLength < FILE_HEADER_BYTES || view.getUint32(0, true) !== MAGIC) {
    throw new Error(`${file}: not a jitdump file (expected the magic "JiTD" in a ${FILE_HEADER_BYTES}-byte header)`);
  }
  const records: JitCode[] = [];
  let offset = view.getUint32(8, true);
  while (offset < bytes.byteLength) {
    if (offset + RECORD_HEADER_BYTES > bytes.byteLength) return { records, truncatedAt: offset };
    const id = view.getUint32(offset, true), size = view.getUint32(offset + 4, true);
    if (size < RECORD_HEADER_BYTES) throw new Error(`${file}: record at byte ${offset} has size ${size} (< 16)`);
    if (offset + size > bytes.byteLength) return { records, truncatedAt: offset };
    if (id === CODE_LOAD) {
      const fields = offset + RECORD_HEADER_BYTES;
      const address = view.getBigUint64(fields + 16, true);
      const codeBytes = Number(view.getBigUint64(fields + 24, true));
      const nameStart = fields + CODE_LOAD_FIELDS_BYTES;
      const nameEnd = bytes.indexOf(0, nameStart);
      if (nameEnd < 0 || nameEnd + 1 + codeBytes > offset + size) {
        throw new Error(`${file}: code record at byte ${offset} does not hold its name and ${codeBytes} code bytes`);
      }
      const name = new TextDecoder().decode(bytes.subarray(nameStart, nameEnd));
      records.push({ name, address, code: bytes.slice(nameEnd + 1, nameEnd + 1 + codeBytes) });
    }
    offset += size;
  }
  return { records, truncatedAt: null };
}

/** Reads an unsigned LEB128 integer at `at`; returns it and the offset after it. */
function readLeb(bytes: Uint8Array, at: number): [number, number] {
  let value = 0, shift = 0;
  for (;;) {
    const byte = bytes[at++];
    if (byte === undefined) throw new Error("unexpected end of a LEB128 integer");
    value += (byte & 0x7f) * 2 ** shift;
    if (byte < 0x80) return [value, at];
    shift += 7;
  }
}

/** Reads a length-prefixed name at `at`; returns it and the offset after it. */
function readName(bytes: Uint8Array, at: number): [string, number] {
  const [length, start] = readLeb(bytes, at);
  return [new TextDecoder().decode(bytes.subarray(start, start + length)), start + length];
}

/**
 * The export names of a WASM module's functions by function index (imports counted first, as V8's
 * `wasm-function[i]` names count them); `file` names the module in errors. The kernel modules are stripped, so only
 * exported functions get a name.
 */
export function wasmFunctionNames(bytes: Uint8Array, file: string): Map<number, string> {
  const magic = [0x00, 0x61, 0x73, 0x6d];
  if (bytes.length < 8 || magic.some((b, i) => bytes[i] !== b)) throw new Error(`${file}: not a WebAssembly module`);
  const names = new Map<number, string>();
  let at = 8;
  while (at < bytes.length) {
    const id = bytes[at];
    const [size, start] = readLeb(bytes, at + 1);
    if (id === 7) {
      let [count, p] = readLeb(bytes, start);
      for (; count > 0; count--) {
        let name: string, index: number;
        [name, p] = readName(bytes, p);
        const kind = bytes[p];
        [index, p] = readLeb(bytes, p + 1);
        if (kind === 0) names.set(index, name);
      }
    }
    at = start + size;
  }
  return names;
}

/** The function index of a V8 name such as `JS:wasm-function[38]-38-turbofan`, or null. */
export function wasmFunctionIndex(name: string): number | null {
  const match = /wasm-function\[(\d+)\]/.exec(name);
  return match ? Number(match[1]) : null;
}

/**
 * The records with a name and code not seen before, in order: V8 logs a function again for every isolate that compiles
 * it (the main thread and each worker), at another address but with the same bytes.
 */
export function distinctCode(records: readonly JitCode[]): JitCode[] {
  const seen = new Map<string, Uint8Array[]>();
  const same = (a: Uint8Array, b: Uint8Array) => a.length === b.length && a.every((byte, i) => byte === b[i]);
  return records.filter((record) => {
    const codes = seen.get(record.name) ?? [];
    if (codes.some((code) => same(code, record.code))) return false;
    seen.set(record.name, [...codes, record.code]);
    return true;
  });
}

/** A file name for a record (V8's names hold brackets, colons and slashes). */
export function codeFileName(record: JitCode): string {
  return `${record.name.replace(/[^A-Za-z0-9_.-]+/g, "_")}.bin`;
}

/**
 * The file names of `records` written together: {@link codeFileName}, with "-2", "-3", ... before ".bin" for a
 * function compiled again with other bytes, so no record's file overwrites another's.
 */
export function codeFileNames(records: readonly JitCode[]): string[] {
  const uses = new Map<string, number>();
  return records.map((record) => {
    const name = codeFileName(record), count = (uses.get(name) ?? 0) + 1;
    uses.set(name, count);
    return count === 1 ? name : name.replace(/\.bin$/, `-${count}.bin`);
  });
}

interface Options {
  dump: string;
  tier: string;
  contains: string | null;
  out: string | null;
  wasm: string | null;
}

const HELP = `Usage: deno run -A tools/jit_code.ts JITDUMP [--tier turbofan] [--contains TEXT] [--out DIR] [--wasm FILE]
  JITDUMP     a jit-<pid>.dump written by V8 under --v8-flags=--perf-prof,--perf-prof-path=DIR
  --tier      keep functions whose name contains this (default "turbofan": V8's optimised WASM code)
  --contains  disassemble each kept function with objdump (x86-64) and print those whose listing contains TEXT
  --out       write each kept function's code bytes to DIR/<name>.bin
  --wasm      the module the run loaded (e.g. wasm-simd/kernels.wasm): name its exported functions in the listing
              (V8's names do not say which module a function is from: use it on runs that load no other module,
              such as train_profile.ts, not on the benchmarks that also run onnxruntime-web)`;

function parse(args: string[]): Options | null {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      tier: { type: "string", default: "turbofan" },
      contains: { type: "string" },
      out: { type: "string" },
      wasm: { type: "string" },
      help: { type: "boolean", short: "h" },
    },
  });
  if (values.help) return null;
  if (positionals.length !== 1) throw new Error("jit_code: give exactly one jitdump file (see --help)");
  return {
    dump: positionals[0],
    tier: values.tier!,
    contains: values.contains ?? null,
    out: values.out ?? null,
    wasm: values.wasm ?? null,
  };
}

/** objdump's listing of `code` loaded at `address`. */
async function disassemble(code: Uint8Array, address: bigint): Promise<string> {
  const file = await Deno.makeTempFile({ suffix: ".bin" });
  try {
    await Deno.writeFile(file, code);
    const args = ["-D", "-b", "binary", "-m", "i386:x86-64", `--adjust-vma=0x${address.toString(16)}`, file];
    const result = await new Deno.Command("objdump", { args, stdout: "piped", stderr: "piped" }).output().catch(
      (error) => {
        throw new Error(`cannot run objdump (binutils): ${(error as Error).message}`);
      },
    );
    if (!result.success) throw new Error(`objdump failed: ${new TextDecoder().decode(result.stderr)}`);
    return new TextDecoder().decode(result.stdout);
  } finally {
    await Deno.remove(file);
  }
}

async function run(options: Options, log: ToolLog): Promise<void> {
  const dump = parseJitDump(await Deno.readFile(options.dump), options.dump);
  if (dump.truncatedAt !== null) {
    log(`${options.dump}: the last record (byte ${dump.truncatedAt}) is cut short; skipped`);
  }
  const records = distinctCode(dump.records.filter((record) => record.name.includes(options.tier)));
  const exports = options.wasm ? wasmFunctionNames(await Deno.readFile(options.wasm), options.wasm) : new Map();
  const label = (record: JitCode) => {
    const name = exports.get(wasmFunctionIndex(record.name) ?? -1);
    return name ? `${record.name} (${name})` : record.name;
  };
  if (options.out) await Deno.mkdir(options.out, { recursive: true });
  const files = codeFileNames(records);
  for (const [i, record] of records.entries()) {
    if (options.out) await Deno.writeFile(`${options.out}/${files[i]}`, record.code);
    if (options.contains === null) {
      console.log(`${label(record)}\t${record.code.byteLength} bytes\t0x${record.address.toString(16)}`);
      continue;
    }
    const listing = await disassemble(record.code, record.address);
    if (listing.includes(options.contains)) console.log(`== ${label(record)}\n${listing}`);
  }
}

if (import.meta.main) Deno.exit(await runTool("jit_code", Deno.args, HELP, parse, run));
