// The Electron utilityProcess entry (DESIGN §1): the whole server runs here, not in the main
// process, so a busy or crashed server never freezes the window. It speaks to main over the
// process's parent MessagePort; plain Node otherwise (it never imports electron).
//
// Protocol (structured-clone messages, see UtilityToMain / MainToUtility):
//   main → utility  {type:'rpc', id, method, input}     an admin call, answered by 'rpc-result'
//                   {type:'stop'}                        stop the listeners, close the store, exit 0
//   utility → main  {type:'ready', ports, setupUrl?}     listening
//                   {type:'failed', message, code?}      could not start (then exits 1)
//                   {type:'rpc-result', id, result}      RpcResult, the same shape as over HTTP
//                   {type:'event', event}                a live event: log row, listener change, bounce
//                   {type:'stopped'}
// Arguments: --data-dir DIR (required) and optional --<name>-port N like `mailroom serve`.
import './heap.js';
import { parseArgs } from 'node:util';
import { createMailServer, type MailServer } from '../index.js';
import { PORT_NAMES, type PortName } from '../settings.js';
import { portFlags } from './port-flags.js';
import { dispatch, type RpcResult } from '../admin/rpc.js';
import type { LiveEvent } from '../admin/contract.js';


export type MainToUtility = { type: 'rpc'; id: number; method: string; input: unknown } | { type: 'stop' };

export type UtilityToMain =
  | { type: 'ready'; ports: Partial<Record<PortName, number>>; setupUrl?: string }
  | { type: 'failed'; message: string; code?: string }
  | { type: 'rpc-result'; id: number; result: RpcResult }
  | { type: 'event'; event: LiveEvent }
  | { type: 'stopped' };

/** The part of Electron's `process.parentPort` this module uses (typed here: server/ never imports electron). */
export interface ParentPort {
  on(event: 'message', listener: (message: { data: unknown }) => void): unknown;
  postMessage(message: unknown): void;
}

export interface UtilityHost {
  /** The exit code, once the server has stopped on request (0) or failed to start (1). */
  done: Promise<number>;
}

/** Runs the server behind `port`; exported for tests, which pass a stand-in port. */
export function runUtility(port: ParentPort, argv: string[]): UtilityHost {
  const post = (message: UtilityToMain) => port.postMessage(message);
  const { values } = parseArgs({
    args: argv,
    options: { 'data-dir': { type: 'string' }, ...Object.fromEntries(PORT_NAMES.map((p) => [`${p}-port`, { type: 'string' as const }])) },
    strict: false,
  });
  const dataDir = values['data-dir'];
  let server: MailServer | undefined;
  let finish: (code: number) => void = () => {};
  const done = new Promise<number>((resolve) => (finish = resolve));

  const start = async () => {
    if (typeof dataDir !== 'string') throw Object.assign(new Error('--data-dir is required'), { code: 'USAGE' });
    let ports: Partial<Record<PortName, number>>;
    try {
      ports = portFlags(values);
    } catch (error) {
      throw Object.assign(error as Error, { code: 'USAGE' });
    }
    server = await createMailServer({ dataDir, ports });
    const bus = server.events;
    bus.on('log', (row) => post({ type: 'event', event: { type: 'log', row } }));
    bus.on('listener', (event) => post({ type: 'event', event: { type: 'listener', event } }));
    bus.on('bounce', (event) => post({ type: 'event', event: { type: 'bounce', event } }));
    bus.on('backup', (event) => post({ type: 'event', event: { type: 'backup', event } }));
    bus.on('import', (event) => post({ type: 'event', event: { type: 'import', event } }));
    const started = await server.start();
    post({ type: 'ready', ports: started.ports, setupUrl: started.setupUrl });
  };

  const ready: Promise<boolean> = start().then(
    () => true,
    (error: NodeJS.ErrnoException) => {
      post({ type: 'failed', message: error.message, code: error.code });
      finish(1);
      return false;
    },
  );
  const notRunning: RpcResult = { ok: false, error: { code: 'internal', message: 'The mail server is not running.' } };

  port.on('message', ({ data }) => {
    const message = data as MainToUtility;
    if (message?.type === 'rpc') {
      void ready
        .then((ok) => (ok && server ? dispatch(server.admin, message.method, message.input, server.context.log.child({ component: 'admin-ipc' })) : notRunning))
        .then((result) => post({ type: 'rpc-result', id: message.id, result }));
    } else if (message?.type === 'stop') {
      void ready
        .then(async (ok) => {
          if (ok) await server?.stop();
        })
        .then(() => {
          post({ type: 'stopped' });
          finish(0);
        });
    }
  });
  return { done };
}

// Started by Electron's utilityProcess.fork: the parent port exists only there.
const parentPort = (process as unknown as { parentPort?: ParentPort }).parentPort;
if (parentPort) {
  const host = runUtility(parentPort, process.argv.slice(2));
  void host.done.then((code) => process.exit(code));
  process.on('unhandledRejection', (error) => {
    console.error(error);
    process.exit(1);
  });
}
