// Imported first by each host entry (cli.ts, utility.ts; the SMTP bench's server child), so the heap
// tuning of server/heap.ts is on before the rest of the server loads.
import { keepYoungGenerationSmall } from '../heap.js';

keepYoungGenerationSmall();
