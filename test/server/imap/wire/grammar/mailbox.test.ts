import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { UNDECODABLE_NAME, type ListArgs } from '../../../../../server/imap/wire/index.js';
import { args, parse, parseError } from '../helpers.js';

describe('SELECT and EXAMINE', () => {
  it('parses plain and CONDSTORE selects', () => {
    assert.deepEqual(args('SELECT', 'A142 SELECT INBOX'), { mailbox: 'INBOX', condstore: false, qresync: null });
    assert.deepEqual(args('EXAMINE', 'A932 EXAMINE blurdybloop'), { mailbox: 'blurdybloop', condstore: false, qresync: null });
    assert.deepEqual(args('SELECT', 'a SELECT inbox (CONDSTORE)'), { mailbox: 'INBOX', condstore: true, qresync: null });
  });

  it('passes a name that is not modified UTF-7 on, marked, for the command to refuse with NO', () => {
    assert.equal(args('SELECT', 'a SELECT &Jjo').mailbox, `${UNDECODABLE_NAME}&Jjo`);
    assert.equal(args('SELECT', 'a SELECT "caf\u00e9"').mailbox, `${UNDECODABLE_NAME}${Buffer.from('caf\u00e9').toString('latin1')}`);
  });

  it('decodes modified UTF-7 names and normalises INBOX and its children', () => {
    assert.equal(args('SELECT', 'a SELECT "~peter/mail/&U,BTFw-/&ZeVnLIqe-"').mailbox, '~peter/mail/台北/日本語');
    assert.equal(args('SELECT', 'a SELECT Inbox/Work').mailbox, 'INBOX/Work');
    assert.equal(args('SELECT', 'a SELECT {5}\r\niNbOx').mailbox, 'INBOX');
    assert.equal(args('SELECT', 'a SELECT Inboxes').mailbox, 'Inboxes');
    assert.equal(args('SELECT', 'a SELECT "Tom &- Jerry"').mailbox, 'Tom & Jerry');
  });

  it('parses QRESYNC parameters (RFC 7162 examples)', () => {
    assert.deepEqual(args('SELECT', 'A02 SELECT INBOX (QRESYNC (67890007 20050715194045000 41,43:211,214:541))').qresync, {
      uidValidity: 67890007,
      modSeq: Number.MAX_SAFE_INTEGER,
      knownUids: [
        { from: 41, to: 41 },
        { from: 43, to: 211 },
        { from: 214, to: 541 },
      ],
      seqMatch: null,
    });
    const withMatch = args(
      'SELECT',
      'A02 SELECT INBOX (QRESYNC (67890007 90060115194045000 1:29997 (5000,7500,9000,9990:9999 15000,22500,27000,29970,29973)))',
    );
    assert.deepEqual(withMatch.qresync?.seqMatch, {
      seqs: [
        { from: 5000, to: 5000 },
        { from: 7500, to: 7500 },
        { from: 9000, to: 9000 },
        { from: 9990, to: 9999 },
      ],
      uids: [
        { from: 15000, to: 15000 },
        { from: 22500, to: 22500 },
        { from: 27000, to: 27000 },
        { from: 29970, to: 29970 },
        { from: 29973, to: 29973 },
      ],
    });
    assert.deepEqual(args('SELECT', 'a SELECT INBOX (CONDSTORE QRESYNC (1 2))'), {
      mailbox: 'INBOX',
      condstore: true,
      qresync: { uidValidity: 1, modSeq: 2, knownUids: null, seqMatch: null },
    });
    assert.deepEqual(args('SELECT', 'a SELECT INBOX (QRESYNC (1 2 (1:2 10:11)))').qresync?.seqMatch?.uids, [{ from: 10, to: 11 }]);
  });

  const errors: Array<[string, string]> = [
    ['a SELECT INBOX ()', 'Empty select parameters'],
    ['a SELECT INBOX (FOO)', 'Unknown select parameter FOO'],
    ['a SELECT INBOX CONDSTORE', 'Expected ( before select parameters'],
    ['a SELECT INBOX (QRESYNC (0 5))', 'Invalid UIDVALIDITY'],
    ['a SELECT INBOX (QRESYNC (1 0))', 'Invalid mod-sequence'],
    ['a SELECT INBOX (QRESYNC (1 5 1:*))', 'Invalid known UIDs: * is not allowed'],
    ['a SELECT INBOX (QRESYNC (1 5 1:3 (1:3)))', 'Expected space before known UID set'],
    ['a SELECT INBOX (QRESYNC (1 5)', 'Missing select parameters'],
    ['a EXAMINE', 'Missing mailbox name'],
  ];
  for (const [line, reason] of errors) {
    it(`refuses ${JSON.stringify(line)}: ${reason}`, () => assert.equal(parseError(line).reason, reason));
  }
});

