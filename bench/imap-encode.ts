// Benchmark: encoding the answer to `FETCH 1:* (UID FLAGS ENVELOPE)` on a 10,000-message mailbox
// (server/imap/wire/encoder.ts). Prints the median time per full answer and the bytes produced.
// Run: npx tsc -p tsconfig.json && node dist/bench/imap-encode.js
import { performance } from 'node:perf_hooks';
import { ResponseEncoder, type ImapResponse, type ImapValue } from '../server/imap/wire/index.js';

const MESSAGES = 10_000;
const RUNS = 15;

function envelope(i: number): ImapValue {
  const address = (name: string, user: string): ImapValue => [name, null, user, 'example.com'];
  return [
    'Tue, 14 May 2024 09:12:45 +0200',
    i % 10 === 0 ? `Re: Quarterly report =?UTF-8?Q?f=C3=BCr?= team "${i}"` : `Meeting notes number ${i}`,
    [address('Alice Example', 'alice')],
    [address('Alice Example', 'alice')],
    [address('Alice Example', 'alice')],
    [address('Bob Example', 'bob'), address('Carol', 'carol')],
    i % 3 === 0 ? [address('Dave', 'dave')] : null,
    null,
    i % 2 === 0 ? `<prev-${i}@example.com>` : null,
    `<msg-${i}@example.com>`,
  ];
}

const responses: ImapResponse[] = [];
for (let i = 1; i <= MESSAGES; i++) {
  responses.push({
    kind: 'fetch',
    seq: i,
    items: [
      { item: 'UID', value: i + 1000 },
      { item: 'FLAGS', flags: i % 4 === 0 ? ['\\Seen', '\\Answered'] : ['\\Seen'] },
      { item: 'ENVELOPE', value: envelope(i) },
    ],
  });
}

function encodeAll(): number {
  const encoder = new ResponseEncoder();
  for (const response of responses) encoder.write(response);
  return encoder.take().reduce((sum, chunk) => sum + chunk.length, 0);
}

let bytes = 0;
for (let i = 0; i < 3; i++) bytes = encodeAll(); // warm-up
const times: number[] = [];
for (let i = 0; i < RUNS; i++) {
  const start = performance.now();
  encodeAll();
  times.push(performance.now() - start);
}
times.sort((a, b) => a - b);
console.log(
  `imap-encode: FETCH 1:* (UID FLAGS ENVELOPE), ${MESSAGES} messages, ${(bytes / 1024 / 1024).toFixed(2)} MiB: ` +
    `median ${times[RUNS >> 1].toFixed(1)} ms, min ${times[0].toFixed(1)} ms, max ${times[RUNS - 1].toFixed(1)} ms`,
);
