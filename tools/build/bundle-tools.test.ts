import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ssh2 from 'ssh2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { refusedPort, type RefusedPort } from '../deploy/testing/refused-port.ts';
import { bundleTools } from './bundle-tools.ts';

const workspaceRoot = fileURLToPath(new URL('../../', import.meta.url));

/** `node <bundle> ...args` from a folder with no node_modules anywhere above it, as a CI job that installed nothing. */
function runBundle(bundle: string, args: string[], env: Record<string, string>, cwd: string) {
  return new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
    execFile(process.execPath, [bundle, ...args], { cwd, env: { PATH: process.env.PATH, ...env } }, (error, stdout, stderr) => {
      resolve({ code: error ? Number(error.code) : 0, stdout, stderr });
    });
  });
}

describe('bundleTools', () => {
  // A workspace of its own outside this one: dist/tools/ beside one service's project.json, and no node_modules.
  let workspace: string;
  let bundles: string;
  let closed: RefusedPort;
  beforeAll(async () => {
    workspace = await mkdtemp(join(tmpdir(), 'tool-bundles-'));
    bundles = join(workspace, 'dist/tools');
    await bundleTools(workspaceRoot, bundles);
    await mkdir(join(workspace, 'apps/demo'), { recursive: true });
    await writeFile(join(workspace, 'apps/demo/project.json'), JSON.stringify({ name: 'demo', metadata: { service: { port: 3000 } } }));
    closed = await refusedPort();
  });
  afterAll(async () => {
    await closed.release();
    await rm(workspace, { recursive: true, force: true });
  });

  it('writes one module per CLI, two folders below the workspace root like their sources', async () => {
    expect((await readdir(bundles)).filter((file) => file.endsWith('.mjs')).sort()).toEqual(['deploy.mjs', 'docker.mjs']);
  });

  it('runs the Docker CLI with dockerode inside: no engine here, so it says how to start one', async () => {
    const { code, stderr } = await runBundle(join(bundles, 'docker.mjs'), ['base-image'], { DOCKER_HOST: 'unix:///nonexistent/docker.sock' }, workspace);
    expect(stderr).toContain('Cannot reach the Docker engine at unix:///nonexistent/docker.sock (ENOENT)');
    expect(code).toBe(1);
  });

  it("runs the deploy CLI with ssh2 inside (without its native parts), reading the service's port from the workspace", async () => {
    const keyFile = join(workspace, 'deploy-key');
    await writeFile(keyFile, ssh2.utils.generateKeyPairSync('ed25519').private, { mode: 0o600 });
    const env = { SSH_KNOWN_HOSTS: `[127.0.0.1]:${closed.port} ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl`, SSH_PRIVATE_KEY_FILE: keyFile };
    const args = ['droplet', 'status', '--project', 'demo', '--host', '127.0.0.1', '--ssh-port', String(closed.port)];
    const { code, stderr } = await runBundle(join(bundles, 'deploy.mjs'), args, env, workspace);
    expect(stderr).toMatch(new RegExp(`^deploy: ssh root@\\[127\\.0\\.0\\.1\\]:${closed.port}: connect ECONNREFUSED`));
    expect(code).toBe(1);
  });
});
