import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { apps, namePrefix } from './global-setup.ts';
import { createDeployment, served, type Deployment } from './support/deployment.ts';
import { containerState, deploySteps, envMark, expectNoFailedRequest, expectSuccess, liveEnv, underLoad } from './support/scenario.ts';
import { freePort } from './support/processes.ts';

describe.each(apps)('%s, deployed to a droplet by tools/deploy over SSH', (app) => {
  let deployment: Deployment;
  beforeAll(async () => {
    deployment = await createDeployment(app, `${namePrefix}${app}-droplet`);
  });

  deploySteps('droplet', () => deployment);

  it('rolls back to the previous version with one command, under load with zero failed requests', async () => {
    expect((await served(deployment)).version).toBe('2.0.0');
    const { output, load } = await underLoad(deployment, () => deployment.cli('droplet', 'rollback'));
    expectSuccess(output);
    expectNoFailedRequest(load);
    expect((await served(deployment)).version).toBe('1.0.0');
    expect(await liveEnv(deployment)).toContain(envMark);
  });

  it('moves no traffic when nginx does not take the new site: the site is put back, the live version keeps serving', async () => {
    const live = await served(deployment);
    const site = readFileSync(join(deployment.infrastructure.nginx.confDir, `${deployment.name}.conf`), 'utf8');
    const images = deployment.infrastructure.images[app];
    // A new green port changes the site; an nginx that cannot reload is what a broken host's would do.
    const output = await deployment.cli('droplet', 'deploy', ['--image', images?.v2 ?? '', '--green-port', String(await freePort()), '--nginx', `${deployment.infrastructure.nginx.command} -g 'bogus;'`]);
    expect(output.code).toBe(1);
    expect(output.stderr).toMatch(/nginx rejected .*, so it was put back/);
    expect(await served(deployment)).toEqual(live);
    expect(readFileSync(join(deployment.infrastructure.nginx.confDir, `${deployment.name}.conf`), 'utf8')).toBe(site);
    expect(await containerState(`${deployment.name}-${live.color === 'blue' ? 'green' : 'blue'}`)).toBe('');
  });

  it('shows which color is live and the history', async () => {
    const output = await deployment.cli('droplet', 'status');
    expectSuccess(output);
    const { color } = await served(deployment);
    expect(output.stdout).toContain(`sends traffic to ${String(color)}`);
    const images = deployment.infrastructure.images[app];
    expect(output.stdout).toContain(images?.v1);
    expect(output.stdout).toContain(images?.v2);
  });
});
