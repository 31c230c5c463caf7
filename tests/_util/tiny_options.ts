/**
 * Options under which the registry-wide tests build a tiny backbone at their small input side: the input side, plus
 * what a family needs to accept it (Swin's window must divide every stage's side; the `swin_tiny` preset's window 7
 * does not divide the 16 that a 32 input gives, window 4 does: sides 16/8/4/2 with shifted windows in stages 1–2).
 */
export function tinyTestOptions(name: string, inputSize: number): Record<string, unknown> {
  return name.startsWith("swin") ? { inputSize, window: 4 } : { inputSize };
}
