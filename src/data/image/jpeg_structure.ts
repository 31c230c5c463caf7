/**
 * A walk over a JPEG's marker segments, done before libjpeg sees the data. It reads the frame header (SOF) so the
 * declared size can be capped before anything is allocated, and it checks that the file is complete: every segment
 * fits, the entropy-coded data after each SOS ends at a marker, and the walk reaches EOI (0xFFD9). libjpeg itself
 * only prints "Premature end of JPEG file" for a truncated file and pads the missing rows with grey.
 * @module
 */
import { ByteReader } from "../byte_reader.ts";

/** What the frame header declares. */
export interface JpegFrame {
  /** Width in pixels. */
  width: number;
  /** Height in pixels (0 would mean "defined by a DNL marker", which is rejected). */
  height: number;
  /** Number of colour components (1 grey, 3 YCbCr, 4 CMYK). */
  components: number;
}

const SOI = 0xd8, EOI = 0xd9, SOS = 0xda;

/** Start-of-frame markers: 0xC0–0xCF except DHT (C4), JPG (C8) and DAC (CC). */
function isSof(marker: number): boolean {
  return marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
}

/** Markers without a length field besides SOI/EOI: RST0–7 and TEM. */
function isStandalone(marker: number): boolean {
  return (marker >= 0xd0 && marker <= 0xd7) || marker === 0x01;
}

/** Offset of the first marker after entropy-coded data starting at `pos` (skips stuffed 0xFF00 and RSTn), or -1. */
function endOfScan(bytes: Uint8Array, pos: number): number {
  for (let i = pos; i + 1 < bytes.length; i++) {
    if (bytes[i] !== 0xff) continue;
    const next = bytes[i + 1];
    if (next !== 0x00 && next !== 0xff && !(next >= 0xd0 && next <= 0xd7)) return i;
  }
  return -1;
}

/**
 * Walks the marker segments of `bytes` and returns the frame header; throws a `DataError` naming `source` when the
 * file is not a complete JPEG (no SOF before the first SOS, a segment running past the end, scan data without a
 * following marker, or no EOI). Bytes after EOI are ignored.
 */
export function readJpegFrame(bytes: Uint8Array, source: string): JpegFrame {
  const r = new ByteReader(bytes, "decode", source);
  if (r.u8("JPEG SOI") !== 0xff || r.u8("JPEG SOI") !== SOI) r.fail("not a JPEG file (no SOI marker)");
  let frame: JpegFrame | undefined;
  let scans = 0;
  for (;;) {
    const at = r.offset;
    if (r.remaining < 2) r.fail(`truncated JPEG: file ends at byte ${bytes.length} before the EOI marker`);
    if (r.u8("JPEG marker") !== 0xff) r.fail(`expected a marker at offset ${at}`);
    let marker = r.u8("JPEG marker");
    while (marker === 0xff) marker = r.u8("JPEG marker");
    if (marker === EOI) {
      if (!frame) return r.fail(`EOI at offset ${at} before any frame header (SOF)`);
      if (scans === 0) r.fail(`EOI at offset ${at} before any scan (SOS)`);
      return frame;
    }
    if (marker === SOI || marker === 0x00) r.fail(`unexpected marker 0xFF${hex(marker)} at offset ${at}`);
    if (isStandalone(marker)) continue;
    const length = r.u16be(`JPEG marker 0xFF${hex(marker)} length`);
    if (length < 2) r.fail(`marker 0xFF${hex(marker)} at offset ${at} has length ${length}`);
    const body = new ByteReader(
      r.take(length - 2, `JPEG segment 0xFF${hex(marker)} at offset ${at}`),
      "decode",
      source,
    );
    if (isSof(marker)) {
      if (frame) r.fail(`second frame header (SOF) at offset ${at}`);
      body.u8("JPEG SOF precision");
      const height = body.u16be("JPEG SOF height"), width = body.u16be("JPEG SOF width");
      if (height === 0) r.fail("frame height 0 (defined by a DNL marker) is not supported");
      frame = { width, height, components: body.u8("JPEG SOF components") };
    } else if (marker === SOS) {
      if (!frame) r.fail(`scan (SOS) at offset ${at} before any frame header (SOF)`);
      scans++;
      const next = endOfScan(bytes, r.offset);
      if (next < 0) r.fail(`truncated JPEG: scan data from offset ${r.offset} runs to the end of the file (no EOI)`);
      r.offset = next;
    }
  }
}

function hex(byte: number): string {
  return byte.toString(16).toUpperCase().padStart(2, "0");
}
