import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { HashFormatError } from '../../../server/auth/hash-format-error.js';
import { md5Crypt, shaCrypt, verifyUnixCrypt } from '../../../server/auth/unix-crypt.js';
import { legacyFixture } from './vectors.js';

// Inputs from Drepper's SHA-crypt specification; expected strings produced by Debian's tools
// (the command is beside each), so these check exact output, not just verification.
const EXACT = [
  { password: 'Hello world!', setting: '$5$saltstring', cmd: "openssl passwd -5 -salt saltstring 'Hello world!'", out: '$5$saltstring$5B8vYYiY.CVt1RlTTf8KbXBH3hsxY/GNooZaBBGWEc5' },
  { password: 'Hello world!', setting: '$6$saltstring', cmd: "openssl passwd -6 -salt saltstring 'Hello world!'", out: '$6$saltstring$svn8UoSVapNtMuq1ukKS4tPQd8iKwSMHWjl/O817G3uBnIFNjnQJuesI68u4OTLiBFdcbYEdFCoEOfaS35inz1' },
  { password: 'Hello world!', setting: '$5$rounds=10000$saltstringsaltst', cmd: "mkpasswd -m sha-256 -R 10000 'Hello world!' saltstringsaltst", out: '$5$rounds=10000$saltstringsaltst$3xv.VbSHBb41AL9AvLeujZkZRBAwqFMz2.opqey6IcA' },
  { password: 'Hello world!', setting: '$6$rounds=10000$saltstringsaltst', cmd: "mkpasswd -m sha-512 -R 10000 'Hello world!' saltstringsaltst", out: '$6$rounds=10000$saltstringsaltst$OW1/O6BYHV6BcXZu8QVeXbDWra3Oeqh0sbHbbMCVNSnCM/UrjmM0Dp8vOuZeHBy/YTBmSK6H9qs/y3RnOaw5v.' },
  { password: 'we have a short salt string but not a short password', setting: '$5$rounds=77777$shortsal', cmd: "mkpasswd -m sha-256 -R 77777 'we have a short salt string but not a short password' shortsal", out: '$5$rounds=77777$shortsal$/Ri2/bV3xVbtmG1uZoGFFDMof4nWslE816kgarEpUE0' },
  { password: 'Hello world!', setting: '$1$saltstri', cmd: "openssl passwd -1 -salt saltstri 'Hello world!'", out: '$1$saltstri$YMyguxXMBpd2TEZ.vS/3q1' },
];

async function crypt(password: string, setting: string): Promise<string> {
  return setting.startsWith('$1$') ? md5Crypt(password, setting) : shaCrypt(password, setting);
}

describe('unix-crypt', () => {
  for (const v of EXACT) {
    it(`reproduces \`${v.cmd}\` byte for byte`, async () => {
      assert.equal(await crypt(v.password, v.setting), v.out);
    });
  }

  it('reproduces every $1$, $5$ and $6$ fixture vector exactly from its stored string', async () => {
    const cryptVectors = legacyFixture.vectors.filter((v) => /^\$[156]\$/.test(v.hash));
    assert.ok(cryptVectors.length > 40);
    for (const v of cryptVectors) assert.equal(await crypt(v.password, v.hash), v.hash, v.command);
  });

  it('truncates a salt longer than 16 (SHA) or 8 (MD5) characters, as openssl does', async () => {
    // openssl passwd -6 -salt toolongsaltstringXYZ 'This is just a test'
    assert.equal(
      await shaCrypt('This is just a test', '$6$toolongsaltstringXYZ'),
      '$6$toolongsaltstrin$lQ8jolhgVRVhY4b5pZKaysCLi0QBxGoNeKQzQ3glMhwllF7oGDZxUhx1yxdYcz/e1JSbq3y6JMxxl8audkUEm0',
    );
    // openssl passwd -5 -salt toolongsaltstringXYZ 'This is just a test'
    assert.equal(await shaCrypt('This is just a test', '$5$toolongsaltstringXYZ'), '$5$toolongsaltstrin$Un/5jzAHMgOGZ5.mWJpuVolil07guHPvOW8mGRcvxa5');
    // openssl passwd -1 -salt toolongsaltstring 'This is just a test'
    assert.equal(md5Crypt('This is just a test', '$1$toolongsaltstring'), '$1$toolongs$LzgPFgBJTZNlotwog.47e0');
  });

  it('clamps rounds below 1000 up to 1000 and says so in the output', async () => {
    // mkpasswd -m sha-256 -R 1000 'the minimum number is still observed' roundstoolow
    assert.equal(
      await shaCrypt('the minimum number is still observed', '$5$rounds=10$roundstoolow'),
      '$5$rounds=1000$roundstoolow$yfvwcWrQ8l/K0DAWyuPMDNHpIVlTQebY9l/gL972bIC',
    );
  });

  it('verifies right and wrong passwords against a stored crypt string', async () => {
    const stored = EXACT[1].out;
    assert.equal(await verifyUnixCrypt(stored, 'Hello world!'), true);
    assert.equal(await verifyUnixCrypt(stored, 'Hello world'), false);
    assert.equal(await verifyUnixCrypt(EXACT[5].out, 'Hello world!'), true);
    assert.equal(await verifyUnixCrypt(EXACT[5].out, 'hello world!'), false);
  });

  it('throws HashFormatError for damaged crypt strings instead of answering false', async () => {
    const damaged = [
      EXACT[1].out.slice(0, -1), // digest one character short
      EXACT[0].out + 'x',
      '$6$saltstring$not*base64*at*all',
      '$1$saltstri$YMyguxXMBpd2TEZ.vS/3q', // 21 characters
      '$7$saltstring$abc',
      '',
    ];
    for (const stored of damaged) {
      await assert.rejects(verifyUnixCrypt(stored, 'Hello world!'), (e: unknown) => e instanceof HashFormatError && e.reason === 'malformed', stored);
    }
  });

  it('yields to the event loop while computing many rounds', async () => {
    let turns = 0;
    let done = false;
    const tick = () => {
      if (done) return;
      turns++;
      setImmediate(tick);
    };
    setImmediate(tick);
    await shaCrypt('password', '$6$rounds=5000$yieldtest');
    done = true;
    assert.ok(turns >= 4, `expected the event loop to turn during 5000 rounds, saw ${turns}`);
  });
});
