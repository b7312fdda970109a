// The process entry of the CLI (the compiled bin imports this): hands argv and the process's streams to main().
import { runFromProcess } from './main.ts';

await runFromProcess();
