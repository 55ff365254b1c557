import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Rule } from '../../../server/store/rules.js';
import type { Network } from '../../../server/store/networks.js';
import { evaluateStage, loadPolicy, replyFor, type Facts, type PolicySource } from '../../../server/policy/engine.js';
import { RuleInputSchema, compilePattern } from '../../../server/policy/rule-schema.js';
import { networkTable, plaintextAuthAllowed } from '../../../server/policy/networks.js';
import { dnsblQueryName, createDnsblLookup } from '../../../server/policy/dnsbl.js';

let nextId = 1;
function rule(input: Parameters<typeof RuleInputSchema.parse>[0], position = 0): Rule {
  return { ...RuleInputSchema.parse(input), id: nextId++, position, createdAt: 0 };
}

function network(cidr: string, p: Partial<Network> = {}): Network {
  return { id: nextId++, cidr, description: '', allowSmtp: true, allowImap: true, allowPop3: true, relay: false, requireTlsForAuth: true, expiresAt: null, createdAt: 0, ...p };
}

const source = (over: Partial<PolicySource> = {}): PolicySource => ({ rules: [], networks: [], localDomains: ['local.example'], now: 1000, ...over });

function facts(policy: ReturnType<typeof loadPolicy>, over: Partial<Facts> = {}): Facts {
  const ip = over.ip ?? '192.0.2.7';
  return { ip, network: policy.networks.lookup(ip), authenticated: false, helo: 'client.example', sender: 'a@x.example', recipients: [], dnsblListed: new Set(), ...over };
}

test('first matching rule decides; disabled rules and other stages are ignored', () => {
  const policy = loadPolicy(
    source({
      rules: [
        rule({ stage: 'mail-from', match: { sender: ['x.example'] }, action: 'reject', enabled: false }, 0),
        rule({ stage: 'mail-from', match: { sender: ['.x.example', 'a@x.example'] }, action: 'allow', description: 'first' }, 1),
        rule({ stage: 'mail-from', match: {}, action: 'reject' }, 2),
        rule({ stage: 'helo', match: { helo: ['*.example'] }, action: 'defer' }, 0),
      ],
    }),
  );
  const trace = evaluateStage(policy, 'mail-from', facts(policy));
  assert.equal(trace.verdict.action, 'accept');
  assert.equal(trace.verdict.rule?.description, 'first');
  assert.deepEqual(trace.checked.map((c) => c.matched), [true]);
  const other = evaluateStage(policy, 'mail-from', facts(policy, { sender: 'b@y.example' }));
  assert.equal(other.verdict.action, 'reject');
  const reply = replyFor(other.verdict)!;
  assert.deepEqual([reply.code, reply.enhanced], [554, '5.7.1']);
  assert.equal(evaluateStage(policy, 'helo', facts(policy)).verdict.action, 'defer');
  assert.equal(replyFor(evaluateStage(policy, 'helo', facts(policy)).verdict)!.code, 450);
});

test('conditions: ip (v4, v6, mapped), trusted, authenticated, recipient, dnsbl, null sender', () => {
  const policy = loadPolicy(
    source({
      rules: [
        rule({ stage: 'rcpt-to', match: { ip: ['2001:db8::/32', '198.51.100.0/24'], authenticated: false }, action: 'reject', replyCode: 550, replyText: 'no' }, 0),
        rule({ stage: 'rcpt-to', match: { trusted: true, recipient: ['boss@local.example'] }, action: 'require-auth' }, 1),
        rule({ stage: 'connect', match: { dnsbl: ['zen.example'] }, action: 'reject' }, 0),
        rule({ stage: 'data', match: { sender: ['<>'], recipient: ['list@local.example'] }, action: 'reject' }, 0),
      ],
      networks: [network('10.0.0.0/8')],
    }),
  );
  const at = (over: Partial<Facts>) => evaluateStage(policy, 'rcpt-to', facts(policy, { recipients: ['boss@local.example'], ...over })).verdict.action;
  assert.equal(at({ ip: '2001:db8::5' }), 'reject');
  assert.equal(at({ ip: '::ffff:198.51.100.9' }), 'reject');
  assert.equal(at({ ip: '198.51.100.9', authenticated: true }), 'accept');
  assert.equal(at({ ip: '10.1.2.3' }), 'require-auth');
  assert.equal(replyFor({ action: 'require-auth', rule: { id: 1, stage: 'rcpt-to', position: 0, description: '' } })!.code, 530);
  assert.equal(at({ ip: '10.1.2.3', authenticated: true }), 'accept');
  assert.equal(at({ ip: '10.1.2.3', recipients: ['other@local.example'] }), 'accept');
  assert.equal(evaluateStage(policy, 'connect', facts(policy, { dnsblListed: new Set(['zen.example']) })).verdict.action, 'reject');
  assert.equal(evaluateStage(policy, 'connect', facts(policy)).verdict.action, 'accept');
  assert.deepEqual(policy.dnsblZones, ['zen.example']);
  const data = (sender: string) => evaluateStage(policy, 'data', facts(policy, { sender, recipients: ['a@local.example', 'list@local.example'] })).verdict.action;
  assert.equal(data(''), 'reject');
  assert.equal(data('someone@x.example'), 'accept');
});

