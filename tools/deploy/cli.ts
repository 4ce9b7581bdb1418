import { writeFileSync } from 'node:fs';
import { DeployError, UsageError } from './deploy-error.ts';
import type { DropletCommand } from './droplet/commands.ts';
import { options, parseCommandLine, readCredentials, readSettings } from './settings.ts';

export const usage = `Usage: node tools/deploy/cli.ts <target> <command> [options]

  droplet deploy    run --image beside the live version, move traffic when it is healthy, stop the old one
  droplet rollback  the same with the version before the live one (or --to VERSION) from the host's history
  droplet status    which color is live with which image, and the history
  droplet review    deploy --image as the review app of merge request --slug: beside production, on a port of
                    its own from --review-ports, replaced in place by the next push (docs/review-apps.md)
  droplet stop-review
                    remove that review app and all it made on the host: containers, nginx site, images, state
  ansible deploy    the same deploy, done by tools/deploy/ansible/deploy.yml through ansible-playbook

Options:
${Object.entries(options)
  .map(([name, option]) => `  --${name.padEnd(16)} ${option.help}`)
  .join('\n')}

Environment (GitLab CI/CD variables):
  SSH_KNOWN_HOSTS             the host's key lines (\`ssh-keyscan HOST\`, checked by hand once), or a File variable; required
  SSH_PRIVATE_KEY_FILE        path of the private key: a variable of type File; required
  SSH_PRIVATE_KEY_PASSPHRASE  its passphrase, if it has one (droplet only)
  REGISTRY_USER, REGISTRY_PASSWORD
                              pull credentials, given to docker login --password-stdin on the host (omit both
                              for a public image)

Exit status: 0 done, 1 the deploy failed (the live version keeps serving), 2 bad usage (nothing was done).`;

const commands = ['droplet deploy', 'droplet rollback', 'droplet status', 'droplet review', 'droplet stop-review', 'ansible deploy'];

const report = (line: string) => {
  console.log(line);
};

export async function main(argv: string[], env: NodeJS.ProcessEnv): Promise<number> {
  try {
    const { values, positionals } = parseCommandLine(argv);
    if (values.help || positionals.length === 0) {
      console.log(usage);
      return 0;
    }
    const command = positionals.join(' ');
    if (!commands.includes(command)) throw new UsageError(`unknown command "${command}"`);
    const settings = readSettings(values);
    const credentials = readCredentials(env);
    const writeUrl = (url: string) => {
      if (settings.dotenv !== undefined) writeFileSync(settings.dotenv, `DEPLOY_URL=${url}\n`);
    };
    // Written first: the smoke job after a failed deploy then checks the version that stayed live. A review app's
    // URL is known once it has its port.
    if (command !== 'droplet review') writeUrl(settings.url);
    // Each target is imported on demand: the Ansible one uses no npm package, so its CI job needs no `npm ci`.
    if (command === 'ansible deploy') {
      const { runPlaybook } = await import('./ansible/run-playbook.ts');
      await runPlaybook(settings, credentials, env);
    } else {
      const { runDropletCommand } = await import('./droplet/commands.ts');
      const reviewUrl = await runDropletCommand(command.replace('droplet ', '') as DropletCommand, settings, credentials, report);
      if (reviewUrl !== undefined) writeUrl(reviewUrl);
    }
    return 0;
  } catch (error) {
    if (!(error instanceof DeployError)) throw error;
    console.error(`deploy: ${error.message}`);
    if (error instanceof UsageError) console.error('Run with --help for the commands and options.');
    return error instanceof UsageError ? 2 : 1;
  }
}

if (import.meta.main) process.exitCode = await main(process.argv.slice(2), process.env);
