// Injected by scripts/build-bundle.mjs into the CommonJS bundle of the CLI: `import.meta.url` of every
// bundled module becomes the bundle's own file URL (CommonJS has no import.meta).
/* global __filename */
import { pathToFileURL } from 'node:url';

export const bundleUrl = pathToFileURL(__filename).href;
