import { writeFileSync } from 'node:fs';
import { ruleDocs } from '../src/review/rule-docs.ts';
import { packs } from '../rules/index.ts';

writeFileSync(new URL('../docs/rules.md', import.meta.url), ruleDocs(packs));
