// The type of an open SQLite handle, apart from db.ts so the migrations db.ts runs can name it
// without an import cycle.
import type Database from 'better-sqlite3';

export type Db = Database.Database;
