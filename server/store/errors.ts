// Errors the store raises for conditions a caller must handle (as opposed to bugs or I/O failure).
export class NotFoundError extends Error {
  override name = 'NotFoundError';
}

/** Some of the messages an operation names were expunged meanwhile; it changed nothing. */
export class ExpungedError extends Error {
  override name = 'ExpungedError';
}

export class ConflictError extends Error {
  override name = 'ConflictError';
}

/** True when better-sqlite3 reports a UNIQUE or PRIMARY KEY violation. */
export function isUniqueViolation(error: unknown): boolean {
  const code = (error as { code?: string } | null)?.code;
  return code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}

/** The principal lacks a right the operation needs (RFC 4314); nothing was done. */
export class AccessDeniedError extends Error {
  override name = 'AccessDeniedError';
}
