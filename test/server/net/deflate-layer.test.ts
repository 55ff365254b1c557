// The DEFLATE layer of COMPRESS=DEFLATE (server/net/deflate-layer.ts) without a socket: bursts come out
// decodable at each sync flush, and inflating waits for the reader, so a compression bomb stays bounded.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { constants, createInflateRaw, deflateRawSync } from 'node:zlib';
import { DeflateLayer, INFLATE_SLICE_BYTES } from '../../../server/net/deflate-layer.js';

const settle = () => new Promise((resolve) => setTimeout(resolve, 50));

/** Polls `done` until it holds (a guard of 20 s, not a timing assertion). */
async function until(done: () => boolean): Promise<void> {
  for (let waited = 0; !done(); waited += 10) {
    if (waited > 20_000) throw new Error('condition not reached');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

test('each burst is decodable as soon as send() resolves (Z_SYNC_FLUSH)', async () => {
  const wire: Buffer[] = [];
  const layer = new DeflateLayer({ write: (b) => wire.push(b), deliver: () => {}, room: () => true, onError: assert.fail });
  const inflater = createInflateRaw();
  const plain: Buffer[] = [];
  inflater.on('data', (b: Buffer) => plain.push(b));
  for (const burst of ['* 1 EXISTS\r\n', 'a OK done\r\n']) {
    await layer.send([Buffer.from(burst)]);
    await new Promise<void>((resolve) => inflater.write(Buffer.concat(wire.splice(0)), () => resolve()));
    await new Promise<void>((resolve) => inflater.flush(constants.Z_SYNC_FLUSH, () => resolve()));
    assert.equal(Buffer.concat(plain.splice(0)).toString(), burst);
  }
  layer.close();
});

test('input is inflated only while the reader has room: 64 MiB of zeros from ~64 KiB stay bounded', async () => {
  const bomb = deflateRawSync(Buffer.alloc(64 << 20), { finishFlush: constants.Z_SYNC_FLUSH });
  let delivered = 0;
  let room = true;
  const layer = new DeflateLayer({
    write: () => {},
    deliver: (b) => {
      delivered += b.length;
      room = false;
    },
    room: () => room,
    onError: assert.fail,
  });
  layer.receive(bomb);
  await until(() => delivered > 0);
  await settle();
  assert.ok(delivered <= INFLATE_SLICE_BYTES * 1100, `one slice's worth inflated (${delivered})`);
  assert.ok(layer.queuedBytes > 0);
  // The reader takes what came and asks for more, until all is through.
  await until(() => {
    room = true;
    layer.pump();
    return delivered === 64 << 20;
  });
  assert.equal(delivered, 64 << 20);
  layer.close();
});

test('an invalid stream is reported', async () => {
  let failed: Error | null = null;
  const layer = new DeflateLayer({ write: () => {}, deliver: () => {}, room: () => true, onError: (e) => (failed = e) });
  layer.receive(Buffer.from([0xff, 0xff, 0xff]));
  await until(() => failed !== null);
  layer.close();
});
