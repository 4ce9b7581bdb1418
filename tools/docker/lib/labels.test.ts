import { describe, expect, it } from 'vitest';
import { UsageError } from './errors.ts';
import { buildArgs, ociLabels, parseBuildArgs, withLabels } from './labels.ts';

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

describe('the labels as one LABEL instruction', () => {
  const dockerfile = 'FROM base\nCMD ["node"]\n';

  it('appends them to the last stage, one instruction for all', () => {
    expect(withLabels(dockerfile, { 'org.opencontainers.image.title': 'fibonacci', 'org.opencontainers.image.licenses': 'MIT' })).toBe(
      'FROM base\nCMD ["node"]\nLABEL org.opencontainers.image.title="fibonacci" org.opencontainers.image.licenses="MIT"\n',
    );
  });

  it('escapes quotes, variables and the escape character, so the value arrives as written', () => {
    expect(withLabels(dockerfile, { d: 'say "hi" for $5 C:\\tmp\nnext' }).split('\n').at(-2)).toBe('LABEL d="say \\"hi\\" for \\$5 C:\\\\tmp next"');
  });

  it("escapes with the character the Dockerfile's escape directive chooses", () => {
    expect(withLabels('# escape=`\nFROM base\n', { d: 'a"`$b\\' }).split('\n').at(-2)).toBe('LABEL d="a`"```$b\\"');
  });

  it('leaves the Dockerfile as it was when there is no label', () => {
    expect(withLabels(dockerfile, {})).toBe(dockerfile);
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
