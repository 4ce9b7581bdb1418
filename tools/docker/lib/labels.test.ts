import { describe, expect, it } from 'vitest';
import { UsageError } from './errors.ts';
import { buildArgs, ociLabels, parseBuildArgs } from './labels.ts';

const sha = 'a'.repeat(40);

describe('ociLabels', () => {
  it('describes the image with the OCI annotation keys', () => {
    expect(
      ociLabels({
        project: 'fibonacci',
        description: 'Exact Fibonacci numbers',
        revision: { sha, tag: 'v1.2.3', committedAt: '2026-01-02T03:04:05Z', source: 'https://gitlab.com/g/p' },
        licenses: 'MIT',
        baseImage: 'local/node:24',
      }),
    ).toEqual({
      'org.opencontainers.image.title': 'fibonacci',
      'org.opencontainers.image.description': 'Exact Fibonacci numbers',
      'org.opencontainers.image.version': '1.2.3',
      'org.opencontainers.image.revision': sha,
      'org.opencontainers.image.source': 'https://gitlab.com/g/p',
      'org.opencontainers.image.created': '2026-01-02T03:04:05Z',
      'org.opencontainers.image.licenses': 'MIT',
      'org.opencontainers.image.base.name': 'local/node:24',
    });
  });

  it('leaves out what is not known rather than writing empty labels', () => {
    expect(Object.keys(ociLabels({ project: 'fibonacci', revision: { sha } }))).toEqual([
      'org.opencontainers.image.title',
      'org.opencontainers.image.version',
      'org.opencontainers.image.revision',
    ]);
  });
});

describe('build arguments', () => {
  it('passes the version and the chosen base image, then the extra ones', () => {
    expect(buildArgs({ sha, tag: 'v2.0.0' }, 'local/node:24', { FOO: 'bar' })).toEqual({ VERSION: '2.0.0', NODE_IMAGE: 'local/node:24', FOO: 'bar' });
    expect(buildArgs({ sha }, undefined, {})).toEqual({ VERSION: '0.0.0-dev+aaaaaaaaaaaa' });
  });

  it('parses KEY=VALUE, keeping = and spaces in the value', () => {
    expect(parseBuildArgs(['FOO=a=b c', 'EMPTY='])).toEqual({ FOO: 'a=b c', EMPTY: '' });
  });

  it.each(['NPM_TOKEN=x', 'DB_PASSWORD=x', 'api_key=x', 'AWS_SECRET_ACCESS_KEY=x'])('refuses %s: history would show it', (pair) => {
    expect(() => parseBuildArgs([pair])).toThrow(UsageError);
    expect(() => parseBuildArgs([pair])).toThrow('build arguments are readable in `docker history`');
  });

  it('refuses what is not KEY=VALUE', () => {
    expect(() => parseBuildArgs(['NOVALUE'])).toThrow('--build-arg takes KEY=VALUE, got "NOVALUE"');
  });
});
