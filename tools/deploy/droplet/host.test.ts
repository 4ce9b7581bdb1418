import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { defaultLimits } from '../settings.ts';
import { localSession } from '../testing/local-session.ts';
import { DropletHost } from './host.ts';
import { layoutOf } from './layout.ts';

/**
 * DropletHost's commands run by a local shell, against files in a temporary directory and recording fakes
 * of `docker` and `nginx` (each call's arguments appended to calls.log; nginx fails what the file
 * `nginx-fails` names: `-t` or `-s`).
 */
let dir: string;
let host: () => DropletHost;
const calls = () => readFileSync(join(dir, 'calls.log'), 'utf8');
const layout = () => layoutOf({ name: 'fibonacci', stateDir: join(dir, 'state'), nginxConfDir: dir });

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'droplet-host-'));
  writeFileSync(join(dir, 'calls.log'), '');
  const fake = (name: string, body: string) => {
    writeFileSync(join(dir, name), `#!/bin/sh\necho "${name} $*" >> ${join(dir, 'calls.log')}\n${body}\n`);
    chmodSync(join(dir, name), 0o755);
  };
  fake('docker', 'exit 0');
  fake('nginx', `test "$(cat ${join(dir, 'nginx-fails')} 2>/dev/null)" != "$1"`);
  const session = localSession({ ...process.env, PATH: `${dir}:${process.env.PATH ?? ''}` });
  host = () => new DropletHost(session, layout(), 'nginx');
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('DropletHost', () => {
  it('runs the container read-only, with a small /tmp, no capabilities, no new privileges, and capped memory and processes', async () => {
    await host().run({ container: 'fibonacci-green', color: 'green', image: 'img@sha256:1', port: 23000, drainTimeoutS: 30, limits: defaultLimits });
    const run = calls();
    for (const flag of ['--read-only', '--tmpfs /tmp:rw,noexec,nosuid,size=64m', '--cap-drop ALL', '--security-opt no-new-privileges', '--memory 256m', '--pids-limit 128']) {
      expect(run).toContain(flag);
    }
  });

  it('keeps a new env file only when told to, and knows whether an earlier deploy kept one', async () => {
    expect(await host().hasEnvFile()).toBe(false);
    await host().prepare();
    await host().writeEnvFile('API_KEY=secret\n');
    expect(await host().hasEnvFile()).toBe(false);
    expect(readFileSync(layout().nextEnvFile, 'utf8')).toBe('API_KEY=secret\n');
    await host().keepEnvFile();
    expect(await host().hasEnvFile()).toBe(true);
    expect(existsSync(layout().nextEnvFile)).toBe(false);
  });

  it('holds the lock until released; meanwhile another deploy waits, then fails saying so', async () => {
    const release = await host().lock(5);
    expect(existsSync(layout().lockFile)).toBe(true);
    await expect(host().lock(0)).rejects.toThrow(`another deploy of fibonacci is running on the host (waited 0 s for ${layout().lockFile})`);
    await release();
    const again = await host().lock(0);
    await again();
  });

  it.each([
    ['-t', /nginx rejected .*fibonacci\.conf, so it was put back/, 'nginx -t\n'],
    ['-s', /`nginx -s reload` failed, so .*fibonacci\.conf was put back/, 'nginx -t\nnginx -s reload\nnginx -s reload\n'],
  ])('puts the previous site back when nginx %s fails', async (failing, message, nginxCalls) => {
    const site = layout().nginxSite;
    writeFileSync(site, 'the site nginx runs\n');
    writeFileSync(join(dir, 'nginx-fails'), failing);
    await expect(host().ensureSite('a new site\n')).rejects.toThrow(message);
    expect(readFileSync(site, 'utf8')).toBe('the site nginx runs\n');
    expect(calls()).toBe(nginxCalls);
  });

  it('writes a new site, and reloads nginx only when it changed', async () => {
    expect(await host().ensureSite('a new site\n')).toBe(true);
    expect(await host().ensureSite('a new site\n')).toBe(false);
    expect(readFileSync(layout().nginxSite, 'utf8')).toBe('a new site\n');
    expect(calls()).toBe('nginx -t\nnginx -s reload\n');
  });

  it('removes its whole state directory, and nothing beside it', async () => {
    await host().prepare();
    await host().writeEnvFile('API_KEY=secret\n');
    await host().removeState();
    expect(existsSync(join(dir, 'state', 'fibonacci'))).toBe(false);
    expect(existsSync(join(dir, 'state'))).toBe(true);
  });
});
