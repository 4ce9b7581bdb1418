// @ts-check
// What each generator's index.js imports after the Node check, before the TypeScript: from the second run on, Node
// reads the generator's modules from its compile cache, compiled and with their types already stripped, so it never
// starts its type stripper (a WebAssembly module). yo and Yeoman, loaded before this, are not cached: only a
// NODE_COMPILE_CACHE set by the user reaches them.
import { enableCompileCache } from 'node:module';
import { homedir } from 'node:os';
import { join } from 'node:path';
import process from 'node:process';

// Off under Vitest, as Node's docs advise for tests: V8's coverage, which CI collects, is less precise in functions
// read from the cache.
if (!process.env.VITEST) enableCompileCache(cacheFolder());

/**
 * NODE_COMPILE_CACHE when set, else one per user: Node's default, os.tmpdir()/node-compile-cache, is one folder for
 * every user on Linux, owned by whoever made it first, and then no other user's yo can write there.
 */
function cacheFolder() {
  return process.env.NODE_COMPILE_CACHE || join(homedir(), '.cache', 'node-compile-cache');
}
