import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DockerfileParser } from 'dockerfile-ast';
import { describe, expect, it } from 'vitest';

const appsDir = fileURLToPath(new URL('../../apps', import.meta.url));
const services = readdirSync(appsDir).filter((name) => existsSync(join(appsDir, name, 'Dockerfile')));

interface ProjectJson {
  metadata: { service: { port: number } };
}

/** The rules every service image follows, checked on the Dockerfile itself, no Docker engine needed. */
describe.each(services)('apps/%s/Dockerfile', (name) => {
  const dockerfile = DockerfileParser.parse(readFileSync(join(appsDir, name, 'Dockerfile'), 'utf8'));
  const instructions = dockerfile.getInstructions().map((instruction) => ({
    keyword: instruction.getKeyword(),
    args: instruction.getArgumentsContent() ?? '',
    text: instruction.getTextContent(),
  }));
  const all = (keyword: string) => instructions.filter((instruction) => instruction.keyword === keyword);
  const project = JSON.parse(readFileSync(join(appsDir, name, 'project.json'), 'utf8')) as ProjectJson;

  it('parses with no syntax problems', () => {
    expect(instructions.length).toBeGreaterThan(0);
    expect(dockerfile.getInstructions().every((instruction) => instruction.getKeyword() === instruction.getKeyword().toUpperCase())).toBe(true);
  });

  it('takes its base image from the NODE_IMAGE build argument, defaulting to Node 24 pinned by digest', () => {
    const [first] = instructions;
    expect(first?.keyword).toBe('ARG');
    expect(first?.args).toMatch(/^NODE_IMAGE=node:24[-\w.]*@sha256:[0-9a-f]{64}$/);
    expect(all('FROM').map((from) => from.args)).toEqual(['${NODE_IMAGE}']);
  });

  it('copies only the bundle and runs it as a non-root user', () => {
    expect(all('COPY').map((copy) => copy.text)).toEqual(['COPY --chown=0:0 dist/ ./']);
    const [user] = all('USER');
    expect(user?.args).toMatch(/^[1-9]\d*(:[1-9]\d*)?$/);
    expect(all('CMD').at(-1)?.args).toBe('["node", "server/main.mjs"]');
  });

  it('checks its own health with node, not curl', () => {
    const [healthcheck] = all('HEALTHCHECK');
    expect(healthcheck?.args).toContain('CMD ["node", "-e"');
    expect(healthcheck?.args).toContain('/health');
    expect(healthcheck?.args).not.toMatch(/curl|wget/);
  });

  it('listens on the port recorded in project.json', () => {
    const { port } = project.metadata.service;
    expect(all('EXPOSE').map((expose) => expose.args)).toEqual([String(port)]);
    expect(all('ENV').map((env) => env.args).join(' ')).toContain(`PORT=${port}`);
  });

  it('has a .dockerignore that sends only dist/, source maps included, so stack traces name the sources', () => {
    const ignore = readFileSync(join(appsDir, name, '.dockerignore'), 'utf8').split('\n');
    expect(ignore).toEqual(expect.arrayContaining(['*', '!dist/']));
    expect(ignore.filter((line) => line.includes('.map'))).toEqual([]);
  });
});
