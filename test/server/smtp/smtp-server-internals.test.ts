// The smtp-server internals server/smtp relies on (issue 21 §2), each named and checked on the
// installed library. smtp-server has no supported hook for a per-connection greeting (greeting.ts),
// per-connection hostname/size/connection cap, or reply rewriting (server.ts), so the package is
// pinned exactly; this test says which part to review when the pin moves.
import test from 'node:test';
import assert from 'node:assert/strict';
import { Socket } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { SMTPConnection } from 'smtp-server/lib/smtp-connection.js';

type Loose = Record<string, unknown>;

test('server.ts: SMTPServer.options is read per connection, and connections is the live Set', () => {
  const server = new SMTPServer({ authOptional: true }) as unknown as Loose & { options: Loose };
  // accept() sets options.name, options.size and options.maxClients before each connection is made.
  assert.equal(typeof server.options, 'object');
  // accept() compares connections.size with the cap (the listener-full log row).
  assert.ok(server.connections instanceof Set);
  // The SMTPConnection constructor takes its greeting name from options.name at that moment.
  server.options.name = 'pinned.example';
  const conn = new SMTPConnection(server as never, new Socket(), { id: 'fixedid' }) as unknown as Loose;
  assert.equal(conn.name, 'pinned.example');
  // accept() chooses the id (socketOptions.id), so the connection is known before it is greeted.
  assert.equal(conn.id, 'fixedid');
});

test('server.ts: SMTPConnection.send(code, data, context) is the one reply writer the wrapper replaces', () => {
  const send = SMTPConnection.prototype.send as unknown as (...args: unknown[]) => void;
  assert.equal(typeof send, 'function');
  assert.match(send.toString(), /^send\(code, data, context\)/);
});

test('greeting.ts: SMTPServer.connect() is what createConnection() repeats, with its private hooks', () => {
  const proto = SMTPServer.prototype as unknown as Loose;
  for (const name of ['connect', '_onError', '_onClientConnect']) assert.equal(typeof proto[name], 'function', name);
  const source = String(proto.connect);
  for (const step of ['new SMTPConnection(this, socket, socketOptions)', 'this.connections.add(connection)', "connection.on('error'", "connection.on('connect'", 'connection.init()']) {
    assert.ok(source.includes(step), `SMTPServer.connect() no longer does ${step}`);
  }
});

test('greeting.ts: SMTPConnection.init() and the members PlannedGreetingConnection uses', () => {
  const proto = SMTPConnection.prototype as unknown as Loose;
  for (const name of ['init', '_setListeners', 'connectionReady', 'send']) assert.equal(typeof proto[name], 'function', name);
  const init = String(proto.init);
  assert.match(init, /this\._setListeners\(/, 'init() sets its listeners first');
  assert.match(init, /maxClients/, 'init() checks maxClients before the greeting');
  assert.match(init, /setTimeout\(\(\) => this\.connectionReady\(\), 100\)/, 'init() still holds the greeting 100 ms (what greeting.ts replaces)');
  const conn = new SMTPConnection(new SMTPServer({}) as never, new Socket(), {}) as unknown as Loose;
  assert.ok(conn._server instanceof SMTPServer);
  assert.ok(conn._socket instanceof Socket);
  assert.equal(conn._closing, false);
});
