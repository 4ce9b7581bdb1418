import { writeFile } from 'node:fs/promises';
import { followStream } from '../lib/daemon-stream.ts';
import { connectEngine } from '../lib/engine.ts';
import { CliError, errorMessage } from '../lib/errors.ts';
import { defineCommand, print } from './command.ts';
import { pushTag } from './push.ts';
import { checkLogin, credentialsFor, hasRegistry, resolveTargets, targetOptions } from './targets.ts';

export default defineCommand(
  {
    name: 'release',
    summary: 'Promote a tested tag to latest without rebuilding (pull, tag, push)',
    description: [
      "The seeds' test → latest flow: pulls <repository>:<from> from the registry (the image the pipeline tested),",
      'tags it <to> and pushes that tag. Nothing is rebuilt, so <to> serves the very manifest digest that was tested.',
      'For a local image (no registry configured) it only adds the tag.',
    ].join('\n'),
    options: {
      ...targetOptions,
      from: { type: 'string', placeholder: '<tag>', description: 'The tested tag (default: the commit SHA, CI_COMMIT_SHA or git HEAD)' },
      to: { type: 'string', placeholder: '<tag>', description: 'The tag to move (default: latest)' },
      dotenv: {
        type: 'string',
        placeholder: '<file>',
        description: 'Write RELEASED_IMAGE=<repository>:<to>@<digest> there (a GitLab dotenv report) for the deploy jobs; one project only',
      },
    },
    examples: [
      'node tools/docker/cli.ts release --project fibonacci',
      'node tools/docker/cli.ts release --project fibonacci --from 1.4.0 --to stable',
      'node tools/docker/cli.ts release --project fibonacci --dotenv release.env',
    ],
  },
  async (values) => {
    const { targets, revision } = await resolveTargets(values);
    if (targets.length === 0) {
      print('No affected project has a Dockerfile: nothing to release.');
      return;
    }
    // Deploys pull by digest, so the job that deploys must learn exactly which one this release pushed.
    if (values.dotenv !== undefined && targets.length > 1) {
      throw new CliError(`--dotenv names one released image, but ${targets.length} projects were selected: release them one at a time`);
    }
    const from = values.from ?? revision.sha;
    const to = values.to ?? 'latest';
    const docker = await connectEngine();
    for (const target of targets) {
      const source = `${target.repository}:${from}`;
      if (!hasRegistry(target)) {
        await docker.getImage(source).tag({ repo: target.repository, tag: to }).catch((error: unknown) => {
          throw new CliError(`tagging ${source} failed: ${errorMessage(error)}`);
        });
        print(`tagged ${source} as ${target.repository}:${to} (local image: no registry to push to)`);
        continue;
      }
      const credentials = credentialsFor(target);
      await checkLogin(docker, credentials);
      print(`── ${target.service.name}: promoting ${source} to ${to}`);
      const pull = await docker.pull(source, { authconfig: credentials.auth }).catch((error: unknown) => {
        throw new CliError(`pulling ${source} failed: ${errorMessage(error)}`);
      });
      await followStream(docker, pull, print, `pulling ${source}`);
      await docker.getImage(source).tag({ repo: target.repository, tag: to });
      const digest = await pushTag(docker, target.repository, to, credentials);
      print(`released ${target.repository}:${to} = ${source} (${digest}), not rebuilt`);
      if (values.dotenv !== undefined) await writeFile(values.dotenv, `RELEASED_IMAGE=${target.repository}:${to}@${digest}\n`);
    }
  },
);
