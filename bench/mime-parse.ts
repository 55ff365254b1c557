// MIME parsing throughput over the public corpus (../shared/corpus/messages beside the clone):
// toCrlf at ingest, parseMessage, and the ENVELOPE + BODYSTRUCTURE computed once per delivery.
// Usage: npx tsc -p tsconfig.json && node dist/bench/mime-parse.js [rounds=20]

import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { bodyStructure } from '../server/mime/bodystructure.js';
import { toCrlf } from '../server/mime/crlf.js';
import { envelope } from '../server/mime/envelope.js';
import { parseMessage } from '../server/mime/part-tree.js';

const dir = fileURLToPath(new URL('../../../shared/corpus/messages/', import.meta.url));
const rounds = Number(process.argv[2] ?? 20);
const originals = readdirSync(dir)
  .filter((f) => f.endsWith('.eml'))
  .map((f) => readFileSync(dir + f));
const stored = originals.map(toCrlf);
const bytes = stored.reduce((sum, m) => sum + m.length, 0);

function measure(label: string, work: () => void): void {
  for (let r = 0; r < 3; r++) work(); // warm-up: let the JIT settle before timing
  const start = process.hrtime.bigint();
  for (let r = 0; r < rounds; r++) work();
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  const mb = (bytes * rounds) / 1e6 / seconds;
  const perSecond = (stored.length * rounds) / seconds;
  console.log(`${label.padEnd(34)} ${mb.toFixed(1).padStart(8)} MB/s ${perSecond.toFixed(0).padStart(9)} messages/s`);
}

console.log(`corpus: ${stored.length} messages, ${(bytes / 1e6).toFixed(2)} MB stored (CRLF), ${rounds} rounds, node ${process.version}`);
measure('toCrlf', () => originals.forEach((m) => toCrlf(m)));
measure('parseMessage', () => stored.forEach((m) => parseMessage(m)));
const parsed = stored.map(parseMessage);
measure('ENVELOPE + BODYSTRUCTURE', () =>
  stored.forEach((m, i) => {
    envelope(m, parsed[i].root);
    bodyStructure(m, parsed[i]);
  }),
);
measure('delivery total (all of the above)', () =>
  originals.forEach((m) => {
    const raw = toCrlf(m);
    const tree = parseMessage(raw);
    envelope(raw, tree.root);
    bodyStructure(raw, tree);
  }),
);
