// Loads fixtures/legacy-vectors.json (made by Debian's openssl, mkpasswd and doveadm; see
// fixtures/generate-legacy-vectors.mjs) from the source tree, since tsc does not copy it to dist/.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export interface LegacyVector {
  scheme: string;
  command: string;
  password: string;
  hash: string;
}

export interface LegacyFixture {
  tools: Record<string, string>;
  vectors: LegacyVector[];
  unsupported: Omit<LegacyVector, 'scheme'>[];
}

// Compiled to dist/test/server/auth/vectors.js: four levels up is the repository root.
const path = fileURLToPath(new URL('../../../../test/server/auth/fixtures/legacy-vectors.json', import.meta.url));
export const legacyFixture: LegacyFixture = JSON.parse(readFileSync(path, 'utf8'));

/** The first vector made by a command starting with `commandPrefix`, e.g. `doveadm pw -s SHA512-CRYPT`. */
export function vectorFrom(commandPrefix: string): LegacyVector {
  const vector = legacyFixture.vectors.find((v) => v.command.startsWith(commandPrefix));
  if (!vector) throw new Error(`no fixture vector from ${commandPrefix}`);
  return vector;
}
