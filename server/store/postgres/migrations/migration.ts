// The shape of one numbered PostgreSQL migration (index.ts lists and runs them).
export interface PostgresMigration {
  version: number;
  name: string;
  up: string;
}
