// The extensions Mailroom's Sieve engine supports, in the order the ManageSieve SIEVE capability
// lists them, and the registry compiled scripts are checked against.

import { base } from './ext/base.js';
import { body } from './ext/body.js';
import { date, index } from './ext/date.js';
import { envelope } from './ext/envelope.js';
import { copy, fileinto, mailbox } from './ext/fileinto.js';
import { imap4flags } from './ext/imap4flags.js';
import { include } from './ext/include.js';
import { ereject, reject } from './ext/reject.js';
import { comparatorExtensions, encodedCharacter, relational, subaddress } from './ext/small.js';
import { vacation, vacationSeconds } from './ext/vacation.js';
import { variables } from './ext/variables.js';
import { Registry } from './registry.js';

export const DEFAULT_REGISTRY = new Registry(base, [
  fileinto,
  reject,
  ereject,
  envelope,
  encodedCharacter,
  imap4flags,
  copy,
  body,
  variables,
  vacation,
  vacationSeconds,
  relational,
  subaddress,
  date,
  index,
  include,
  mailbox,
  ...comparatorExtensions,
]);
