import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createAdmission } from '../../../server/policy/admission.js';
import { defaultSettings } from '../../../server/settings.js';
import type { AdmissionContext } from '../../../server/context.js';
import type { Network } from '../../../server/store/networks.js';

function context(networks: Network[], maxConnectionsPerIp: number): AdmissionContext {
  const settings = defaultSettings();
  return {
    store: { networks: { list: async () => networks } } as unknown as AdmissionContext['store'],
    clock: { now: () => Date.UTC(2026, 0, 1) } as AdmissionContext['clock'],
    settings: () => ({ ...settings, limits: { ...settings.limits, maxConnectionsPerIp } }),
  };
}

const noImap: Network = {
  id: 1, cidr: '192.0.2.0/24', description: '', allowSmtp: true, allowImap: false, allowPop3: true,
  relay: false, requireTlsForAuth: false, expiresAt: null, createdAt: 0,
};

test('a network row that forbids the protocol refuses, naming the protocol, and is not counted', async () => {
  const admit = createAdmission(context([noImap], 1), 'imap', 'IMAP');
  const refused = await admit('192.0.2.7');
  assert.deepEqual(refused.refusal, { reason: 'network', text: 'IMAP is not allowed from your network' });
  // POP3 is allowed from the same row.
  const pop3 = await createAdmission(context([noImap], 1), 'pop3', 'POP3')('192.0.2.7');
  assert.equal(pop3.refusal, null);
});

test('the per-address limit counts IPv4-mapped and plain IPv4 as one source, and done() frees the slot', async () => {
  const admit = createAdmission(context([], 2), 'pop3', 'POP3');
  const first = await admit('198.51.100.9');
  const second = await admit('::ffff:198.51.100.9');
  assert.equal(first.refusal, null);
  assert.equal(second.refusal, null);
  assert.equal(second.connections, 2);
  const third = await admit('198.51.100.9');
  assert.deepEqual(third.refusal, { reason: 'connections', text: 'Too many connections from your address' });
  // The refused one was not kept; another address is counted apart.
  assert.equal((await admit('198.51.100.10')).refusal, null);
  if (first.refusal === null) first.done();
  const again = await admit('198.51.100.9');
  assert.equal(again.refusal, null);
  assert.equal(again.connections, 2);
});
