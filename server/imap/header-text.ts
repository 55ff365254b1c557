// Reading the cached search header text (migrations/0002: the decoded, lower-cased `name: value` lines
// of a message's header, one per line), shared by SEARCH, SORT and THREAD.

/** The values of the `field: value` lines of a cached header text, in order. */
export function headerValues(text: string, field: string): string[] {
  const prefix = `${field}: `;
  const values: string[] = [];
  for (let start = 0; start < text.length; ) {
    const lf = text.indexOf('\n', start);
    const end = lf === -1 ? text.length : lf;
    if (text.startsWith(prefix, start)) values.push(text.slice(start + prefix.length, end));
    start = end + 1;
  }
  return values;
}
