import { describe, expect, it } from 'vitest';
import { dockerfileBaseImage } from './base-image-facts.ts';

describe('the base image a Dockerfile builds on by default', () => {
  it("is its ARG NODE_IMAGE's default", () => {
    expect(dockerfileBaseImage('# x\nARG NODE_IMAGE=node:24-alpine@sha256:abc\nFROM ${NODE_IMAGE}\n', 'apps/a/Dockerfile')).toBe('node:24-alpine@sha256:abc');
  });

  it('is refused, naming the file, when there is none', () => {
    expect(() => dockerfileBaseImage('FROM node:24\n', 'apps/a/Dockerfile')).toThrow('apps/a/Dockerfile has no ARG NODE_IMAGE=<image> line: give the base image with --base-image');
  });
});
