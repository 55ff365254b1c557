#!/usr/bin/env node
// `mailroom`: the headless host (DESIGN §1) and the package's bin. `serve` runs the whole server;
// every other command opens the same data folder's store and goes through the admin service, so a
// running server sees the change on its next read. The commands live in cli/, one module per noun.
import './heap.js';
import { runCli } from './cli/program.js';

process.exitCode = await runCli(process.argv.slice(2));
