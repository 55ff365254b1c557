// Sieve errors that point at the script: every compile error and every run-time error carries the
// line and column (1-based) of the token or command that caused it, so ManageSieve's CHECKSCRIPT,
// the GUI and the delivery log can all say where the problem is.

export interface Position {
  line: number;
  column: number;
}

/** One problem in a script, at a position. */
export class SieveError extends Error {
  override name = 'SieveError';
  constructor(
    readonly description: string,
    readonly position: Position,
  ) {
    super(`line ${position.line}, column ${position.column}: ${description}`);
  }
}

/** A script refused at compile time (syntax or validation); holds every problem found, in order. */
export class SieveCompileError extends Error {
  override name = 'SieveCompileError';
  constructor(readonly errors: readonly SieveError[]) {
    super(errors.map((e) => e.message).join('\n'));
  }
}

/** A script that failed while running; the engine answers with an implicit keep instead. */
export class SieveRuntimeError extends SieveError {
  override name = 'SieveRuntimeError';
  /** The script that failed (set as the error leaves it; an include's error names the included script). */
  script: string | null = null;
}
