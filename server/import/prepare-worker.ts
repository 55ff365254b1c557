// The import's reading thread (prepare.ts): reads each message file it is sent, turns bare LFs into
// CRLF, describes the message for the store and posts the bytes back (transferred) with the
// description, or the reason the file could not be read. Blocking reads are fine here: this thread
// serves nothing else.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { parentPort } from 'node:worker_threads';
import { toCrlf } from '../mime/crlf.js';
import { describeForStore, type PrepareReply, type PrepareRequest } from './prepare.js';
import { errorText } from './source-message.js';

const port = parentPort!;

port.on('message', ({ id, file }: PrepareRequest) => {
  let reply: PrepareReply;
  try {
    const bytes = toCrlf(readFileSync(file));
    const description = describeForStore(bytes);
    // A small Buffer may be a slice of Node's shared pool, which must not be transferred.
    const owned = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength ? bytes : new Uint8Array(bytes);
    reply = { id, ok: true, bytes: owned, sha256: new Uint8Array(createHash('sha256').update(bytes).digest()), description };
    port.postMessage(reply, [owned.buffer as ArrayBuffer]);
    return;
  } catch (error) {
    reply = { id, ok: false, error: errorText(error) };
  }
  port.postMessage(reply);
});
