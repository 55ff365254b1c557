#!/usr/bin/env node
// `mailroom`: the headless host (DESIGN §1) and the package's bin. `serve` runs the whole server;
// every other command opens the same data folder's store and goes through the admin service, so a
// running server sees the change on its next read. The commands live in cli/, one module per noun.
import './heap.js';
// Loaded after the heap tuning is on: static imports are all compiled before any module body runs,
// and compiling the server grows the young generation the tuning keeps small (server/heap.ts).
const { runCli } = await import('./cli/program.js');

process.exitCode = await runCli(process.argv.slice(2));
