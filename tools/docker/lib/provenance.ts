import { CliError } from './errors.ts';

/** An in-toto ResourceDescriptor: what an artifact or input is, by name or URI and digest. */
export interface ResourceDescriptor {
  name?: string;
  uri?: string;
  digest?: Record<string, string>;
}

/** An in-toto Statement v1 whose predicate is SLSA Provenance v1 (slsa.dev/spec/v1.0/provenance). */
export interface ProvenanceStatement {
  _type: 'https://in-toto.io/Statement/v1';
  subject: ResourceDescriptor[];
  predicateType: 'https://slsa.dev/provenance/v1';
  predicate: {
    buildDefinition: {
      buildType: string;
      externalParameters: Record<string, unknown>;
      internalParameters: Record<string, unknown>;
      resolvedDependencies: ResourceDescriptor[];
    };
    runDetails: {
      builder: { id: string; version: Record<string, string> };
      metadata: { invocationId: string; startedOn?: string; finishedOn: string };
    };
  };
}

export interface ReleasedImage {
  project: string;
  /** The repository the release pushed to, and the digest it serves. */
  repository: string;
  digest: string;
  tags: string[];
  /** The image the pipeline built and tested, <repository>@<digest>. */
  tested: string;
  /** The base image the build named (its org.opencontainers.image.base.name label), when it did. */
  baseImage: string | undefined;
  /** The base image's registry digest (its org.opencontainers.image.base.digest label), when it came from one. */
  baseDigest: string | undefined;
}

/** What GitLab sets in every job, which the statement is made of. */
const REQUIRED = ['CI_SERVER_URL', 'CI_PROJECT_URL', 'CI_COMMIT_SHA', 'CI_COMMIT_REF_NAME', 'CI_PIPELINE_ID', 'CI_PIPELINE_URL', 'CI_JOB_URL'] as const;

const PINNED_BASE = /@sha256:(?<hex>[0-9a-f]{64})$/;

type ProvenanceVariables = Record<(typeof REQUIRED)[number], string>;

/** The GitLab variables the statement is made of; refuses, naming those missing, outside a GitLab job. */
export function requireProvenanceVariables(env: NodeJS.ProcessEnv): ProvenanceVariables {
  const missing = REQUIRED.filter((name) => !env[name]);
  if (missing.length > 0) throw new CliError(`--provenance describes a GitLab pipeline's build, but ${missing.join(', ')} ${missing.length === 1 ? 'is' : 'are'} not set: run it in the release job`);
  return Object.fromEntries(REQUIRED.map((name) => [name, env[name] ?? ''])) as ProvenanceVariables;
}

function gitRef({ CI_COMMIT_TAG: tag, CI_COMMIT_REF_NAME: ref }: NodeJS.ProcessEnv): string {
  return tag ? `refs/tags/${tag}` : `refs/heads/${ref ?? ''}`;
}

/** The base image as a resolved dependency, by the digest it was pinned to or pulled at; a tag alone names no fixed bytes. */
function baseDependency({ baseImage, baseDigest }: ReleasedImage): ResourceDescriptor[] {
  const hex = (baseImage === undefined ? undefined : PINNED_BASE.exec(baseImage)?.groups?.hex) ?? PINNED_BASE.exec(`@${baseDigest ?? ''}`)?.groups?.hex;
  return baseImage === undefined || hex === undefined ? [] : [{ name: baseImage, digest: { sha256: hex } }];
}

/**
 * The provenance of a released image, from the release job's GitLab variables: which commit of which project, in
 * which pipeline, on which GitLab, built the image whose digest is the subject. The build is the project's own CI
 * definition at that commit (templates/ci/service.yml), so that is the build type a verifier looks up.
 */
export function provenanceStatement(image: ReleasedImage, env: NodeJS.ProcessEnv, finishedOn: Date): ProvenanceStatement {
  const { CI_SERVER_URL, CI_PROJECT_URL, CI_COMMIT_SHA, CI_PIPELINE_ID, CI_PIPELINE_URL, CI_JOB_URL } = requireProvenanceVariables(env);
  const { CI_SERVER_VERSION, CI_PIPELINE_SOURCE, CI_PIPELINE_CREATED_AT } = env;
  const [algorithm, hex] = image.digest.split(':');
  if (algorithm !== 'sha256' || hex === undefined) throw new CliError(`the released digest "${image.digest}" is not sha256:<hex>`);
  const source = `git+${CI_PROJECT_URL}`;
  return {
    _type: 'https://in-toto.io/Statement/v1',
    subject: [{ name: image.repository, digest: { sha256: hex } }],
    predicateType: 'https://slsa.dev/provenance/v1',
    predicate: {
      buildDefinition: {
        buildType: `${CI_PROJECT_URL}/-/blob/${CI_COMMIT_SHA}/templates/ci/service.yml`,
        externalParameters: {
          source: { uri: source, ref: gitRef(env) },
          project: image.project,
          tags: image.tags,
          pipelineSource: CI_PIPELINE_SOURCE ?? '',
          ...(image.baseImage === undefined ? {} : { baseImage: image.baseImage }),
        },
        internalParameters: { pipelineId: CI_PIPELINE_ID, releaseJob: CI_JOB_URL, testedImage: image.tested },
        resolvedDependencies: [
          { uri: `${source}@${gitRef(env)}`, digest: { gitCommit: CI_COMMIT_SHA } },
          ...baseDependency(image),
        ],
      },
      runDetails: {
        builder: { id: CI_SERVER_URL, version: CI_SERVER_VERSION ? { gitlab: CI_SERVER_VERSION } : {} },
        metadata: {
          invocationId: CI_PIPELINE_URL,
          ...(CI_PIPELINE_CREATED_AT ? { startedOn: CI_PIPELINE_CREATED_AT } : {}),
          finishedOn: finishedOn.toISOString(),
        },
      },
    },
  };
}

/** The statement, or its bare predicate (what cosign attest takes), as the release job writes them. */
export function provenanceFile(content: ProvenanceStatement | ProvenanceStatement['predicate']): string {
  return `${JSON.stringify(content, null, 2)}\n`;
}
