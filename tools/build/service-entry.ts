// dist/server/main.mjs, the entry of every service's bundle (see ./bundle.ts).
import { fileURLToPath } from 'node:url';
import { startWithCodeCache } from './code-cached-start.ts';

startWithCodeCache(fileURLToPath(new URL('service.cjs', import.meta.url)));
