import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { findWorkspaceRoot } from './workspace-root.ts';

const workspace = mkdtempSync(join(tmpdir(), 'workspace-root-'));
writeFileSync(join(workspace, 'nx.json'), '{}');
mkdirSync(join(workspace, 'apps/weather'), { recursive: true });
const outside = mkdtempSync(join(tmpdir(), 'no-workspace-'));

afterAll(() => {
  for (const dir of [workspace, outside]) rmSync(dir, { recursive: true, force: true });
});

describe('findWorkspaceRoot', () => {
  it('finds the folder holding nx.json from anywhere below it', () => {
    expect(findWorkspaceRoot(join(workspace, 'apps/weather'), {})).toBe(workspace);
    expect(findWorkspaceRoot(workspace, {})).toBe(workspace);
  });

  it('takes NX_WORKSPACE_ROOT_PATH first, as Nx does', () => {
    expect(findWorkspaceRoot(join(workspace, 'apps'), { NX_WORKSPACE_ROOT_PATH: outside })).toBe(outside);
  });

  it('falls back to where it started outside any workspace', () => {
    expect(findWorkspaceRoot(outside, {})).toBe(outside);
  });
});
