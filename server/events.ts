// The in-process event bus (DESIGN §1): protocols never call each other; new mail, store changes and
// log rows travel here to IMAP IDLE, the GUI's live views and desktop notifications. Listeners are
// called synchronously after commit and must not throw (a throwing listener is isolated and reported).
import type { StoreChange } from './store/changes.js';
import type { LogRow } from './store/log.js';
import type { BackupProgress } from './admin/contract/backup.js';
import type { ImportRunView } from './admin/contract/moving-in.js';

export interface BusEvents {
  change: StoreChange;
  log: LogRow;
  listener: { name: string; state: 'listening' | 'failed' | 'stopped'; port?: number; error?: string };
  bounce: { queueId: string; sender: string; recipient: string; reason: string };
  /** A backup's progress, for the GUI's Backup page. */
  backup: BackupProgress;
  /** The running import's progress and outcome, for the "Move in" wizard. */
  import: ImportRunView;
}

type Handler<K extends keyof BusEvents> = (event: BusEvents[K]) => void;

export class EventBus {
  private handlers = new Map<keyof BusEvents, Set<(event: never) => void>>();

  constructor(private readonly onListenerError: (error: unknown) => void = (e) => console.error(e)) {}

  on<K extends keyof BusEvents>(name: K, handler: Handler<K>): () => void {
    let set = this.handlers.get(name);
    if (!set) this.handlers.set(name, (set = new Set()));
    set.add(handler);
    return () => set.delete(handler);
  }

  emit<K extends keyof BusEvents>(name: K, event: BusEvents[K]): void {
    const set = this.handlers.get(name) as Set<Handler<K>> | undefined;
    if (!set) return;
    for (const handler of set) {
      try {
        handler(event);
      } catch (error) {
        this.onListenerError(error);
      }
    }
  }
}
