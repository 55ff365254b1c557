# Issue 11 §2 by hand: one address guessing carol gets banned, a distributed guesser against bob is
# slowed (never blocks bob), and the real user from a clean address logs in at once. Sources are
# distinct loopback addresses (127.0.0.0/8 is all local on Linux). SMTP is driven by swaks, IMAP and
# POP3 by python's imaplib/poplib, the admin login by curl.
import imaplib, poplib, socket, ssl, subprocess, sys, time, threading
ctx = ssl.create_default_context(); ctx.check_hostname = False; ctx.verify_mode = ssl.CERT_NONE

class IMAPFrom(imaplib.IMAP4_SSL):
    def __init__(self, src): self.src = src; super().__init__('127.0.0.1', 2993, ssl_context=ctx)
    def _create_socket(self, timeout):
        return self.ssl_context.wrap_socket(socket.create_connection((self.host, self.port), timeout, source_address=(self.src, 0)), server_hostname=self.host)

class POP3From(poplib.POP3_SSL):
    def __init__(self, src): self.src = src; super().__init__('127.0.0.1', 2995, context=ctx)
    def _create_socket(self, timeout):
        return self.context.wrap_socket(socket.create_connection((self.host, self.port), timeout, source_address=(self.src, 0)), server_hostname=self.host)

def imap(src, user, pw):
    m = IMAPFrom(src)
    try: return m.login(user, pw)[0]
    except imaplib.IMAP4.error as e: return 'NO ' + str(e)
    finally: m.shutdown()

def pop3(src, user, pw):
    c = POP3From(src)
    try:
        c.user(user); r = c.pass_(pw).decode(); c.quit(); return r
    except poplib.error_proto as e: c.close(); return e.args[0].decode()

def smtp_reply(src, user, pw):
    out = subprocess.run(['swaks', '--server', '127.0.0.1:2465', '--tls-on-connect', '--local-interface', src, '--auth', 'PLAIN',
                          '--auth-user', user, '--auth-password', pw, '--quit-after', 'AUTH'], capture_output=True, text=True)
    lines = [l for l in (out.stdout + out.stderr).splitlines() if l.startswith('<~*') or l.startswith('<~ ') and ' 235 ' in l]
    return lines[-1][3:].strip() if lines else (out.stdout + out.stderr)[-200:]

def admin(src, _user, pw):
    out = subprocess.run(['curl', '-s', '-o', '/dev/null', '-w', '%{http_code}', '--interface', src, '-H', 'content-type: application/json',
                          '-d', '{"password":"%s"}' % pw, 'http://127.0.0.1:28480/auth/login'], capture_output=True, text=True)
    return 'HTTP ' + out.stdout

PROTOS = {'smtp': smtp_reply, 'imap': imap, 'pop3': pop3, 'admin': admin}
PASSWORDS = {'carol@example.test': 'carol-long-password', 'bob@example.test': 'bob-long-password', '@admin': 'admin-long-password'}

def timed(fn, *a):
    t = time.monotonic(); r = fn(*a); return r, time.monotonic() - t

def one_address(proto, n):
    src, clean = f'127.0.0.{10 + n}', f'127.0.0.{60 + n}'
    user = '@admin' if proto == 'admin' else 'carol@example.test'
    lines = []
    for i in range(1, 11):
        r, s = timed(PROTOS[proto], src, user, 'wrong-password')
        lines.append(f'  {proto} {src} wrong #{i}: {r} ({s:.1f} s)')
    r, s = timed(PROTOS[proto], src, user, PASSWORDS[user])
    lines.append(f'  {proto} {src} RIGHT password after 10 failures: {r} ({s:.1f} s)')
    r, s = timed(PROTOS[proto], clean, user, PASSWORDS[user])
    lines.append(f'  {proto} clean {clean} RIGHT password: {r} ({s:.1f} s)')
    return lines

if sys.argv[1] == 'one-address':
    results = {}
    threads = [threading.Thread(target=lambda p=p, n=n: results.__setitem__(p, one_address(p, n))) for n, p in enumerate(PROTOS)]
    for t in threads: t.start()
    for t in threads: t.join()
    for p in PROTOS: print('\n'.join(results[p]))

if sys.argv[1] == 'distributed':
    proto = sys.argv[2]; fn = PROTOS[proto]; base = int(sys.argv[3])
    sources = [f'127.0.{base}.{i}' for i in range(1, 7)]
    for round_ in (1, 2):
        times = []
        for src in sources:
            r, s = timed(fn, src, 'bob@example.test', f'guess-{round_}-{src}')
            times.append(s)
        print(f'  {proto} round {round_}: 6 sources x 1 wrong password for bob: last answer "{r}", per-attempt seconds min {min(times):.1f} max {max(times):.1f} total {sum(times):.1f}')
    r, s = timed(fn, f'127.0.{base}.200', 'bob@example.test', 'fresh-source-guess')
    print(f'  {proto} a fresh source guessing once: {r} ({s:.1f} s)')
    r, s = timed(fn, f'127.0.{base}.201', 'bob@example.test', PASSWORDS['bob@example.test'])
    print(f'  {proto} bob from a clean address, right password: {r} ({s:.1f} s)')
