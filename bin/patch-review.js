#!/usr/bin/env node
// Thin launcher: registers the TypeScript loader and hands argv to the CLI.
import { register } from 'tsx/esm/api';

register();
const { runFromProcess } = await import('../src/cli/main.ts');
await runFromProcess();
