// Whether the milters marked a message as spam (issue 16): read from the headers they added or changed
// (never from headers the sender wrote, which anyone can forge), as SpamAssassin (spamass-milter) and
// rspamd write them:
//   X-Spam-Flag: YES                      (SpamAssassin)
//   X-Spam-Status: Yes, score=12.3 ...    (SpamAssassin)
//   X-Spam: Yes                           (rspamd's milter_headers, and spam_header)
//   X-Spam-Score: 12.3, X-Rspamd-Score: 12.3, X-Spamd-Result: default: True [12.30 / 15.00]
// A flag says spam outright; a score counts when it is at or above the admin's spam.junkThreshold.
import type { AppliedModification } from '../milter/index.js';

const FLAG = /^(x-spam-flag|x-spam)$/i;
const NUMBER = /(-?\d+(?:\.\d+)?)/;

/** The reason to file as spam, or null. */
export function spamVerdict(modifications: readonly AppliedModification[], threshold: number): string | null {
  let score: { value: number; header: string; milter: string } | null = null;
  for (const m of modifications) {
    if (m.kind !== 'add-header' && m.kind !== 'change-header' && m.kind !== 'insert-header') continue;
    const name = m.name.toLowerCase();
    const value = m.value.trim();
    if (FLAG.test(name) && /^yes\b/i.test(value)) return `${m.name}: ${value} (milter ${m.milter})`;
    if (name === 'x-spam-status' && /^yes\b/i.test(value)) return `${m.name}: ${value.split(/\s+/).slice(0, 2).join(' ')} (milter ${m.milter})`;
    const found =
      name === 'x-spam-status' ? /score=(-?\d+(?:\.\d+)?)/i.exec(value) :
      name === 'x-spam-score' || name === 'x-rspamd-score' ? NUMBER.exec(value) :
      name === 'x-spamd-result' ? /\[\s*(-?\d+(?:\.\d+)?)\s*\//.exec(value) : null;
    if (found) score = { value: Number(found[1]), header: m.name, milter: m.milter };
  }
  if (score !== null && score.value >= threshold) return `score ${score.value} ≥ ${threshold} (${score.header}, milter ${score.milter})`;
  return null;
}
