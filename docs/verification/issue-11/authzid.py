# AUTH PLAIN with an authzid (authzid NUL authcid NUL password) on SMTP, IMAP and POP3, with python's own clients.
import base64, imaplib, poplib, smtplib, ssl, sys
ctx = ssl.create_default_context(); ctx.check_hostname = False; ctx.verify_mode = ssl.CERT_NONE
msg = lambda z, u, p: f"{z}\0{u}\0{p}"
def smtp(z, u, p):
    s = smtplib.SMTP_SSL('127.0.0.1', 2465, context=ctx); s.ehlo('client.example.test')
    try:
        code, text = s.auth('PLAIN', lambda challenge=None: msg(z, u, p), initial_response_ok=True)
    except smtplib.SMTPAuthenticationError as e:
        code, text = e.smtp_code, e.smtp_error
    s.close(); return f"SMTP {code} {text.decode()}"
def imap(z, u, p):
    m = imaplib.IMAP4_SSL('127.0.0.1', 2993, ssl_context=ctx)
    try:
        typ, data = m.authenticate('PLAIN', lambda _: msg(z, u, p).encode())
        out = f"IMAP {typ} {data[0].decode()}"
        typ, data = m.select('INBOX', readonly=True); out += f" / SELECT INBOX: {data[0].decode()} messages"
    except imaplib.IMAP4.error as e:
        out = f"IMAP NO {e}"
    m.shutdown(); return out
def pop(z, u, p):
    c = poplib.POP3_SSL('127.0.0.1', 2995, context=ctx)
    try:
        r = c._shortcmd('AUTH PLAIN ' + base64.b64encode(msg(z, u, p).encode()).decode()).decode()
        r += f" / STAT {c.stat()}"; c.quit()
    except poplib.error_proto as e:
        r = f"{e.args[0].decode()}"; c.close()
    return "POP3 " + r
for f in (smtp, imap, pop):
    print(f(*sys.argv[1:4]))
