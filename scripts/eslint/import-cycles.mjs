// ESLint rule `local/no-import-cycle` (issue 21): no import cycle among our modules, `import type`
// and `import('…')` types included. eslint-plugin-import-x's no-cycle skips type-only imports, and a
// type cycle is one value import away from a real ESM cycle. The whole graph of server/, main/ and
// renderer/ is read once per lint run (TypeScript's preProcessFile: imports only, no type checking);
// each import that stays inside its module's strongly connected component is reported.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';

const ROOT = resolve(dirname(new URL(import.meta.url).pathname), '../..');
const TOPS = ['server', 'main', 'renderer'];
const SOURCE = /\.(ts|tsx|cts|mts)$/;

function* walk(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* walk(path);
    else if (SOURCE.test(entry.name) && !entry.name.endsWith('.d.ts')) yield path;
  }
}

/** The source file a relative specifier names: `./x.js` is `./x.ts` (or .tsx, .cts) here. */
function resolveSpecifier(from, specifier) {
  if (!specifier.startsWith('.')) return null;
  const base = resolve(dirname(from), specifier);
  const stem = base.replace(/\.[cm]?jsx?$/, '');
  for (const candidate of [base, `${stem}.ts`, `${stem}.tsx`, `${stem}.cts`, `${stem}.mts`, join(base, 'index.ts')]) {
    if (SOURCE.test(candidate) && existsSync(candidate)) return candidate;
  }
  return null;
}

function importsOf(file, text) {
  return ts.preProcessFile(text, true, true).importedFiles.map((f) => resolveSpecifier(file, f.fileName)).filter((f) => f !== null);
}

/** Module → id of its strongly connected component, for the modules in a cycle (Tarjan). */
function componentsInCycles(graph) {
  let next = 0;
  const stack = [];
  const state = new Map();
  const component = new Map();
  const visit = (v) => {
    const s = { index: next, low: next, onStack: true };
    next++;
    state.set(v, s);
    stack.push(v);
    for (const w of graph.get(v)) {
      if (!graph.has(w)) continue;
      if (!state.has(w)) {
        visit(w);
        s.low = Math.min(s.low, state.get(w).low);
      } else if (state.get(w).onStack) {
        s.low = Math.min(s.low, state.get(w).index);
      }
    }
    if (s.low !== s.index) return;
    const members = [];
    let w;
    do {
      w = stack.pop();
      state.get(w).onStack = false;
      members.push(w);
    } while (w !== v);
    if (members.length > 1 || graph.get(v).includes(v)) for (const m of members) component.set(m, { id: v, members });
  };
  for (const v of graph.keys()) if (!state.has(v)) visit(v);
  return component;
}

let cached = null;
/** Module path → its cycle ({ id, members }), for every module in one (also for a quick check outside ESLint). */
export function cycles() {
  if (cached) return cached;
  const graph = new Map();
  for (const top of TOPS) for (const file of walk(join(ROOT, top))) graph.set(file, [...new Set(importsOf(file, readFileSync(file, 'utf8')))]);
  cached = componentsInCycles(graph);
  return cached;
}

export const noImportCycle = {
  meta: {
    type: 'problem',
    docs: { description: 'Forbid import cycles among our modules, type-only imports included.' },
    schema: [],
    messages: { cycle: 'Import cycle (type-only imports count): {{target}} leads back here. Modules in the cycle: {{members}}. Move the shared types to a module both can import.' },
  },
  create(context) {
    const file = context.physicalFilename;
    const mine = cycles().get(file);
    if (!mine) return {};
    const check = (node, specifier) => {
      const target = resolveSpecifier(file, specifier);
      if (target && cycles().get(target)?.id === mine.id) {
        context.report({ node, messageId: 'cycle', data: { target: relative(ROOT, target), members: mine.members.map((m) => relative(ROOT, m)).sort().join(', ') } });
      }
    };
    return {
      ImportDeclaration: (node) => check(node, node.source.value),
      ExportNamedDeclaration: (node) => node.source && check(node, node.source.value),
      ExportAllDeclaration: (node) => check(node, node.source.value),
      TSImportType: (node) => check(node, node.argument?.literal?.value ?? node.argument?.value ?? ''),
    };
  },
};
