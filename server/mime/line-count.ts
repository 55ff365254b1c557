// Counting line feeds in byte ranges of one message, for the line counts of BODYSTRUCTURE.
//
// Invariant: the cost of count(a, b) is bounded by min(b - a, 2 * BLOCK) plus a table lookup, so
// nested message/rfc822 parts over one large body (100 levels of a 25 MiB leaf) stay linear.
// The per-block table is built only when a range larger than two blocks is asked for.

const LF = 0x0a;
const BLOCK = 64 * 1024;

function countIn(bytes: Buffer): number {
  let n = 0;
  for (let i = bytes.indexOf(LF); i !== -1; i = bytes.indexOf(LF, i + 1)) n++;
  return n;
}

export class LineCounter {
  /** before[k] = line feeds in [0, k * BLOCK). */
  private before: Uint32Array | null = null;

  constructor(private readonly raw: Buffer) {}

  count(start: number, end: number): number {
    if (end - start <= 2 * BLOCK) return countIn(this.raw.subarray(start, end));
    const before = (this.before ??= this.buildTable());
    const first = Math.ceil(start / BLOCK);
    const last = Math.floor(end / BLOCK);
    return (
      countIn(this.raw.subarray(start, first * BLOCK)) + before[last] - before[first] + countIn(this.raw.subarray(last * BLOCK, end))
    );
  }

  private buildTable(): Uint32Array {
    const blocks = Math.floor(this.raw.length / BLOCK);
    const before = new Uint32Array(blocks + 1);
    for (let k = 0; k < blocks; k++) before[k + 1] = before[k] + countIn(this.raw.subarray(k * BLOCK, (k + 1) * BLOCK));
    return before;
  }
}
