import { beforeAll, describe, expect, it } from 'vitest';
import { apps, namePrefix } from './global-setup.ts';
import { createDeployment, served, type Deployment } from './support/deployment.ts';
import { deploySteps, envMark, expectSuccess, liveEnv } from './support/scenario.ts';

describe.each(apps)('%s, deployed by the Ansible playbook', (app) => {
  let deployment: Deployment;
  beforeAll(async () => {
    deployment = await createDeployment(app, `${namePrefix}${app}-ansible`);
  });

  deploySteps('ansible', () => deployment);

  it('shares its host layout with the droplet deploy, which can roll it back', async () => {
    const output = await deployment.cli('droplet', 'rollback');
    expectSuccess(output);
    expect((await served(deployment)).version).toBe('1.0.0');
    expect(await liveEnv(deployment)).toContain(envMark);
  });
});
