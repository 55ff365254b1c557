// Line-ending normalization at ingest: every bare LF becomes CRLF, so the stored bytes are exactly
// what IMAP serves and RFC822.SIZE is the stored length. Bare CR and NUL are left alone (Dovecot
// serves them as stored). All MIME offsets elsewhere in this package refer to normalized bytes.
//
// Invariant: when the input has no bare LF the very same Buffer is returned (no copy), so the
// common CRLF case costs one native scan.

const LF = 0x0a;
const CR = 0x0d;

export function toCrlf(raw: Buffer): Buffer {
  let bare = 0;
  for (let i = raw.indexOf(LF); i !== -1; i = raw.indexOf(LF, i + 1)) {
    if (i === 0 || raw[i - 1] !== CR) bare++;
  }
  if (bare === 0) return raw;

  const out = Buffer.allocUnsafe(raw.length + bare);
  let from = 0;
  let to = 0;
  for (let i = raw.indexOf(LF); i !== -1; i = raw.indexOf(LF, i + 1)) {
    if (i > 0 && raw[i - 1] === CR) continue;
    to += raw.copy(out, to, from, i);
    out[to++] = CR;
    from = i; // the LF itself is copied with the next chunk
  }
  raw.copy(out, to, from);
  return out;
}
