// `mailroom dns check DOMAIN` (issue 18 §2): the CLI twin of the GUI's DNS check asks the resolver of
// the dnsServers setting (a fake DNS server on loopback here), prints each record with what was found,
// and exits 1 while a needed record is missing or wrong.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openContext } from '../../../../server/index.js';
import { createAdminApi } from '../../../../server/admin/api.js';
import { runCli } from '../../../helpers/cli.js';
import { startFakeDns } from '../../../helpers/fake-dns.js';
import { tempDir } from '../../../helpers/temp.js';

test('dns check prints each record and exits 1 until the needed ones are published', async (t) => {
  const dir = tempDir(t);
  const dns = await startFakeDns(t, { 'example.com': { TXT: ['v=spf1 mx -all'] } });
  const ctx = await openContext(dir);
  const api = createAdminApi({ ...ctx, log: ctx.log, status: () => ({ version: 't', startedAt: 0, listeners: {} }) });
  await api.updateSettings({ hostname: 'mail.example.com', dnsServers: [dns.server] });
  await api.addDomain({ name: 'example.com' });
  await ctx.close();
  const check = () => runCli(['dns', 'check', 'example.com', '--data-dir', dir]);

  const missing = await check();
  assert.equal(missing.code, 1, missing.stderr);
  assert.match(missing.stdout, new RegExp(`^DNS of example\\.com \\(server mail\\.example\\.com\\), asked of ${dns.server.replace(/\./g, '\\.')}:`));
  assert.match(missing.stdout, /FAIL {2}MX {4}example\.com\n {6}publish: 10 mail\.example\.com\.\n {6}Not published: the name has no record of this type\./);
  assert.match(missing.stdout, /ok {4}TXT {3}example\.com\n {6}publish: v=spf1 mx -all\n {6}found: {3}v=spf1 mx -all\n/);
  assert.match(missing.stdout, /- {5}SRV {3}_submission\._tcp\.example\.com \(optional\)\n {6}publish: 0 1 587 mail\.example\.com\./, 'SRV from the ports setting when not serving');
  assert.match(missing.stderr, /record\(s\) missing or wrong/);

  Object.assign(dns.zone, {
    'example.com': { MX: [{ priority: 10, exchange: 'mail.example.com' }], TXT: ['v=spf1 mx -all'] },
    'mail.example.com': { A: ['192.0.2.25'] },
    '_dmarc.example.com': { TXT: ['v=DMARC1; p=quarantine'] },
    '25.2.0.192.in-addr.arpa': { PTR: ['mail.example.com'] },
  });
  const published = await check();
  assert.equal(published.code, 0, published.stdout + published.stderr);
  assert.match(published.stdout, /ok {4}PTR {3}25\.2\.0\.192\.in-addr\.arpa\n/);
  const json = JSON.parse((await runCli(['dns', 'check', 'example.com', '--json', '--data-dir', dir])).stdout);
  assert.equal(json.status, 'ok');
  assert.equal((await runCli(['dns', 'check', '--data-dir', dir])).code, 2, 'a missing domain is a usage error');
});
