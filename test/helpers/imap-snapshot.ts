// What a mail client sees of an account, read with Python's imaplib (an IMAP client independent of
// ours): every selectable folder with its UIDVALIDITY and every message's UID, flags, INTERNALDATE,
// size and SHA-256 of its bytes. Used to compare Mailroom with the server mail was moved from.
import { spawn } from 'node:child_process';

export interface FolderSnapshot {
  uidvalidity: number;
  messages: Array<{ uid: number; flags: string[]; /** INTERNALDATE, seconds since the epoch. */ date: number; size: number; sha: string }>;
}

const SCRIPT = String.raw`
import imaplib, ssl, json, sys, hashlib, re, time
host, port, tls, user, password = sys.argv[1:6]
if tls == 'tls':
    ctx = ssl.create_default_context(); ctx.check_hostname = False; ctx.verify_mode = ssl.CERT_NONE
    M = imaplib.IMAP4_SSL(host, int(port), ssl_context=ctx)
else:
    M = imaplib.IMAP4(host, int(port))
M.login(user, password)
out = {}
for line in M.list()[1]:
    m = re.match(rb'\((.*?)\) (?:"(.*?)"|NIL) (.*)$', line)
    if b'\\Noselect' in m.group(1) or b'\\NonExistent' in m.group(1): continue
    name = m.group(3).decode()
    if name.startswith('"'): name = name[1:-1]
    delimiter = m.group(2).decode()
    typ, data = M.select('"%s"' % name, readonly=True)
    uidvalidity = int(M.response('UIDVALIDITY')[1][0])
    messages = []
    if int(data[0]) > 0:
        for item in M.uid('FETCH', '1:*', '(UID FLAGS INTERNALDATE BODY.PEEK[])')[1]:
            if not isinstance(item, tuple): continue
            meta = item[0].decode()
            flags = sorted(f for f in re.search(r'FLAGS \((.*?)\)', meta).group(1).split() if f != '\\Recent')
            messages.append({'uid': int(re.search(r'UID (\d+)', meta).group(1)), 'flags': flags,
                             'date': int(time.mktime(imaplib.Internaldate2tuple(item[0]))),
                             'size': len(item[1]), 'sha': hashlib.sha256(item[1]).hexdigest()})
    out[name.replace(delimiter, '/') if delimiter else name] = {'uidvalidity': uidvalidity, 'messages': sorted(messages, key=lambda m: m['uid'])}
M.logout()
print(json.dumps(out))
`;

export function imapSnapshot(options: { port: number; tls: boolean; user: string; password: string }): Promise<Record<string, FolderSnapshot>> {
  return new Promise((resolve, reject) => {
    const child = spawn('python3', ['-c', SCRIPT, '127.0.0.1', String(options.port), options.tls ? 'tls' : 'plain', options.user, options.password]);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) reject(new Error(`imaplib exited with ${code}: ${stderr}`));
      else resolve(JSON.parse(stdout) as Record<string, FolderSnapshot>);
    });
  });
}