describe('CREATE, DELETE, RENAME, SUBSCRIBE, UNSUBSCRIBE, STATUS', () => {
  it('parses the RFC 3501 examples', () => {
    assert.deepEqual(args('CREATE', 'A003 CREATE owatagusiam/'), { mailbox: 'owatagusiam/' });
    assert.deepEqual(args('DELETE', 'A683 DELETE blurdybloop'), { mailbox: 'blurdybloop' });
    assert.deepEqual(args('RENAME', 'A683 RENAME blurdybloop sarasoop'), { from: 'blurdybloop', to: 'sarasoop' });
    assert.deepEqual(args('SUBSCRIBE', 'A002 SUBSCRIBE #news.comp.mail.mime'), { mailbox: '#news.comp.mail.mime' });
    assert.deepEqual(args('UNSUBSCRIBE', 'A002 UNSUBSCRIBE "#news.comp.mail.mime"'), { mailbox: '#news.comp.mail.mime' });
    assert.deepEqual(args('STATUS', 'A042 STATUS blurdybloop (UIDNEXT MESSAGES)'), {
      mailbox: 'blurdybloop',
      items: ['UIDNEXT', 'MESSAGES'],
    });
  });

  it('accepts every STATUS item including HIGHESTMODSEQ, SIZE and DELETED', () => {
    assert.deepEqual(args('STATUS', 'a STATUS INBOX (messages recent uidnext uidvalidity unseen highestmodseq size deleted)').items, [
      'MESSAGES',
      'RECENT',
      'UIDNEXT',
      'UIDVALIDITY',
      'UNSEEN',
      'HIGHESTMODSEQ',
      'SIZE',
      'DELETED',
    ]);
    assert.equal(parseError('a STATUS INBOX (UNDELETED)').reason, 'Unknown status item UNDELETED');
    assert.equal(parseError('a STATUS INBOX ()').reason, 'Empty status items');
    assert.equal(parseError('a STATUS INBOX').reason, 'Missing status items');
    assert.equal(parseError('a RENAME a').reason, 'Missing new mailbox name');
  });
});

describe('LIST and LSUB', () => {
  const basic = (reference: string, patterns: string[], extended = false): ListArgs => ({
    reference,
    patterns,
    selection: { subscribed: false, remote: false, recursiveMatch: false, specialUse: false },
    returns: { subscribed: false, children: false, specialUse: false, status: null },
    extended,
  });

  it('parses the RFC 3501 examples', () => {
    assert.deepEqual(args('LIST', 'A101 LIST "" ""'), basic('', ['']));
    assert.deepEqual(args('LIST', 'A102 LIST #news.comp.mail.misc ""'), basic('#news.comp.mail.misc', ['']));
    assert.deepEqual(args('LIST', 'A202 LIST ~/Mail/ %'), basic('~/Mail/', ['%']));
    assert.deepEqual(args('LIST', 'A682 LIST "" *'), basic('', ['*']));
    assert.deepEqual(args('LIST', 'a LIST "" INBOX/]*'), basic('', ['INBOX/]*']));
    assert.deepEqual(args('LSUB', 'A002 LSUB "#news." "comp.mail.*"'), { reference: '#news.', pattern: 'comp.mail.*' });
  });

  it('keeps patterns unnormalised but decodes modified UTF-7', () => {
    assert.deepEqual(args('LIST', 'a LIST inbox "&ZeVnLIqe-/%"'), basic('inbox', ['日本語/%']));
  });

  it('parses extended LIST (RFC 5258, RFC 6154, RFC 5819 examples)', () => {
    const subscribed = args('LIST', 'A02 LIST (SUBSCRIBED) "" "*"');
    assert.equal(subscribed.selection.subscribed, true);
    assert.equal(subscribed.extended, true);
    assert.deepEqual(args('LIST', 'A03 LIST () "" "%" RETURN (CHILDREN)').returns, {
      subscribed: false,
      children: true,
      specialUse: false,
      status: null,
    });
    assert.deepEqual(args('LIST', 'A06 LIST (SUBSCRIBED RECURSIVEMATCH) "" "%" RETURN (CHILDREN)').selection, {
      subscribed: true,
      remote: false,
      recursiveMatch: true,
      specialUse: false,
    });
    assert.deepEqual(args('LIST', 'A07 LIST "" ("INBOX" "Drafts" "Sent/%")'), basic('', ['INBOX', 'Drafts', 'Sent/%'], true));
    assert.equal(args('LIST', 't3 LIST (SPECIAL-USE) "" "*"').selection.specialUse, true);
    assert.deepEqual(args('LIST', 'a LIST "" "*" RETURN (SPECIAL-USE CHILDREN SUBSCRIBED)').returns, {
      subscribed: true,
      children: true,
      specialUse: true,
      status: null,
    });
    assert.deepEqual(args('LIST', 'A01 LIST "" % RETURN (STATUS (MESSAGES UNSEEN))').returns.status, ['MESSAGES', 'UNSEEN']);
    assert.equal(args('LIST', 'a LIST "" % RETURN ()').extended, true);
  });

  const errors: Array<[string, string]> = [
    ['a LIST (FOO) "" *', 'Unknown LIST selection option FOO'],
    ['a LIST (RECURSIVEMATCH) "" *', 'RECURSIVEMATCH needs another selection option'],
    ['a LIST (REMOTE RECURSIVEMATCH) "" *', 'RECURSIVEMATCH needs another selection option'],
    ['a LIST "" * RETURN (FOO)', 'Unknown LIST return option FOO'],
    ['a LIST "" * RETURNS (CHILDREN)', 'Expected RETURN'],
    ['a LIST "" * RETURN', 'Missing return options'],
    ['a LIST "" ()', 'Empty mailbox patterns'],
    ['a LIST ""', 'Missing mailbox pattern'],
    ['a LSUB "" "*" x', 'Unexpected characters after LSUB'],
  ];
  for (const [line, reason] of errors) {
    it(`refuses ${JSON.stringify(line)}: ${reason}`, () => assert.equal(parseError(line).reason, reason));
  }

  it('reads the reference and patterns of an extended LIST in the right order', () => {
    const list = parse('a LIST (SUBSCRIBED) "Archive/" ("2023/%" "2024/%") RETURN (CHILDREN)');
    assert.equal(list.name, 'LIST');
    if (list.name === 'LIST') {
      assert.equal(list.args.reference, 'Archive/');
      assert.deepEqual(list.args.patterns, ['2023/%', '2024/%']);
    }
  });
});
