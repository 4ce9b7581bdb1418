import { describe, expect, it } from 'vitest';
import { parseCommandLine, readSettings } from '../settings.ts';
import { fakeHost } from '../testing/fake-host.ts';
import { deploy, rollback } from './blue-green.ts';
import { layoutOf } from './layout.ts';

const image = (version: string) => `registry.example.com/shop/fibonacci:${version}@sha256:${version.replaceAll('.', '').padEnd(64, '0')}`;
const settings = readSettings(parseCommandLine(['--project', 'fibonacci', '--host', 'droplet.example.com', '--port', '3000']).values);
const quiet = () => undefined;

describe('the blue/green deploy', () => {
  it('runs the container read-only, without capabilities, with the limits the service records', async () => {
    const { host, state } = fakeHost(settings);
    await deploy(host, settings, { image: image('1.0.0') }, quiet);
    expect(state.runs[0]?.limits).toEqual(settings.limits);
    expect(state.active).toBe('green');
  });

  it('has nginx take its site before any traffic moves', async () => {
    const { host, state } = fakeHost(settings);
    await deploy(host, settings, { image: image('1.0.0') }, quiet);
    expect(state.events).toEqual(['lock', 'run fibonacci-green', 'site', 'switch green', 'unlock']);
  });

  it.each(['rejects', 'fails to reload'] as const)('moves no traffic when nginx %s the site: the live version keeps serving', async (nginx) => {
    const { host, state, live } = fakeHost(settings, { nginx });
    live('blue', image('1.0.0'));
    await expect(deploy(host, settings, { image: image('2.0.0') }, quiet)).rejects.toThrow(/put back[\s\S]*fibonacci-green was removed; the version that was live keeps serving/);
    expect(state.active).toBe('blue');
    expect(state.events).not.toContain('switch green');
    expect(state.containers.green).toBeUndefined();
    expect(state.containers.blue?.running).toBe(true);
    expect(state.locked).toBe(false);
  });

  it('never leaves nginx routing to the container it removes, even with nothing live before', async () => {
    const { host, state } = fakeHost(settings, { proxies: false });
    await expect(deploy(host, settings, { image: image('1.0.0') }, quiet)).rejects.toThrow(/does not route to green/);
    expect(state.containers.green).toBeUndefined();
    expect(state.active).toBe('blue');
  });

  it('touches nothing while another deploy holds the lock', async () => {
    const { host, state, live } = fakeHost(settings);
    live('blue', image('1.0.0'));
    state.locked = true;
    await expect(deploy(host, settings, { image: image('2.0.0') }, quiet)).rejects.toThrow('another deploy of fibonacci is running');
    expect(state.events).toEqual([]);
  });
});

describe('rollback', () => {
  it('keeps the environment stored on the host when no --service-env-file is given', async () => {
    const { host, state, live } = fakeHost(settings);
    live('blue', image('1.0.0'));
    await deploy(host, settings, { image: image('2.0.0'), envFileContent: 'API_KEY=secret\n' }, quiet);
    await rollback(host, settings, {}, quiet);
    const layout = layoutOf(settings);
    expect(state.runs.map((run) => [run.image, run.envFile])).toEqual([
      [image('2.0.0'), layout.nextEnvFile],
      [image('1.0.0'), layout.envFile],
    ]);
    expect(state.envFile).toBe('API_KEY=secret\n');
  });

  it('keeps the environment the live version runs with when a deploy with a new one fails', async () => {
    // A version that never gets healthy is given up on after --health-timeout: one second here, not thirty.
    const impatient = readSettings(parseCommandLine(['--project', 'fibonacci', '--host', 'droplet.example.com', '--port', '3000', '--health-timeout', '1']).values);
    const { host, state, live } = fakeHost(impatient);
    live('blue', image('1.0.0'));
    await deploy(host, impatient, { image: image('2.0.0'), envFileContent: 'API_KEY=good\n' }, quiet);
    state.unhealthy.add(image('3.0.0'));
    await expect(deploy(host, impatient, { image: image('3.0.0'), envFileContent: 'API_KEY=\n' }, quiet)).rejects.toThrow('did not get healthy');
    expect(state.envFile).toBe('API_KEY=good\n');
    await rollback(host, impatient, {}, quiet);
    expect(state.runs.at(-1)).toMatchObject({ image: image('1.0.0'), envFile: layoutOf(settings).envFile });
  });

  it('holds one lock from reading the history to the end of the deploy', async () => {
    const { host, state, live } = fakeHost(settings);
    live('blue', image('1.0.0'));
    live('green', image('2.0.0'));
    await rollback(host, settings, {}, quiet);
    expect(state.events.filter((event) => event === 'lock' || event === 'unlock')).toEqual(['lock', 'unlock']);
    expect(state.containers[state.active]?.image).toBe(image('1.0.0'));
  });
});