test('built-in relay tail: remote recipients need AUTH or a relay network, even after an allow rule', () => {
  const policy = loadPolicy(
    source({
      rules: [rule({ stage: 'rcpt-to', match: {}, action: 'allow', description: 'allow everything' })],
      networks: [network('192.168.1.0/24', { relay: true }), network('192.168.2.0/24')],
    }),
  );
  const judge = (ip: string, authenticated = false, local = false) =>
    evaluateStage(policy, 'rcpt-to', facts(policy, { ip, authenticated, recipients: ['v@remote.example'] }), local).verdict;
  const denied = judge('203.0.113.1');
  assert.equal(denied.action, 'reject');
  assert.equal(denied.rule?.id, null);
  assert.match(replyFor(denied, 'v@remote.example')!.text, /<v@remote\.example>: Relay access denied/);
  assert.equal(judge('203.0.113.1', true).action, 'accept');
  assert.equal(judge('192.168.1.20').action, 'accept');
  assert.equal(judge('192.168.2.20').action, 'reject');
  assert.equal(judge('127.0.0.1').action, 'accept', 'loopback is trusted to relay by default');
  assert.equal(judge('127.0.0.9').action, 'reject', 'other loopback addresses are not');
  assert.equal(judge('203.0.113.1', false, true).action, 'accept', 'local recipients need nothing');
});

test('unusable stored rules never match and are reported', () => {
  const broken: Rule = { id: 99, stage: 'connect', position: 0, match: { ip: ['not-an-ip/99'] }, action: 'reject', replyCode: null, replyText: null, description: '', enabled: true, createdAt: 0 };
  const wrongStage: Rule = { ...broken, id: 100, match: { sender: ['x.example'] } };
  const policy = loadPolicy(source({ rules: [broken, wrongStage] }));
  assert.equal(evaluateStage(policy, 'connect', facts(policy)).verdict.action, 'accept');
  assert.equal(policy.problems.length, 2);
  assert.match(policy.problems[1], /rule 100 \(connect\): the connect stage cannot match on sender/);
});

test('rule schema refuses conditions a stage cannot know and mismatched reply codes', () => {
  const issues = (input: unknown) => {
    const r = RuleInputSchema.safeParse(input);
    return r.success ? [] : r.error.issues.map((i) => i.message);
  };
  assert.deepEqual(issues({ stage: 'connect', match: { ip: ['192.0.2.0/24'] }, action: 'reject', replyCode: 554 }), []);
  assert.match(issues({ stage: 'mail-from', match: { recipient: ['a@b.example'] }, action: 'reject' })[0], /cannot match on recipient/);
  assert.match(issues({ stage: 'connect', match: {}, action: 'require-auth' })[0], /authenticated at connect/);
  assert.match(issues({ stage: 'helo', match: {}, action: 'reject', replyCode: 450 })[0], /5xx/);
  assert.match(issues({ stage: 'helo', match: {}, action: 'defer', replyCode: 550 })[0], /4xx/);
  assert.match(issues({ stage: 'helo', match: { nonsense: true }, action: 'allow' })[0], /nrecognized/);
  assert.match(issues({ stage: 'helo', match: { ip: [] }, action: 'allow' })[0], /at least one/);
  assert.match(issues({ stage: 'helo', match: {}, action: 'reject', replyText: 'two\r\nlines' })[0], /one line/);
});

