// COMPRESS=DEFLATE (RFC 4978): raw DEFLATE both ways after the tagged OK, over plain TCP and over TLS,
// on a real server; the test client inflates and deflates with node:zlib on its own streams.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { deflateRawSync } from 'node:zlib';
import { ADDRESS, PASSWORD, message, startImap } from './harness.js';
import { fetches, untagged } from './client.js';

test('RFC 4978 §3: COMPRESS DEFLATE compresses both directions after its OK; a second one is NO [COMPRESSIONACTIVE]', async (t) => {
  const f = await startImap(t);
  const body = 'All work and no play makes Jack a dull boy.\r\n'.repeat(4000);
  await f.deliver(message('long', body));
  const c = await f.connect();
  assert.ok(!(untagged(await c.transact('OK', 'CAPABILITY'), 'CAPABILITY')[0].values as string[]).includes('COMPRESS=DEFLATE'), 'offered after login only');
  await c.transact('BAD', 'COMPRESS DEFLATE');
  await c.login(ADDRESS, PASSWORD);
  assert.ok((untagged(await c.transact('OK', 'CAPABILITY'), 'CAPABILITY')[0].values as string[]).includes('COMPRESS=DEFLATE'));
  await c.transact('BAD', 'COMPRESS GZIP');

  assert.equal((await c.compress()).tagged.status, 'OK');
  await c.transact('OK', 'SELECT INBOX');
  const before = c.compressedBytesIn;
  const fetched = fetches(await c.transact('OK', 'FETCH 1 BODY.PEEK[TEXT]'))[0].items['BODY[TEXT]'];
  assert.equal(fetched, body);
  assert.ok(c.compressedBytesIn - before < body.length / 20, `sent compressed (${c.compressedBytesIn - before} bytes for ${body.length})`);

  const second = await c.transact('NO', 'COMPRESS DEFLATE');
  assert.equal(second.tagged.code, 'COMPRESSIONACTIVE');

  // A synchronizing literal's continuation and the message itself cross the compressed link.
  const appended = await c.append('INBOX', message('appended', 'x'.repeat(300_000) + '\r\n'));
  assert.equal(appended.tagged.status, 'OK', appended.tagged.raw.toString());
  assert.equal(String(fetches(await c.transact('OK', 'FETCH 2 BODY.PEEK[TEXT]'))[0].items['BODY[TEXT]']).length, 300_002);

  // A FETCH larger than one output burst (several sync flushes), and mail arriving during IDLE.
  const all = fetches(await c.transact('OK', 'FETCH 1:2 BODY.PEEK[]'));
  assert.equal(all.length, 2);
  c.send('I1 IDLE\r\n');
  assert.equal((await c.read()).tag, '+');
  await f.deliver(message('during idle'));
  assert.deepEqual((await c.read()).values, [3, 'EXISTS']);
  c.send('DONE\r\n');
  await c.until('I1');
  await c.logout();
});

test('COMPRESS over TLS; STARTTLS after COMPRESS (after UNAUTHENTICATE) is refused', async (t) => {
  const f = await startImap(t);
  await f.deliver(message('hello'));
  const tls = await f.login({ tls: true });
  await tls.compress();
  await tls.transact('OK', 'EXAMINE INBOX');
  assert.match(String(fetches(await tls.transact('OK', 'FETCH 1 BODY.PEEK[HEADER.FIELDS (SUBJECT)]'))[0].items['BODY[HEADER.FIELDS (SUBJECT)]']), /hello/);
  await tls.logout();

  const plain = await f.login();
  await plain.compress();
  await plain.transact('OK', 'UNAUTHENTICATE');
  await plain.transact('BAD', 'STARTTLS');
  await plain.login(ADDRESS, PASSWORD);
  await plain.transact('NO', 'COMPRESS DEFLATE');
  await plain.logout();
});

test('invalid compressed input ends the connection', async (t) => {
  const f = await startImap(t);
  const socket = connect({ port: f.ports.imap, host: '127.0.0.1' });
  const received: Buffer[] = [];
  socket.on('data', (chunk: Buffer) => received.push(chunk));
  const closed = new Promise<void>((resolve) => socket.on('close', () => resolve()));
  await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
  socket.write(`a LOGIN "${ADDRESS}" "${PASSWORD}"\r\nb COMPRESS DEFLATE\r\n`);
  for (let i = 0; i < 500 && !Buffer.concat(received).includes('b OK'); i++) await new Promise((r) => setTimeout(r, 20));
  assert.match(Buffer.concat(received).toString('latin1'), /\r\nb OK [^\r]*\r\n$/, 'the OK is the last plain line');
  // A valid raw-deflate command first (the server answers it), then bytes no inflater accepts.
  socket.write(deflateRawSync(Buffer.from('c NOOP\r\n'), { finishFlush: 2 /* Z_SYNC_FLUSH */ }));
  socket.write(Buffer.from([0xff, 0xff, 0xff, 0xff, 0xff, 0xff]));
  await closed;
});
