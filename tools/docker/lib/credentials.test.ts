import { describe, expect, it } from 'vitest';
import { credentialsForHost, findCredentials, requireCredentials } from './credentials.ts';

const gitlabJob = { CI_REGISTRY: 'registry.gitlab.com', CI_REGISTRY_USER: 'gitlab-ci-token', CI_REGISTRY_PASSWORD: 'job-token-123' };
const hub = { DOCKER_HUB_USER: 'alice', DOCKER_HUB_TOKEN: 'dckr_pat_456' };

describe('registry credentials', () => {
  it("takes GitLab's job credentials for the registry the image is in", () => {
    expect(findCredentials('gitlab', 'registry.gitlab.com/g/p/weather', gitlabJob)).toEqual({
      auth: { username: 'gitlab-ci-token', password: 'job-token-123', serveraddress: 'registry.gitlab.com' },
      from: 'CI_REGISTRY_USER/CI_REGISTRY_PASSWORD',
    });
  });

  it("takes a Docker Hub access token, for Docker Hub's auth address", () => {
    expect(findCredentials('dockerhub', 'docker.io/alice/fibonacci', hub)).toEqual({
      auth: { username: 'alice', password: 'dckr_pat_456', serveraddress: 'https://index.docker.io/v1/' },
      from: 'DOCKER_HUB_USER/DOCKER_HUB_TOKEN',
    });
  });

  it("uses the kind's variables for an overridden repository, addressed to its host", () => {
    expect(findCredentials('dockerhub', '127.0.0.1:5000/e2e/fibonacci', hub)?.auth.serveraddress).toBe('127.0.0.1:5000');
  });

  it('finds none when a variable is missing or empty, or the image is local', () => {
    expect(findCredentials('gitlab', 'registry.gitlab.com/g/p/weather', { ...gitlabJob, CI_REGISTRY_PASSWORD: '' })).toBeUndefined();
    expect(findCredentials('dockerhub', 'docker.io/alice/fibonacci', gitlabJob)).toBeUndefined();
    expect(findCredentials('dockerhub', 'fibonacci', hub)).toBeUndefined();
  });

  it('names the variables to set when a push lacks them, never a value', () => {
    expect(() => requireCredentials('dockerhub', 'docker.io/alice/fibonacci', { DOCKER_HUB_USER: 'alice' })).toThrow(
      'pushing to docker.io (registry kind "dockerhub") needs DOCKER_HUB_USER and DOCKER_HUB_TOKEN in the environment',
    );
    expect(() => requireCredentials('gitlab', 'weather', { CI_REGISTRY_PASSWORD: 'job-token-123' })).toThrow(
      '"weather" is a local image name with no registry: set CI_REGISTRY_IMAGE (GitLab sets it in every job), or IMAGE_REPOSITORY / --repository',
    );
  });

  describe('for pulling an image from where it lives', () => {
    const both = { ...gitlabJob, CI_REGISTRY_IMAGE: 'registry.gitlab.com/g/p', ...hub, DOCKER_HUB_REGISTRY: 'hub.example.com' };

    it("takes the job token for the project's registry and the Docker Hub token for Docker Hub's host", () => {
      expect(credentialsForHost('registry.gitlab.com/g/p/weather', both)?.from).toBe('CI_REGISTRY_USER/CI_REGISTRY_PASSWORD');
      expect(credentialsForHost('hub.example.com/alice/fibonacci', both)?.from).toBe('DOCKER_HUB_USER/DOCKER_HUB_TOKEN');
    });

    it('sends no credentials to any other host', () => {
      expect(credentialsForHost('evil.example.com/g/p/weather', both)).toBeUndefined();
      expect(credentialsForHost('weather', both)).toBeUndefined();
    });
  });
});
