// Human sizes for quotas and limits: `500M`, `2G`, `1.5GB`, `0` (unlimited) ↔ bytes, binary units as
// Postfix/Dovecot users expect (1M = 1024 KiB).
const UNITS: Record<string, number> = { '': 1, B: 1, K: 1024, M: 1024 ** 2, G: 1024 ** 3, T: 1024 ** 4 };

export function parseSize(input: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([KMGT]?)(?:I?B)?\s*$/i.exec(input);
  if (!m) throw new Error(`"${input}" is not a size; write e.g. 500M, 2G or 0 for unlimited.`);
  return Math.round(Number(m[1]) * UNITS[m[2].toUpperCase()]);
}

export function formatSize(bytes: number): string {
  if (bytes === 0) return '0';
  for (const unit of ['T', 'G', 'M', 'K'] as const) {
    const n = bytes / UNITS[unit];
    if (n >= 1) return `${Number.isInteger(n) ? n : n.toFixed(1)}${unit}`;
  }
  return `${bytes}B`;
}
