// DKIM verification (RFC 6376) of a whole message in memory: mailauth's `dkimVerify` (4.13.3) without
// its stream. dkimVerify writes the message through a Writable in setImmediate-spaced chunks and finds
// the end of the header byte by byte, allocating a small array per header byte (under smtp-source load
// that parser made a fifth of the SMTP listener's allocations); here the same DkimVerifier gets the
// parsed header and the body in one call each, which is what its stream would end up doing.
//
// Invariants:
// - Same verifier, same inputs, same result: the header is what mailauth's parser would split off
//   (up to and including the first empty line), parsed with mailauth's own parseHeaders; the body
//   is hashed by the verifier's own body hashers. test/server/outbound/auth-checks compares the
//   headers and verdicts with mailauth's `authenticate`.
// - Only a message with CRLF line ends and an empty line goes this way; anything else (bare LF,
//   which mailauth's stream rewrites, or no header/body separator) is handed to dkimVerify itself.
import { createRequire } from 'node:module';
import { dkimVerify } from 'mailauth/lib/dkim/verify.js';
import type { DNSResolver } from 'mailauth';

type DkimVerifyResult = Awaited<ReturnType<typeof dkimVerify>> & { arc?: unknown };

interface DkimVerifierInstance {
  headers?: unknown;
  headerFrom: string[];
  envelopeFrom: string | false;
  results: DkimVerifyResult['results'];
  arc: unknown;
  messageHeaders(headers: unknown): Promise<void>;
  nextChunk(chunk: Buffer): Promise<void>;
  finalChunk(): Promise<void>;
}

const requireMailauth = createRequire(createRequire(import.meta.url).resolve('mailauth'));
const { DkimVerifier } = requireMailauth('./dkim/dkim-verifier.js') as { DkimVerifier: new (options: { resolver: DNSResolver; sender: string }) => DkimVerifierInstance };
const { parseHeaders } = requireMailauth('./tools.js') as { parseHeaders(header: Buffer): unknown };

const LF = 0x0a;
const CR = 0x0d;

/** Whether every LF in `message` ends a CRLF pair. */
function crlfOnly(message: Buffer): boolean {
  for (let i = message.indexOf(LF); i !== -1; i = message.indexOf(LF, i + 1)) if (i === 0 || message[i - 1] !== CR) return false;
  return true;
}

/** What mailauth's dkimVerify returns for `message` (`arc`: the ARC chain its header holds). */
export async function verifyDkim(message: Buffer, options: { resolver: DNSResolver; sender: string }): Promise<DkimVerifyResult> {
  const end = message.indexOf('\r\n\r\n');
  if (end === -1 || !crlfOnly(message)) return dkimVerify(message, options);
  const verifier = new DkimVerifier(options);
  await verifier.messageHeaders(parseHeaders(message.subarray(0, end + 4)));
  if (end + 4 < message.length) await verifier.nextChunk(message.subarray(end + 4));
  await verifier.finalChunk();
  return { headerFrom: verifier.headerFrom, envelopeFrom: verifier.envelopeFrom, results: verifier.results, arc: verifier.arc } as DkimVerifyResult;
}
