import { readFileSync } from 'node:fs';

/** The kit's version, from its package.json (`src/` and `dist/` both sit next to it). */
export const KIT_VERSION: string = (
  JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }
).version;
