// Test helpers for the wire layer: frame a client transcript into requests, parse commands, and
// capture parse errors — so grammar tests read as the IMAP the client sends.
import assert from 'node:assert/strict';
import {
  ImapFramer,
  ImapParseError,
  parseCommand,
  type CommandArgsMap,
  type CommandName,
  type ImapCommand,
  type ImapRequest,
} from '../../../../server/imap/wire/index.js';

/** Frames `text` (one command, CRLF appended; literals inline as `{n}\r\n...`) into its request. */
export function request(text: string | Buffer): ImapRequest {
  const bytes = Buffer.isBuffer(text) ? Buffer.concat([text, Buffer.from('\r\n')]) : Buffer.from(`${text}\r\n`, 'utf8');
  const framer = new ImapFramer();
  const requests = [...framer.push(bytes)].filter((e) => e.kind === 'request');
  assert.equal(requests.length, 1, 'expected exactly one request');
  return requests[0].request;
}

export function parse(text: string | Buffer): ImapCommand {
  return parseCommand(request(text));
}

/** The ImapParseError that parsing `text` throws. */
export function parseError(text: string | Buffer): ImapParseError {
  try {
    parseCommand(request(text));
  } catch (error) {
    if (error instanceof ImapParseError) return error;
    throw error;
  }
  assert.fail(`parsed without error: ${text.toString()}`);
}

/** The args of `text`, checking the command name on the way. */
export function args<N extends CommandName>(name: N, text: string | Buffer): CommandArgsMap[N] {
  const command = parse(text);
  assert.equal(command.name, name);
  return command.args as CommandArgsMap[N];
}
