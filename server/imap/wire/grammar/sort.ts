// SORT (RFC 5256 §3, RFC 5957 DISPLAYFROM/DISPLAYTO, RFC 5267 §3.2 RETURN) and THREAD (RFC 5256 §3):
// a search program with a mandatory charset, after the sort criteria or the threading algorithm.
import { shown } from '../errors.js';
import type { Reader } from '../tokens.js';
import type { PartialRange } from '../responses.js';
import { parseSearchProgram, readReturnOptions, type SearchProgram, type SearchReturnOption } from './search.js';

export type SortKey = 'ARRIVAL' | 'CC' | 'DATE' | 'FROM' | 'SIZE' | 'SUBJECT' | 'TO' | 'DISPLAYFROM' | 'DISPLAYTO';
const SORT_KEYS: ReadonlySet<string> = new Set<SortKey>(['ARRIVAL', 'CC', 'DATE', 'FROM', 'SIZE', 'SUBJECT', 'TO', 'DISPLAYFROM', 'DISPLAYTO']);

export interface SortCriterion {
  readonly key: SortKey;
  readonly reverse: boolean;
}

export interface SortArgs extends SearchProgram {
  readonly criteria: readonly SortCriterion[];
  /** ESORT's RETURN options (MIN MAX COUNT ALL PARTIAL, UPDATE for CONTEXT=SORT), or null for a `* SORT` answer; `RETURN ()` means ALL. */
  readonly returns: ReadonlySet<SearchReturnOption> | null;
  /** PARTIAL's range (RFC 9394), positions in sort order. */
  readonly partial: PartialRange | null;
}

const SORT_RETURN_OPTIONS: ReadonlySet<string> = new Set<SearchReturnOption>(['MIN', 'MAX', 'COUNT', 'ALL', 'PARTIAL', 'UPDATE']);

// sort = ["UID" SP] "SORT" [search-return-opts] SP sort-criteria SP search-criteria (RFC 5256 §5, RFC 5267 §3.2);
// sort-criteria = "(" sort-criterion *(SP sort-criterion) ")"; sort-criterion = ["REVERSE" SP] sort-key;
// sort-key = "ARRIVAL" / "CC" / "DATE" / "FROM" / "SIZE" / "SUBJECT" / "TO" / "DISPLAYFROM" / "DISPLAYTO" (RFC 5957);
// search-criteria = charset 1*(SP search-key)
export function parseSort(r: Reader): SortArgs {
  const returns = readReturnOptions(r, SORT_RETURN_OPTIONS);
  r.sp('sort criteria');
  const criteria = r.list('sort criteria', () => {
    let name = r.keyword('sort key');
    const reverse = name === 'REVERSE';
    if (reverse) {
      r.sp('sort key');
      name = r.keyword('sort key');
    }
    if (!SORT_KEYS.has(name)) r.fail(`Unknown sort key ${shown(name)}`);
    return { key: name as SortKey, reverse };
  });
  r.sp('charset');
  const program = parseSearchProgram(r, true);
  return { ...program, criteria, returns: returns?.options ?? null, partial: returns?.partial ?? null };
}

export type ThreadAlgorithm = 'ORDEREDSUBJECT' | 'REFERENCES';

export interface ThreadArgs extends SearchProgram {
  readonly algorithm: ThreadAlgorithm;
}

// thread = ["UID" SP] "THREAD" SP thread-alg SP search-criteria; thread-alg = "ORDEREDSUBJECT" /
// "REFERENCES" / thread-alg-ext (RFC 5256 §5)
export function parseThread(r: Reader): ThreadArgs {
  r.sp('threading algorithm');
  const algorithm = r.keyword('threading algorithm');
  if (algorithm !== 'ORDEREDSUBJECT' && algorithm !== 'REFERENCES') r.fail(`Unknown threading algorithm ${shown(algorithm)}`);
  r.sp('charset');
  return { ...parseSearchProgram(r, true), algorithm };
}
