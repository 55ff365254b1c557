// The command table (STYLE "Commands"): one entry per command the wire grammar parses, keyed by
// name, so the type checker guarantees every parsed command has exactly one handler. UID forms are
// the same entries (the command carries `uid`).
import type { CommandSpec } from '../command.js';
import type { CommandName } from '../wire/index.js';
import { append } from './append.js';
import { authenticate } from './authenticate.js';
import { capability, check, logout, noop } from './basic.js';
import { compress } from './compress.js';
import { copy, move } from './copy.js';
import { close, expunge, unselect } from './expunge.js';
import { enable, id, namespace } from './extensions.js';
import { fetch } from './fetch.js';
import { idle } from './idle.js';
import { list, lsub } from './list.js';
import { login, starttls, unauthenticate } from './login.js';
import { create, deleteCommand, rename, subscribe, unsubscribe } from './mailbox.js';
import { getQuota, getQuotaRoot } from './quota.js';
import { cancelUpdate, search } from './search.js';
import { sort } from './sort.js';
import { thread } from './thread.js';
import { examine, select } from './select.js';
import { status } from './status.js';
import { store } from './store.js';
import { genUrlauth, resetKey, urlfetch } from './urlauth.js';
import { notify } from './notify.js';
import { deleteAcl, getAcl, listRights, myRights, setAcl } from './acl.js';

export const COMMANDS: { readonly [K in CommandName]: CommandSpec<K> } = {
  CAPABILITY: capability,
  NOOP: noop,
  LOGOUT: logout,
  STARTTLS: starttls,
  AUTHENTICATE: authenticate,
  LOGIN: login,
  UNAUTHENTICATE: unauthenticate,
  SELECT: select,
  EXAMINE: examine,
  CREATE: create,
  DELETE: deleteCommand,
  RENAME: rename,
  SUBSCRIBE: subscribe,
  UNSUBSCRIBE: unsubscribe,
  LIST: list,
  LSUB: lsub,
  STATUS: status,
  APPEND: append,
  CHECK: check,
  CLOSE: close,
  EXPUNGE: expunge,
  SEARCH: search,
  SORT: sort,
  THREAD: thread,
  FETCH: fetch,
  STORE: store,
  COPY: copy,
  MOVE: move,
  IDLE: idle,
  NAMESPACE: namespace,
  ID: id,
  ENABLE: enable,
  UNSELECT: unselect,
  GETQUOTA: getQuota,
  GETQUOTAROOT: getQuotaRoot,
  CANCELUPDATE: cancelUpdate,
  GENURLAUTH: genUrlauth,
  URLFETCH: urlfetch,
  RESETKEY: resetKey,
  NOTIFY: notify,
  COMPRESS: compress,
  SETACL: setAcl,
  DELETEACL: deleteAcl,
  GETACL: getAcl,
  LISTRIGHTS: listRights,
  MYRIGHTS: myRights,
};
