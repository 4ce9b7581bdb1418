import { writeFile } from 'node:fs/promises';
import type Docker from 'dockerode';
import type { Credentials } from '../lib/credentials.ts';
import { followStream } from '../lib/daemon-stream.ts';
import { connectEngine } from '../lib/engine.ts';
import { CliError, errorMessage } from '../lib/errors.ts';
import { defineCommand, print } from './command.ts';
import { checkLogin, credentialsFor, resolveTargets, targetOptions } from './targets.ts';

/** Pushes one local tag; answers the manifest digest the registry now serves for it. */
async function pushTag(docker: Docker, repository: string, tag: string, credentials: Credentials): Promise<string> {
  const reference = `${repository}:${tag}`;
  await docker
    .getImage(reference)
    .inspect()
    .catch(() => {
      throw new CliError(`${reference} is not an image on this engine: build it first (docker-build)`);
    });
  const output = await docker
    .getImage(repository)
    .push({ tag, authconfig: credentials.auth })
    .catch((error: unknown) => {
      throw new CliError(`pushing ${reference} failed: ${errorMessage(error)}`);
    });
  const { digest } = await followStream(docker, output, print, `pushing ${reference}`);
  if (digest === undefined) throw new CliError(`pushing ${reference}: the registry sent no digest`);
  print(`pushed ${reference}@${digest}`);
  return digest;
}

export default defineCommand(
  {
    name: 'push',
    summary: "Push each project's image, with every tag the commit gives it, to its registry",
    description: [
      'Pushes the tags `build` gave (commit SHA, branch slug or semver) with credentials from the environment:',
      '  gitlab     CI_REGISTRY_USER / CI_REGISTRY_PASSWORD (GitLab sets both in every job), to $CI_REGISTRY_IMAGE/<project>',
      '  dockerhub  DOCKER_HUB_USER / DOCKER_HUB_TOKEN (an access token), to docker.io/$DOCKER_HUB_USER/<project>',
      '             (DOCKER_HUB_REGISTRY: another host for Docker Hub, e.g. a mirror)',
      'The registry is asked to accept them first, so a wrong password fails at once with a message naming the',
      'variables. Credentials are never printed.',
    ].join('\n'),
    options: {
      ...targetOptions,
      dotenv: {
        type: 'string',
        placeholder: '<file>',
        description: 'Write TESTED_IMAGE=<repository>@<digest> of the commit SHA tag there (a GitLab dotenv report) for the jobs that test and release it; one project only',
      },
    },
    examples: [
      'node tools/docker/cli.ts push --project fibonacci',
      'node tools/docker/cli.ts push --project fibonacci --registry gitlab --dotenv image.env   # what the pipeline does',
      'IMAGE_REPOSITORY=127.0.0.1:5000/team node tools/docker/cli.ts push --project fibonacci --registry gitlab',
      'npx nx affected -t docker-push         # builds first (docker-push depends on docker-build)',
    ],
  },
  async (values) => {
    const { targets } = await resolveTargets(values);
    if (targets.length === 0) {
      print('No affected project has a Dockerfile: nothing to push.');
      return;
    }
    // The jobs after this one test and release exactly what was pushed, so they must learn which digest that is.
    if (values.dotenv !== undefined && targets.length > 1) {
      throw new CliError(`--dotenv names one pushed image, but ${targets.length} projects were selected: push them one at a time`);
    }
    // Every project's credentials are checked to be set before anything is pushed.
    const logins = targets.map((target) => ({ target, login: credentialsFor(target) }));
    const docker = await connectEngine();
    for (const { target, login } of logins) {
      print(`── ${target.service.name}: pushing ${target.repository} (${target.tags.join(', ')}) with ${login.from}`);
      await checkLogin(docker, login);
      const [sha, ...named] = target.tags;
      const digest = await pushTag(docker, target.repository, sha, login);
      for (const tag of named) await pushTag(docker, target.repository, tag, login);
      if (values.dotenv !== undefined) await writeFile(values.dotenv, `TESTED_IMAGE=${target.repository}@${digest}\n`);
    }
  },
);
