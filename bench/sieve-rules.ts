// The 50-rule script and the message shape both Sieve benchmarks use (bench/sieve.ts end to end,
// bench/sieve-engine.ts for the engine alone): rules of the kinds people write (subjects,
// senders, lists, sizes, with fileinto and flags), none of which matches the bench's messages, so
// every rule is evaluated and the message ends in INBOX by implicit keep.
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

/** 50 rules of the kinds people write: subjects, senders, lists, sizes, with fileinto and flags. */
export function fiftyRules(): string {
  const rules: string[] = [];
  for (let i = 0; i < 50; i++) {
    const test = [
      `header :contains "subject" "project-${i}"`,
      `address :domain :is "from" "vendor${i}.example"`,
      `header :matches "list-id" "*list${i}.example*"`,
      `allof (size :over ${900 + i}K, header :contains "x-priority" "${i}")`,
      `anyof (header :is "x-tag" "t${i}", address :localpart :is "to" "team${i}")`,
    ][i % 5];
    rules.push(`if ${test} {\n  addflag "$rule${i}";\n  fileinto :create "Rules/R${i}";\n  stop;\n}`);
  }
  return `require ["fileinto", "mailbox", "imap4flags"];\n${rules.join('\n')}\n`;
}

const BODY = `${'x'.repeat(76)}\r\n`.repeat(48);

/** The i-th bench message (CRLF, about 4.1 KB): seven senders, a numbered subject. */
export function benchMessage(i: number): Buffer {
  return Buffer.from(`From: Sender <sender${i % 7}@outside.example>\r\nTo: <inbox@bench.example>\r\nSubject: bench message ${i}\r\nMessage-ID: <bench-${i}@outside.example>\r\nDate: Thu, 1 Jan 2026 00:00:00 +0000\r\n\r\n${BODY}`);
}

/**
 * The options both comparing benchmarks take: --n messages per round, --rounds, and --engine (any
 * number of dist directories to compare in one process, this build's by default).
 */
export function benchOptions(defaultN: number, extra: Record<string, { type: 'string'; default: string }> = {}) {
  const { values } = parseArgs({ options: { n: { type: 'string', default: String(defaultN) }, rounds: { type: 'string', default: '9' }, engine: { type: 'string', multiple: true }, ...extra } });
  const here = dirname(dirname(fileURLToPath(import.meta.url)));
  return { n: Number(values.n), rounds: Number(values.rounds), engines: (values.engine ?? [here]).map((d) => resolve(d)), values: values as Record<string, string | string[] | undefined> };
}
