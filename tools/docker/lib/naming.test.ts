import { describe, expect, it } from 'vitest';
import { CliError } from './errors.ts';
import { imageRepository, parsePinnedImage, registryHost, splitImageReference } from './naming.ts';

describe('imageRepository', () => {
  it('puts a GitLab service under $CI_REGISTRY_IMAGE', () => {
    expect(imageRepository('weather', 'gitlab', { CI_REGISTRY_IMAGE: 'registry.gitlab.com/group/starter' })).toBe('registry.gitlab.com/group/starter/weather');
  });

  it('puts a Docker Hub service under the namespace, or the user', () => {
    expect(imageRepository('fibonacci', 'dockerhub', { DOCKER_HUB_USER: 'alice' })).toBe('docker.io/alice/fibonacci');
    expect(imageRepository('fibonacci', 'dockerhub', { DOCKER_HUB_USER: 'alice', DOCKER_HUB_NAMESPACE: 'acme' })).toBe('docker.io/acme/fibonacci');
  });

  it('puts Docker Hub images on the host DOCKER_HUB_REGISTRY names (a mirror, a registry on loopback), docker.io when empty', () => {
    expect(imageRepository('fibonacci', 'dockerhub', { DOCKER_HUB_USER: 'alice', DOCKER_HUB_REGISTRY: 'hub.example.com' })).toBe('hub.example.com/alice/fibonacci');
    expect(imageRepository('fibonacci', 'dockerhub', { DOCKER_HUB_USER: 'alice', DOCKER_HUB_REGISTRY: '127.0.0.1:5001' })).toBe('127.0.0.1:5001/alice/fibonacci');
    expect(imageRepository('fibonacci', 'dockerhub', { DOCKER_HUB_USER: 'alice', DOCKER_HUB_REGISTRY: '' })).toBe('docker.io/alice/fibonacci');
    expect(() => imageRepository('fibonacci', 'dockerhub', { DOCKER_HUB_USER: 'alice', DOCKER_HUB_REGISTRY: 'https://hub.example.com' })).toThrow(
      'DOCKER_HUB_REGISTRY is "https://hub.example.com": it must be a registry host[:port], e.g. docker.io',
    );
  });

  it("uses the project's name alone when its registry is not configured", () => {
    expect(imageRepository('fibonacci', 'dockerhub', {})).toBe('fibonacci');
    expect(imageRepository('weather', 'gitlab', { DOCKER_HUB_USER: 'alice' })).toBe('weather');
    expect(imageRepository('weather', undefined, { CI_REGISTRY_IMAGE: 'registry.gitlab.com/g/p' })).toBe('weather');
  });

  it('lets --repository, then IMAGE_REPOSITORY, override every kind', () => {
    const env = { IMAGE_REPOSITORY: '127.0.0.1:5000/e2e/', CI_REGISTRY_IMAGE: 'registry.gitlab.com/g/p', DOCKER_HUB_USER: 'alice' };
    expect(imageRepository('weather', 'gitlab', env)).toBe('127.0.0.1:5000/e2e/weather');
    expect(imageRepository('fibonacci', 'dockerhub', env)).toBe('127.0.0.1:5000/e2e/fibonacci');
    expect(imageRepository('fibonacci', 'dockerhub', env, 'localhost:5001/team')).toBe('localhost:5001/team/fibonacci');
  });

  it('refuses a name Docker would refuse, saying why', () => {
    expect(() => imageRepository('fibonacci', 'dockerhub', { DOCKER_HUB_USER: 'Alice' })).toThrow(CliError);
    expect(() => imageRepository('fibonacci', 'dockerhub', { DOCKER_HUB_USER: 'Alice' })).toThrow('"docker.io/Alice/fibonacci" is not a valid image repository');
  });
});

describe('registryHost', () => {
  it.each([
    ['fibonacci', undefined],
    ['alice/fibonacci', 'docker.io'],
    ['docker.io/alice/fibonacci', 'docker.io'],
    ['registry.gitlab.com/g/p/weather', 'registry.gitlab.com'],
    ['127.0.0.1:5000/e2e/fibonacci', '127.0.0.1:5000'],
    ['localhost/fibonacci', 'localhost'],
  ])('%s is in %s', (repository, host) => {
    expect(registryHost(repository)).toBe(host);
  });
});

describe('parsePinnedImage', () => {
  const digest = `sha256:${'ab'.repeat(32)}`;

  it('splits <repository>@<digest>', () => {
    expect(parsePinnedImage(`registry.gitlab.com/g/p/weather@${digest}`, '--image')).toEqual({ repository: 'registry.gitlab.com/g/p/weather', digest });
  });

  it.each(['registry.gitlab.com/g/p/weather:latest', `weather:1@${digest}`, '', `Weather@${digest}`, 'weather@sha256:abc'])('refuses %j, which is not pinned by digest', (reference) => {
    expect(() => parsePinnedImage(reference, '--image')).toThrow(`--image is "${reference}": it must be an image pinned by digest`);
  });
});

describe('splitImageReference', () => {
  it.each([
    ['node', { repository: 'node' }],
    ['node:24-alpine@sha256:abc', { repository: 'node', tag: '24-alpine', digest: 'sha256:abc' }],
    ['localhost:5000/e2e/weather:1.2.3', { repository: 'localhost:5000/e2e/weather', tag: '1.2.3' }],
    ['localhost:5000/node@sha256:abc', { repository: 'localhost:5000/node', digest: 'sha256:abc' }],
  ])('splits %j, a colon in the registry host being no tag', (reference, parts) => {
    expect(splitImageReference(reference)).toEqual(parts);
  });
});
