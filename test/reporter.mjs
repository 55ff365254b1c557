// node:test reporter: one line per test, failures with their error, and the summary as the very last
// line (`N passed, N failed`, plus `, N skipped` when any were skipped).
import { relative } from 'node:path';
import { inspect } from 'node:util';

export default async function* reporter(source) {
  let passed = 0;
  let failed = 0;
  let skipped = 0;
  const failures = [];
  for await (const event of source) {
    const { type, data } = event;
    if (type !== 'test:pass' && type !== 'test:fail') continue;
    const isSuite = data.details?.type === 'suite';
    const indent = '  '.repeat(data.nesting);
    const where = data.file ? relative(process.cwd(), data.file) : '';
    if (data.skip || data.todo) {
      skipped++;
      yield `${indent}- ${data.name} (skipped${typeof data.skip === 'string' ? ': ' + data.skip : ''})\n`;
    } else if (type === 'test:pass') {
      if (!isSuite) passed++;
      yield `${indent}✔ ${data.name}${isSuite ? '' : ` (${Math.round(data.details.duration_ms)} ms)`}\n`;
    } else {
      const error = data.details?.error;
      // A suite fails when a child fails; count it only when it failed by itself (hook, crash).
      const own = !isSuite || error?.failureType !== 'subtestsFailed';
      if (own) failed++;
      yield `${indent}✖ ${data.name}\n`;
      if (own) failures.push({ name: data.name, where, error });
    }
  }
  for (const f of failures) {
    yield `\nFAILED ${f.name}  [${f.where}]\n${indent2(inspect(f.error?.cause ?? f.error, { depth: 4 }))}\n`;
  }
  yield `\n${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}\n`;
}

function indent2(text) {
  return text.split('\n').map((l) => '    ' + l).join('\n');
}
