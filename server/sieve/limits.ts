// Resource limits of the Sieve engine, in one place. Pigeonhole's defaults where it has one
// (sieve_max_script_size, sieve_max_actions, sieve_max_redirects, sieve_include_max_*,
// sieve_variables_max_*); each bounds memory or time a hostile script can take.

/** Largest script accepted, in bytes (Pigeonhole sieve_max_script_size: 1M). */
export const MAX_SCRIPT_SIZE = 1024 * 1024;
/** Deepest nesting of blocks and tests (Pigeonhole: 32). */
export const MAX_NESTING_DEPTH = 32;
/** Actions one run may collect, implicit keep excluded (Pigeonhole sieve_max_actions). */
export const MAX_ACTIONS = 32;
/** Redirects one run may perform (Pigeonhole sieve_max_redirects). */
export const MAX_REDIRECTS = 4;
/** Commands and tests one run may evaluate, across included scripts: bounds CPU per message. */
export const MAX_STEPS = 100_000;
/** RFC 6609 §3.2: include nesting (Pigeonhole sieve_include_max_nesting_depth). */
export const MAX_INCLUDE_DEPTH = 10;
/** Distinct scripts one run may include (Pigeonhole sieve_include_max_includes). */
export const MAX_INCLUDED_SCRIPTS = 255;
/** RFC 5229 §6: variables per scope (Pigeonhole sieve_variables_max_scope_size). */
export const MAX_VARIABLES = 255;
/** RFC 5229 §6: longest variable value in bytes, longer values are cut (Pigeonhole: 4k). */
export const MAX_VARIABLE_SIZE = 4096;
/** Longest variable name (RFC 5229 §3: implementations may limit; Pigeonhole: 64). */
export const MAX_VARIABLE_NAME = 64;
/** Match variables ${0}..${N} kept (RFC 5229 §3.2 requires at least ${0}..${9}). */
export const MAX_MATCH_VALUES = 32;
/** Largest number literal: K/M/G-scaled values above this are refused. */
export const MAX_NUMBER = 2 ** 53 - 1;
/** RFC 5230 §4.1 default :days, and the period bounds in seconds: :seconds 0 means reply every
 * time (RFC 6131 §2); longer periods are cut to 90 days (Pigeonhole sieve_vacation_max_period). */
export const VACATION_DEFAULT_DAYS = 7;
export const VACATION_MIN_PERIOD = 0;
export const VACATION_MAX_PERIOD = 90 * 24 * 3600;
