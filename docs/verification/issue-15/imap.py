import imaplib, sys
port = int(sys.argv[1])
for user in ['alice', 'bob']:
    m = imaplib.IMAP4('127.0.0.1', port)
    m.starttls(ssl_context=__import__('ssl')._create_unverified_context())
    m.login(f'{user}@example.com', f'{user}-password')
    typ, boxes = m.list()
    print(user, 'LIST', [b.decode().split(' "/" ')[-1] for b in boxes])
    for box in ['INBOX', 'Newsletters']:
        typ, data = m.select(box, readonly=True)
        if typ != 'OK':
            continue
        typ, ids = m.search(None, 'ALL')
        subjects = []
        for i in ids[0].split():
            typ, d = m.fetch(i, '(BODY.PEEK[HEADER.FIELDS (SUBJECT)])')
            subjects.append(d[0][1].decode().strip())
        print(user, box, subjects)
    m.logout()
