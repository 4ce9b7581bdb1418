import { describe, expect, it } from 'vitest';
import { missingLibraries, sharedLibraries } from './ldd.ts';

const lddOfNode = `	linux-vdso.so.1 (0x00007ff10872f000)
	libdl.so.2 => /lib/x86_64-linux-gnu/libdl.so.2 (0x00007ff108718000)
	libstdc++.so.6 => /lib/x86_64-linux-gnu/libstdc++.so.6 (0x00007ff108400000)
	libc.so.6 => /lib/x86_64-linux-gnu/libc.so.6 (0x00007ff1081fe000)
	/lib64/ld-linux-x86-64.so.2 (0x00007ff108731000)
`;

describe('ldd output', () => {
  it('gives every library file and the loader, not the vDSO', () => {
    expect(sharedLibraries(lddOfNode)).toEqual([
      '/lib/x86_64-linux-gnu/libdl.so.2',
      '/lib/x86_64-linux-gnu/libstdc++.so.6',
      '/lib/x86_64-linux-gnu/libc.so.6',
      '/lib64/ld-linux-x86-64.so.2',
    ]);
    expect(missingLibraries(lddOfNode)).toEqual([]);
  });

  it('names the libraries that are not found', () => {
    expect(missingLibraries(`${lddOfNode}\tlibicu.so.72 => not found\n`)).toEqual(['libicu.so.72']);
  });
});
