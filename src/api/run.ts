// The process entry of the API server (`npm start` runs its compiled form, dist/src/api/run.js).
import { main } from './server.ts';

await main();
