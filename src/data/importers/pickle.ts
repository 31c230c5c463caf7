/**
 * A minimal Python pickle reader for `.bin` verification sets: enough opcodes (protocols 0–5) to read a tuple of
 * a list of byte strings and a list of booleans. Anything else is a clean error, never code execution.
 * @module
 */
import { ByteReader } from "../byte_reader.ts";

/** Values this reader can build. */
export type PickleValue = null | boolean | number | string | Uint8Array | PickleValue[] | { tuple: PickleValue[] };

/** The opcodes understood, by their names in CPython's `pickletools`. */
const OP = {
  PROTO: 0x80,
  FRAME: 0x95,
  STOP: 0x2e,
  MARK: 0x28,
  EMPTY_LIST: 0x5d,
  EMPTY_TUPLE: 0x29,
  LIST: 0x6c,
  TUPLE: 0x74,
  TUPLE1: 0x85,
  TUPLE2: 0x86,
  TUPLE3: 0x87,
  APPEND: 0x61,
  APPENDS: 0x65,
  BINPUT: 0x71,
  LONG_BINPUT: 0x72,
  MEMOIZE: 0x94,
  PUT: 0x70,
  BINGET: 0x68,
  LONG_BINGET: 0x6a,
  GET: 0x67,
  SHORT_BINSTRING: 0x55,
  SHORT_BINBYTES: 0x43,
  BINSTRING: 0x54,
  BINBYTES: 0x42,
  BINBYTES8: 0x8e,
  BYTEARRAY8: 0x96,
  SHORT_BINUNICODE: 0x8c,
  BINUNICODE: 0x58,
  NEWTRUE: 0x88,
  NEWFALSE: 0x89,
  NONE: 0x4e,
  BININT: 0x4a,
  BININT1: 0x4b,
  BININT2: 0x4d,
  INT: 0x49,
} as const;

const MARK = Symbol("mark");
type Slot = PickleValue | typeof MARK;

/** Parses a pickle; `source` names the file in errors. */
export function parsePickle(bytes: Uint8Array, source: string): PickleValue {
  const r = new ByteReader(bytes, "read pickle", source);
  const stack: Slot[] = [];
  const memo = new Map<number, PickleValue>();
  const pop = (): PickleValue => {
    const v = stack.pop();
    if (v === undefined || v === MARK) r.fail(`stack underflow at offset ${r.offset}`);
    return v as PickleValue;
  };
  const popMark = (): PickleValue[] => {
    const i = stack.lastIndexOf(MARK);
    if (i < 0) r.fail(`no MARK on the stack at offset ${r.offset}`);
    return stack.splice(i).slice(1) as PickleValue[];
  };
  const top = (): PickleValue => {
    const v = stack[stack.length - 1];
    if (v === undefined || v === MARK) r.fail(`empty stack at offset ${r.offset}`);
    return v as PickleValue;
  };
  const list = (v: PickleValue): PickleValue[] => {
    if (!Array.isArray(v)) r.fail(`APPEND on a non-list at offset ${r.offset}`);
    return v as PickleValue[];
  };
  const line = (): string => {
    const start = r.offset;
    while (r.u8("text line") !== 0x0a);
    return new TextDecoder().decode(bytes.subarray(start, r.offset - 1));
  };
  const text = (n: number) => new TextDecoder().decode(r.take(n, "string"));
  for (;;) {
    const at = r.offset;
    const op = r.u8("opcode");
    switch (op) {
      case OP.PROTO:
        r.u8("protocol");
        break;
      case OP.FRAME:
        r.take(8, "frame size");
        break;
      case OP.STOP: {
        const result = pop();
        if (stack.length !== 0) r.fail("values left on the stack at STOP");
        return result;
      }
      case OP.MARK:
        stack.push(MARK);
        break;
      case OP.EMPTY_LIST:
        stack.push([]);
        break;
      case OP.EMPTY_TUPLE:
        stack.push({ tuple: [] });
        break;
      case OP.LIST:
        stack.push(popMark());
        break;
      case OP.TUPLE:
        stack.push({ tuple: popMark() });
        break;
      case OP.TUPLE1:
      case OP.TUPLE2:
      case OP.TUPLE3: {
        const items = Array.from({ length: op - OP.TUPLE1 + 1 }, pop).reverse();
        stack.push({ tuple: items });
        break;
      }
      case OP.APPEND: {
        const v = pop();
        list(top()).push(v);
        break;
      }
      case OP.APPENDS: {
        const items = popMark();
        list(top()).push(...items);
        break;
      }
      case OP.BINPUT:
        memo.set(r.u8("memo key"), top());
        break;
      case OP.LONG_BINPUT:
        memo.set(r.u32le("memo key"), top());
        break;
      case OP.MEMOIZE:
        memo.set(memo.size, top());
        break;
      case OP.PUT:
        memo.set(Number(line()), top());
        break;
      case OP.BINGET:
      case OP.LONG_BINGET:
      case OP.GET: {
        const key = op === OP.BINGET ? r.u8("memo key") : op === OP.LONG_BINGET ? r.u32le("memo key") : Number(line());
        if (!memo.has(key)) r.fail(`memo key ${key} missing at offset ${at}`);
        stack.push(memo.get(key)!);
        break;
      }
      case OP.SHORT_BINSTRING:
      case OP.SHORT_BINBYTES:
        stack.push(r.take(r.u8("length"), "bytes").slice());
        break;
      case OP.BINSTRING:
      case OP.BINBYTES:
        stack.push(r.take(r.u32le("length"), "bytes").slice());
        break;
      case OP.BINBYTES8:
      case OP.BYTEARRAY8:
        stack.push(r.take(r.u64le("length"), "bytes").slice());
        break;
      case OP.SHORT_BINUNICODE:
        stack.push(text(r.u8("length")));
        break;
      case OP.BINUNICODE:
        stack.push(text(r.u32le("length")));
        break;
      case OP.NEWTRUE:
        stack.push(true);
        break;
      case OP.NEWFALSE:
        stack.push(false);
        break;
      case OP.NONE:
        stack.push(null);
        break;
      case OP.BININT:
        stack.push(r.i32le("int"));
        break;
      case OP.BININT1:
        stack.push(r.u8("int"));
        break;
      case OP.BININT2:
        stack.push(r.u16le("int"));
        break;
      case OP.INT: {
        const t = line();
        if (t === "01" || t === "00") stack.push(t === "01");
        else if (/^-?\d+$/.test(t)) stack.push(Number(t));
        else r.fail(`bad INT ${JSON.stringify(t.slice(0, 20))} at offset ${at}`);
        break;
      }
      default:
        r.fail(`unsupported pickle opcode 0x${op.toString(16).padStart(2, "0")} at offset ${at}`);
    }
  }
}
