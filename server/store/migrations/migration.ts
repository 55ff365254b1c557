// The shape of one numbered migration (index.ts lists and runs them).
import type { Db } from '../db-handle.js';

export interface Migration {
  version: number;
  name: string;
  /** SQL script, or a function for migrations that need to move data. */
  up: string | ((db: Db) => void);
}
