import { readFileSync } from 'node:fs';
import { UsageError } from '../deploy-error.ts';
import type { DeployCredentials, DeploySettings } from '../settings.ts';
import { SshSession } from '../ssh/session.ts';
import { deploy, rollback, status, type DeployInputs, type Report } from './blue-green.ts';
import { DropletHost } from './host.ts';
import { layoutOf } from './layout.ts';
import { review, stopReview } from './review.ts';
import { DropletReviewHost } from './review-slots.ts';

export type DropletCommand = 'deploy' | 'rollback' | 'status' | 'review' | 'stop-review';

/** Runs one command on the host; a review gives back its review app's URL. */
export async function runDropletCommand(command: DropletCommand, settings: DeploySettings, credentials: DeployCredentials, report: Report): Promise<string | undefined> {
  if ((command === 'deploy' || command === 'review') && settings.image === undefined) throw new UsageError(`droplet ${command} needs --image`);
  const inputs: Omit<DeployInputs, 'image'> = {
    credentials: credentials.registry,
    envFileContent: settings.envFile === undefined ? undefined : readFileSync(settings.envFile, 'utf8'),
  };
  const ssh = await SshSession.open({
    host: settings.host,
    port: settings.sshPort,
    username: settings.user,
    privateKey: credentials.privateKey,
    passphrase: credentials.passphrase,
    knownHosts: credentials.knownHosts,
  });
  try {
    const host = () => new DropletHost(ssh, layoutOf(settings), settings.nginx);
    const reviews = () => new DropletReviewHost(ssh, settings.stateDir, settings.nginx);
    const image = settings.image ?? '';
    if (command === 'review') return await review(reviews(), settings, { ...inputs, image }, report);
    if (command === 'stop-review') await stopReview(reviews(), settings, report);
    else if (command === 'deploy') await deploy(host(), settings, { ...inputs, image }, report);
    else if (command === 'rollback') await rollback(host(), settings, inputs, report);
    else await status(host(), settings, report);
    return undefined;
  } finally {
    ssh.close();
  }
}
