import { describe, expect, it } from 'vitest';
import { provenanceErrors } from '../testing/provenance-schema.ts';
import { provenanceStatement, type ReleasedImage } from './provenance.ts';

const sha = '3f1c0ffee3f1c0ffee3f1c0ffee3f1c0ffee3f1c';
const digest = `sha256:${'a'.repeat(64)}`;
const baseDigest = 'b'.repeat(64);
/** What GitLab sets in a release job of a v1.2.3 tag pipeline. */
const tagPipeline = {
  CI_SERVER_URL: 'https://gitlab.example.com',
  CI_SERVER_VERSION: '18.6.0',
  CI_PROJECT_URL: 'https://gitlab.example.com/acme/fastify-services',
  CI_COMMIT_SHA: sha,
  CI_COMMIT_REF_NAME: 'v1.2.3',
  CI_COMMIT_TAG: 'v1.2.3',
  CI_PIPELINE_ID: '4242',
  CI_PIPELINE_URL: 'https://gitlab.example.com/acme/fastify-services/-/pipelines/4242',
  CI_PIPELINE_SOURCE: 'push',
  CI_PIPELINE_CREATED_AT: '2026-11-29T15:00:00Z',
  CI_JOB_URL: 'https://gitlab.example.com/acme/fastify-services/-/jobs/777',
};
const released: ReleasedImage = {
  project: 'fibonacci',
  repository: 'registry.example.com/acme/fibonacci',
  digest,
  tags: ['1.2.3', '1.2', '1'],
  tested: `registry.gitlab.example.com/acme/fastify-services/fibonacci@${digest}`,
  baseImage: `node:24-alpine@sha256:${baseDigest}`,
  baseDigest: undefined,
};

describe('provenanceStatement', () => {
  const statement = provenanceStatement(released, tagPipeline, new Date('2026-11-29T15:10:00Z'));

  it('is an in-toto Statement v1 with a SLSA Provenance v1 predicate, by their schema', () => {
    expect(provenanceErrors(statement)).toBeUndefined();
  });

  it('has the released digest as its subject, and the commit, pipeline and builder it came from', () => {
    expect(statement.subject).toEqual([{ name: 'registry.example.com/acme/fibonacci', digest: { sha256: 'a'.repeat(64) } }]);
    const { buildDefinition, runDetails } = statement.predicate;
    expect(buildDefinition.buildType).toBe(`https://gitlab.example.com/acme/fastify-services/-/blob/${sha}/templates/ci/service.yml`);
    expect(buildDefinition.externalParameters).toMatchObject({ source: { uri: 'git+https://gitlab.example.com/acme/fastify-services', ref: 'refs/tags/v1.2.3' }, project: 'fibonacci' });
    expect(buildDefinition.resolvedDependencies).toEqual([
      { uri: 'git+https://gitlab.example.com/acme/fastify-services@refs/tags/v1.2.3', digest: { gitCommit: sha } },
      { name: `node:24-alpine@sha256:${baseDigest}`, digest: { sha256: baseDigest } },
    ]);
    expect(runDetails).toEqual({
      builder: { id: 'https://gitlab.example.com', version: { gitlab: '18.6.0' } },
      metadata: { invocationId: tagPipeline.CI_PIPELINE_URL, startedOn: '2026-11-29T15:00:00Z', finishedOn: '2026-11-29T15:10:00.000Z' },
    });
  });

  it('takes the digest a base given by tag was pulled at, from its label', () => {
    const pulled = provenanceStatement({ ...released, baseImage: 'node:24-alpine', baseDigest: `sha256:${baseDigest}` }, tagPipeline, new Date());
    expect(pulled.predicate.buildDefinition.resolvedDependencies[1]).toEqual({ name: 'node:24-alpine', digest: { sha256: baseDigest } });
  });

  it('names a base image given by tag only as a parameter, not as a dependency with fixed bytes', () => {
    const fromTag = provenanceStatement({ ...released, baseImage: 'local/node:24' }, { ...tagPipeline, CI_COMMIT_TAG: '', CI_COMMIT_REF_NAME: 'main' }, new Date());
    expect(provenanceErrors(fromTag)).toBeUndefined();
    expect(fromTag.predicate.buildDefinition.externalParameters).toMatchObject({ baseImage: 'local/node:24', source: { ref: 'refs/heads/main' } });
    expect(fromTag.predicate.buildDefinition.resolvedDependencies).toHaveLength(1);
  });

  it('refuses outside a GitLab job, naming the variables it lacks', () => {
    const partial = { ...tagPipeline, CI_PIPELINE_URL: undefined, CI_JOB_URL: '' };
    expect(() => provenanceStatement(released, partial, new Date())).toThrow("--provenance describes a GitLab pipeline's build, but CI_PIPELINE_URL, CI_JOB_URL are not set: run it in the release job");
  });

  it('the schema rejects a statement without a subject digest or with a builder that is no URI', () => {
    expect(provenanceErrors({ ...statement, subject: [{ name: 'x' }] })).toMatch(/subject\/0 must have required property 'digest'/);
    expect(provenanceErrors({ ...statement, predicate: { ...statement.predicate, runDetails: { builder: { id: 'not a uri' } } } })).toMatch(/builder\/id must match format "uri"/);
  });
});
