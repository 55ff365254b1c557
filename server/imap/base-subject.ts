// The base subject (RFC 5256 §2.1), on which SORT SUBJECT and THREAD compare subjects: the decoded
// subject without "Re:", "Fwd:", "[list]" blobs, "(fwd)" trailers and "[fwd: ...]" wrappers.
//
// The input is already decoded (encoded words) and lower-cased (the search header cache), so the
// "re"/"fw"/"fwd" tests need no case folding.

const WSP = /[ \t]+/g;
/** subj-trailer = "(fwd)" / WSP, at the end (step 2). */
const TRAILER = /(?:\(fwd\)|[ \t])+$/;
/** subj-blob = "[" *BLOBCHAR "]" *WSP */
const BLOB = /^\[[^[\]]*\][ \t]*/;
/** subj-refwd = ("re" / ("fw" ["d"])) *WSP [subj-blob] ":" */
const REFWD = /^(?:re|fwd?)[ \t]*(?:\[[^[\]]*\][ \t]*)?:/;

/** Removes leading subj-leaders (step 3: *subj-blob subj-refwd, or WSP), then one subj-blob if more follows (step 4), until nothing changes (step 5). */
function stripLeaders(subject: string, seen: { reply: boolean }): string {
  for (;;) {
    const before = subject;
    for (;;) {
      const ws = /^[ \t]+/.exec(subject);
      if (ws !== null) {
        subject = subject.slice(ws[0].length);
        continue;
      }
      let rest = subject;
      for (let blob = BLOB.exec(rest); blob !== null; blob = BLOB.exec(rest)) rest = rest.slice(blob[0].length);
      const refwd = REFWD.exec(rest);
      if (refwd === null) break;
      subject = rest.slice(refwd[0].length);
      seen.reply = true;
    }
    const blob = BLOB.exec(subject);
    if (blob !== null && blob[0].length < subject.length) subject = subject.slice(blob[0].length);
    if (subject === before) return subject;
  }
}

export function baseSubject(decoded: string): string {
  return extractSubject(decoded).base;
}

/** The base subject, and whether the subject was a reply or forward (a Re:/Fwd: leader, "(fwd)" or "[fwd: ]" was removed; THREAD=REFERENCES §4 step 5). */
export function extractSubject(decoded: string): { base: string; reply: boolean } {
  const seen = { reply: false };
  let subject = decoded.replace(/[\r\n]+/g, '').replace(WSP, ' ');
  for (;;) {
    const trimmed = subject.replace(TRAILER, '');
    if (/\(fwd\)/.test(subject.slice(trimmed.length))) seen.reply = true;
    subject = stripLeaders(trimmed, seen);
    // Step 6: "[fwd:" ... "]" around the rest: unwrap and start again.
    if (!(subject.startsWith('[fwd:') && subject.endsWith(']'))) return { base: subject, reply: seen.reply };
    subject = subject.slice(5, -1);
    seen.reply = true;
  }
}
