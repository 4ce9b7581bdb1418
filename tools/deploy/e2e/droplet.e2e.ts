import { beforeAll, describe, expect, it } from 'vitest';
import { apps, namePrefix } from './global-setup.ts';
import { createDeployment, served, type Deployment } from './support/deployment.ts';
import { deploySteps, expectNoFailedRequest, expectSuccess, underLoad } from './support/scenario.ts';

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
