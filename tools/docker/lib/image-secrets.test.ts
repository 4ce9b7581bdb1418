import { describe, expect, it } from 'vitest';
import { configSources, sharedPrefix } from './image-secrets.ts';

describe('configSources', () => {
  it("turns the image's environment, labels, commands and history into named texts to scan", () => {
    const sources = configSources({
      config: { Env: ['PORT=3000', 'NODE_ENV=production'], Labels: { 'org.opencontainers.image.title': 'fibonacci' }, Entrypoint: null, Cmd: ['node', 'server/main.mjs'] },
      history: [{ created_by: 'ARG NODE_IMAGE' }, {}, { created_by: '|1 VERSION=1.2.3 /bin/sh -c #(nop) ENV SERVICE_VERSION=1.2.3' }],
      rootfs: { diff_ids: [] },
    });
    expect(sources).toEqual([
      { file: 'image config: Env', content: 'PORT=3000\nNODE_ENV=production' },
      { file: 'image config: Labels', content: 'org.opencontainers.image.title=fibonacci' },
      { file: 'image config: Entrypoint and Cmd', content: 'node\nserver/main.mjs' },
      { file: 'image history', content: 'ARG NODE_IMAGE\n\n|1 VERSION=1.2.3 /bin/sh -c #(nop) ENV SERVICE_VERSION=1.2.3' },
    ]);
  });
});

describe('sharedPrefix', () => {
  it("counts the base image's layers at the start of the image, in order", () => {
    expect(sharedPrefix(['sha256:a', 'sha256:b', 'sha256:c'], ['sha256:a', 'sha256:b'])).toBe(2);
    expect(sharedPrefix(['sha256:a', 'sha256:c'], ['sha256:a', 'sha256:b'])).toBe(1);
    expect(sharedPrefix(['sha256:a'], [])).toBe(0);
  });
});
