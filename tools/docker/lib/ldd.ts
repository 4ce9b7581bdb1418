/**
 * The files a dynamically linked program needs, from `ldd` output: each `name => /path (0x…)` library and
 * the loader, named by its absolute path (`/lib64/ld-linux-x86-64.so.2 (0x…)`). The kernel's vDSO has no file.
 */
export function sharedLibraries(lddOutput: string): string[] {
  const paths = lddOutput.split('\n').flatMap((line) => {
    const linked = /=>\s+(\/\S+)/.exec(line);
    if (linked?.[1]) return [linked[1]];
    const loader = /^\s*(\/\S+)\s+\(0x[0-9a-f]+\)/.exec(line);
    return loader?.[1] ? [loader[1]] : [];
  });
  return [...new Set(paths)];
}

/** A line ldd prints for a library it could not find: the image would not start without it. */
export function missingLibraries(lddOutput: string): string[] {
  return [...lddOutput.matchAll(/^\s*(\S+)\s+=>\s+not found/gm)].map((match) => match[1] ?? '');
}