test('address patterns: exact address, domain, subdomains, local part, wildcard, null sender', () => {
  const m = (p: string, v: string) => compilePattern(p, 'address')(v);
  assert.equal(m('a@x.example', 'a@x.example'), true);
  assert.equal(m('A@X.example', 'a@x.example'), true);
  assert.equal(m('x.example', 'b@x.example'), true);
  assert.equal(m('x.example', 'b@sub.x.example'), false);
  assert.equal(m('.x.example', 'b@sub.x.example'), true);
  assert.equal(m('.x.example', 'b@x.example'), false);
  assert.equal(m('postmaster@', 'postmaster@any.example'), true);
  assert.equal(m('*@*.example', 'q@w.example'), true);
  assert.equal(m('<>', ''), true);
  assert.equal(m('x.example', ''), false);
  assert.equal(compilePattern('*.dynamic.example', 'host')('host-1.dynamic.example'), true);
});

test('trusted networks: longest prefix wins, stored beats built-in, expired ranges are ignored', () => {
  const table = networkTable(
    [
      network('10.0.0.0/8', { relay: true }),
      network('10.1.0.0/16', { relay: false, description: 'guests' }),
      network('127.0.0.1/32', { relay: false, description: 'no relay from here' }),
      network('172.16.0.0/12', { expiresAt: 500 }),
      network('192.168.0.0/16', { expiresAt: 5000 }),
    ],
    1000,
  );
  assert.equal(table.lookup('10.1.2.3')?.description, 'guests');
  assert.equal(table.lookup('10.2.0.1')?.relay, true);
  assert.equal(table.lookup('127.0.0.1')?.description, 'no relay from here');
  assert.equal(table.lookup('::1')?.builtin, true);
  assert.equal(table.lookup('172.16.0.1'), null);
  assert.notEqual(table.lookup('192.168.1.1'), null);
  assert.equal(table.lookup('198.51.100.1'), null);
  assert.equal(plaintextAuthAllowed(table.lookup('10.2.0.1'), false), false);
  assert.equal(plaintextAuthAllowed(table.lookup('10.2.0.1'), true), true);
  assert.equal(plaintextAuthAllowed(table.lookup('::1'), false), true);
  assert.equal(plaintextAuthAllowed(null, true), false);
});

test('DNSBL query names and answers (RFC 5782)', async () => {
  assert.equal(dnsblQueryName('192.0.2.7', 'zen.example'), '7.2.0.192.zen.example');
  assert.equal(dnsblQueryName('::ffff:192.0.2.7', 'zen.example'), '7.2.0.192.zen.example');
  assert.equal(dnsblQueryName('2001:db8::1', 'z.example'), `1.0.0.0.${'0.'.repeat(20)}8.b.d.0.1.0.0.2.z.example`);
  assert.equal(dnsblQueryName('nonsense', 'z.example'), null);
  const answers: Record<string, string[]> = { '7.2.0.192.listed.example': ['127.0.0.2'], '7.2.0.192.error.example': ['127.255.255.254'] };
  const lookup = createDnsblLookup({
    resolve4: async (name: string) => {
      if (answers[name]) return answers[name];
      throw Object.assign(new Error('ENOTFOUND'), { code: 'ENOTFOUND' });
    },
  });
  assert.equal(await lookup('192.0.2.7', 'listed.example'), true);
  assert.equal(await lookup('192.0.2.7', 'error.example'), false);
  assert.equal(await lookup('192.0.2.7', 'clean.example'), false);
  // A resolver that never answers counts as not listed once the lookup's own deadline passes.
  const silent = createDnsblLookup({ resolve4: () => new Promise<string[]>(() => {}) }, 20);
  assert.equal(await silent('192.0.2.7', 'slow.example'), false);
});
