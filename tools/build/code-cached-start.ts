// What a service bundle's entry (./service-entry.ts) does: run service.cjs with a V8 code cache of what a start
// compiles, so a start skips most of its compiling. Node built-ins only: it is bundled into dist/server/main.mjs.
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { accessSync, constants, readFileSync, renameSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:net';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { compileFunction, constants as vmConstants } from 'node:vm';
import { mapStackTracesOf } from './bundle-stack-traces.ts';

/** Makes the cache beside the bundle and exits 0 whatever happens: the image's build runs it (see the Dockerfile). */
const WRITE_CODE_CACHE_FLAG = '--write-code-cache';
/** Set for the service this entry starts with that flag: it asks its own /health, writes the cache and exits. */
const WARM_UP_VARIABLE = 'CODE_CACHE_WARM_UP';
const warmUpTimeoutMs = 60_000;

/** What a CommonJS module's code is run with. */
export const moduleParameters = ['exports', 'require', 'module', '__filename', '__dirname'];

/**
 * Why not Node's own compile cache (module.enableCompileCache): it keeps the code V8 compiled for a module before
 * running it, and V8 compiles most functions when they are first called. A cache made once the service listens (in
 * the image, once it has answered /health) holds those too: a cold start (every new container) took 270 ms of CPU
 * to its first /health answer, 230 with Node's cache, 160 with this one. V8 checks a cache against its own version,
 * its flags and the source's length, and compiles as if there were none when it does not fit: a cache made by
 * another Node is ignored, never run. A cache lives beside the bundle it was made for, by the image's build or by a
 * local start that found none; `nx build` empties dist/, and .dockerignore keeps a local one out of images.
 *
 * Why compileFunction, as Node's own loader compiles a module, and not a vm.Script of the module wrapped in a
 * function: the service's code run from such a Script cost 14 % more CPU per cached answer (31.6 against 27.7 µs,
 * interleaved rounds, docs/benchmarks.md), with or without a cache.
 */
export function startWithCodeCache(bundle: string, { env = process.env, argv = process.argv } = {}): void {
  if (argv.includes(WRITE_CODE_CACHE_FLAG)) {
    writeCodeCache(argv[1] ?? '', env);
    return;
  }
  mapStackTracesOf(bundle);
  const cacheFile = `${bundle}.cache`;
  const useCache = env.NODE_DISABLE_COMPILE_CACHE !== '1';
  const warmingUp = env[WARM_UP_VARIABLE] === '1';
  // A warm-up makes the cache anew, whatever was there.
  const cachedData = useCache && !warmingUp ? readIfThere(cacheFile) : undefined;
  const source = readFileSync(bundle, 'utf8');
  const compile = (options: { cachedData?: Buffer; produceCachedData?: boolean }) =>
    compileFunction(source, moduleParameters, { filename: bundle, importModuleDynamically: vmConstants.USE_MAIN_CONTEXT_DEFAULT_LOADER, ...options });
  const service = compile({ cachedData });
  const stale = useCache && (cachedData === undefined || service.cachedDataRejected === true);
  // The same source compiled again is V8's compilation cache's hit: the very function that ran, with every function
  // it has compiled since, which is what the cache is for. A miss would keep only the module's top level.
  const writeCache = () => {
    const { cachedData: made } = compile({ produceCachedData: true });
    if (made !== undefined) writeAtomically(cacheFile, made);
  };
  if (warmingUp) onceListening((port) => void warmUp(port, writeCache));
  else if (stale && isWritable(dirname(cacheFile))) onceListening(() => setImmediate(writeCache));
  const module = { exports: {} };
  (service as (...args: unknown[]) => void)(module.exports, createRequire(bundle), module, bundle, dirname(bundle));
}

/** Starts the service as its own process, so that one that cannot start here (a required setting) only warns. */
function writeCodeCache(entry: string, env: NodeJS.ProcessEnv): void {
  // Loaded here: child_process (and the dgram and net it needs) would cost every start a few milliseconds.
  const { spawnSync } = process.getBuiltinModule('node:child_process');
  const { status, signal, error } = spawnSync(process.execPath, [entry], {
    env: { ...env, [WARM_UP_VARIABLE]: '1', PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'warn' },
    stdio: 'inherit',
    timeout: warmUpTimeoutMs,
  });
  if (status !== 0) {
    const why = error?.message ?? (signal ? `killed by ${signal}` : `it exited with ${String(status)}`);
    console.warn(`${entry}: no code cache written, so each start compiles the service (${why})`);
  }
}

/** After the first server listens: a start's code is compiled by then, and a cache made later would not help it. */
function onceListening(then: (port: number) => void): void {
  const listened = 'tracing:net.server.listen:asyncEnd';
  const onListen = (message: unknown) => {
    unsubscribe(listened, onListen);
    const address = (message as { server: Server }).server.address();
    then(typeof address === 'object' && address !== null ? address.port : 0);
  };
  subscribe(listened, onListen);
}

/** The image's cache also holds what answering /health compiles: that answer is what a new container waits for. */
async function warmUp(port: number, writeCache: () => void): Promise<void> {
  try {
    const response = await fetch(`http://127.0.0.1:${String(port)}/health`);
    if (!response.ok) throw new Error(`GET /health answered ${String(response.status)}`);
    writeCache();
    process.exit(0);
  } catch (error) {
    console.error('warm-up failed:', error);
    process.exit(1);
  }
}

function readIfThere(file: string): Buffer | undefined {
  try {
    return readFileSync(file);
  } catch {
    return undefined;
  }
}

function isWritable(dir: string): boolean {
  try {
    accessSync(dir, constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

/** Two first starts at once must not leave a half-written cache for a third. */
function writeAtomically(file: string, data: Buffer): void {
  const partial = `${file}.${String(process.pid)}.partial`;
  writeFileSync(partial, data);
  renameSync(partial, file);
}
