// The forms' validation messages: each form's `validate` (validateWith + its schema, as the
// components use it) on bad and good input, field by field, as the page would show them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { validateWith } from '../../renderer/validate.js';
import { adminPasswordSchema, hostnameSchema, domainSchema, relaySchema, userSchema } from '../../renderer/features/setup/schema.js';
import { addDomainFormSchema } from '../../renderer/features/domains/schema.js';
import { addUserFormSchema, editFormSchema, passwordFormSchema } from '../../renderer/features/users/schema.js';
import { aliasFormSchema } from '../../renderer/features/aliases/schema.js';
import { adminPasswordChange, settingsFormSchema, toForm, toPatch } from '../../renderer/features/settings/schema.js';
import { PRESETS, customRule, describeMatch, ruleErrors } from '../../renderer/features/access/rule-forms.js';
import { SettingsPatchSchema, SettingsSchema } from '../../server/admin/contract.js';

type Schema = Parameters<typeof validateWith>[0];
const errors = (schema: Schema, values: unknown) => validateWith(schema)(values);

test('wizard: admin password length and repetition, hostname, domain', () => {
  assert.deepEqual(errors(adminPasswordSchema, { password: 'short', confirm: 'other' }), {
    password: 'The admin password must have at least 10 characters.',
    confirm: 'The two passwords differ.',
  });
  assert.deepEqual(errors(adminPasswordSchema, { password: 'long enough pw', confirm: 'long enough pw' }), {});
  assert.deepEqual(errors(hostnameSchema, { hostname: '' }), { hostname: 'Enter the name of this mail server.' });
  assert.deepEqual(errors(hostnameSchema, { hostname: 'laptop' }), { hostname: 'Use a full name with a dot, like mail.example.com.' });
  assert.deepEqual(errors(hostnameSchema, { hostname: 'mail.example.com' }), {});
  assert.deepEqual(errors(domainSchema, { name: '   ' }), { name: 'A domain name is required.' });
});

test('user forms: local part, password rules from the contract, repetition, quota', () => {
  const good = { localPart: 'alice', displayName: '', password: 'long enough', confirm: 'long enough' };
  assert.deepEqual(errors(userSchema, good), {});
  assert.deepEqual(errors(userSchema, { ...good, localPart: 'alice@example.com' }), { localPart: 'Only the part before the @, without spaces.' });
  assert.deepEqual(errors(userSchema, { ...good, password: 'short', confirm: 'short' }), { password: 'The password must have at least 8 characters.' });
  assert.deepEqual(errors(userSchema, { ...good, confirm: 'different' }), { confirm: 'The two passwords differ.' });
  assert.deepEqual(errors(addUserFormSchema, { ...good, domain: '', quotaMb: -5 }), { domain: 'Choose a domain.', quotaMb: 'A size cannot be negative.' });
  assert.deepEqual(errors(addUserFormSchema, { ...good, domain: 'example.com', quotaMb: null }), {}, 'empty quota: the domain default');
  assert.deepEqual(errors(passwordFormSchema, { password: 'x', confirm: 'y' }), {
    password: 'The password must have at least 8 characters.',
    confirm: 'The two passwords differ.',
  });
  assert.deepEqual(errors(editFormSchema, { displayName: 'A', quotaMb: 1.5, active: true }), { quotaMb: 'Whole megabytes only.' });
});

test('domain and alias forms', () => {
  assert.deepEqual(errors(addDomainFormSchema, { name: 'example.com', quotaMb: '' }), { quotaMb: 'Enter a number of megabytes (0 for unlimited).' });
  assert.deepEqual(errors(addDomainFormSchema, { name: 'example.com', quotaMb: 0 }), {});
  assert.deepEqual(errors(aliasFormSchema, { kind: 'alias', localPart: 'in fo', domain: 'example.com', destinations: [] }), {
    destinations: 'An alias needs at least one destination.',
    localPart: 'Enter the part before the @, without spaces.',
  });
  assert.deepEqual(errors(aliasFormSchema, { kind: 'catch-all', localPart: '', domain: 'example.com', destinations: ['a@example.com'] }), {}, 'a catch-all has no local part');
});

