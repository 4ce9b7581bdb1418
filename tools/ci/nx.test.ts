import { describe, expect, it } from 'vitest';
import { nxRunArgs, nxServicesArgs } from './nx.ts';

const sha = 'a'.repeat(40);

describe('the Nx command lines', () => {
  it('run the targets for the projects affected since a commit, with every task log printed', () => {
    expect(nxRunArgs({ kind: 'since', sha, notes: [] }, ['lint', 'typecheck'])).toEqual([
      'affected', '--targets', 'lint,typecheck', '--output-style', 'static', '--base', sha, '--head', 'HEAD',
    ]);
  });

  it('run the targets for every project when everything is affected', () => {
    expect(nxRunArgs({ kind: 'all', notes: [] }, ['build'])).toEqual(['run-many', '--targets', 'build', '--output-style', 'static']);
  });

  it('list the affected services, or all of them', () => {
    expect(nxServicesArgs({ kind: 'since', sha, notes: [] })).toEqual(['show', 'projects', '--affected', '--base', sha, '--head', 'HEAD', '--projects', 'tag:type:service', '--json']);
    expect(nxServicesArgs({ kind: 'all', notes: [] })).toEqual(['show', 'projects', '--projects', 'tag:type:service', '--json']);
  });
});
