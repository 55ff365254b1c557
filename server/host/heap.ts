// Imported first by each host entry, so the heap tuning of server/heap.ts is on before the rest of the
// server loads: cli.ts imports the rest dynamically after it (static imports are compiled before any
// module body runs, and that compiling alone grows the young generation to 16 MiB); the SMTP bench
// starts its server child with `node --import` of this module; utility.ts (Electron) imports it first
// statically, so there the tuning holds from the end of loading on.
import { keepYoungGenerationSmall } from '../heap.js';

keepYoungGenerationSmall();