test('relay step: a relay needs a host and a port; direct needs nothing', () => {
  assert.deepEqual(errors(relaySchema, { mode: 'direct', host: '', port: '' }), {});
  assert.deepEqual(errors(relaySchema, { mode: 'relay', host: ' ', port: '', tls: 'starttls', username: '', password: '' }), {
    host: 'Enter the relay host name.',
    port: 'Enter the port.',
  });
});

test('settings form: messages, and the patch it produces is one the server accepts', () => {
  const settings = SettingsSchema.parse({ hostname: 'mail.example.com' });
  const form = toForm(settings);
  assert.deepEqual(errors(settingsFormSchema, form), {});
  assert.deepEqual(errors(settingsFormSchema, { ...form, maxRecipients: 0, relayEnabled: true, relayHost: '' }), {
    maxRecipients: 'At least 1.',
    relayHost: 'Enter the relay host name.',
  });
  assert.deepEqual(errors(settingsFormSchema, { ...form, maxMessageMb: '' }), { maxMessageMb: 'Enter a size in MB.' });
  const patch = toPatch({ ...form, maxMessageMb: 10, relayEnabled: true, relayHost: 'smtp.provider.example', relayPort: 465, relayTls: 'implicit' }, settings);
  const parsed = SettingsPatchSchema.parse(patch);
  assert.equal(parsed.limits?.maxMessageBytes, 10 * 1024 * 1024);
  assert.deepEqual(JSON.parse(JSON.stringify(parsed.relayHost)), { host: 'smtp.provider.example', port: 465, tls: 'implicit' });
  assert.deepEqual(toForm(SettingsSchema.parse({ ...settings, ...parsed })), { ...form, maxMessageMb: 10, relayEnabled: true, relayHost: 'smtp.provider.example', relayPort: 465, relayTls: 'implicit' });
  assert.deepEqual(errors(adminPasswordChange, { currentPassword: '', password: 'new password!', confirm: 'new password!' }), { currentPassword: 'Enter the current password.' });
});

test('access-rule presets build rules the server schema accepts; bad values are named on the field', () => {
  const block = PRESETS.find((p) => p.id === 'block-ip')!.build(['203.0.113.0/24'], '');
  assert.deepEqual(block, { stage: 'connect', match: { ip: ['203.0.113.0/24'] }, action: 'reject', replyCode: null, replyText: null, description: 'Block 203.0.113.0/24', enabled: true });
  assert.deepEqual(ruleErrors(block!, (p) => p), {});
  for (const preset of PRESETS.filter((p) => p.id !== 'custom')) {
    const rule = preset.build([preset.id === 'refuse-recipient' || preset.id === 'refuse-sender' ? 'example.net' : '10.0.0.0/8'], '')!;
    assert.deepEqual(ruleErrors(rule, (p) => p), {}, preset.id);
  }
  const bad = PRESETS[0].build(['not-an-ip'], '')!;
  assert.match(ruleErrors(bad, (p) => (p === 'ip' ? 'values' : p)).values, /Not a valid IP range/);
  const custom = customRule({
    stage: 'connect',
    action: 'reject',
    description: '',
    ip: [],
    helo: ['ignored.example'],
    sender: [],
    recipient: [],
    dnsbl: [],
    trusted: 'no',
    authenticated: 'yes',
    replyCode: 450,
    replyText: '',
  });
  assert.deepEqual(custom.match, { trusted: false }, 'conditions the stage cannot know are left out');
  assert.deepEqual(ruleErrors(custom, (p) => p), { replyCode: 'A reject needs a 5xx code.' });
  assert.deepEqual(describeMatch({ ip: ['192.0.2.0/24'], authenticated: false }), ['Client IP ranges: 192.0.2.0/24', 'not logged in']);
});
