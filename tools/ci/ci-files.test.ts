import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments, type Tags } from 'yaml';
import { childPipeline } from './child-pipeline.ts';

/**
 * Rules every CI file keeps, read from the YAML itself (no GitLab needed): the root pipeline and every fragment
 * the child pipeline includes. How GitLab expands them is checked by pipeline.test.ts and deploy/ci-fragments.test.ts.
 */
const root = new URL('../../', import.meta.url);
const ciFiles = ['.gitlab-ci.yml', ...readdirSync(new URL('templates/ci/', root)).map((file) => `templates/ci/${file}`)];

type Job = Record<string, unknown> & { extends?: string | string[]; trigger?: unknown; timeout?: string };

// GitLab's `!reference [job, key]`, kept as a pointer until the file's jobs are known.
const customTags: Tags = [{ tag: '!reference', collection: 'seq', resolve: (seq) => ({ reference: seq.toJSON() as [string, string] }) }];
const scriptKeys = ['before_script', 'script', 'after_script'];
const globalKeywords = new Set(['stages', 'variables', 'workflow', 'include', 'default', 'spec']);

/** A CI file's inputs (its `spec:` header, if any) and its jobs, hidden templates included. */
function readCiFile(path: string): { inputs: Record<string, { default?: string }>; jobs: Record<string, Job> } {
  const documents = parseAllDocuments(readFileSync(new URL(path, root), 'utf8'), { customTags }).map((document) => document.toJS() as Record<string, unknown>);
  const body = documents.at(-1) ?? {};
  const header = documents.length > 1 ? (documents[0] as { spec?: { inputs?: Record<string, { default?: string }> } }) : {};
  const jobs = Object.fromEntries(Object.entries(body).filter(([name]) => !globalKeywords.has(name))) as Record<string, Job>;
  // A script's `!reference` lines are the lines it names, as GitLab runs them.
  const lines = (value: unknown): unknown[] =>
    Array.isArray(value) ? value.flatMap(lines) : value !== null && typeof value === 'object' && 'reference' in value ? lines(jobs[(value.reference as string[])[0] ?? '']?.[(value.reference as string[])[1] ?? '']) : [value];
  const resolved = Object.fromEntries(
    Object.entries(jobs).map(([name, job]) => [name, { ...job, ...Object.fromEntries(scriptKeys.filter((key) => key in job).map((key) => [key, lines(job[key])])) }]),
  );
  return { inputs: header.spec?.inputs ?? {}, jobs: resolved };
}

/** A job's keywords with those of the templates it extends under them, as GitLab merges them (one level per template). */
function merged(job: Job, jobs: Record<string, Job>): Job {
  const parents = [job.extends ?? []].flat().map((name) => merged(jobs[name] ?? {}, jobs));
  return Object.assign({}, ...parents, job) as Job;
}

/** The jobs GitLab runs (not hidden templates), merged with what they extend. */
function runnableJobs(path: string): [string, Job][] {
  const { jobs } = readCiFile(path);
  return Object.entries(jobs)
    .filter(([name]) => !name.startsWith('.'))
    .map(([name, job]) => [name, merged(job, jobs)]);
}

/** Every shell line of a job. */
const shellLines = (job: Job) => scriptKeys.flatMap((key) => [job[key] ?? []].flat()).map(String);

describe.each(ciFiles)('%s', (path) => {
  it('gives every job a timeout, so a stalled one frees its runner and its resource_group', () => {
    const jobs = runnableJobs(path);
    expect(jobs.length).toBeGreaterThan(0);
    // A trigger job takes no timeout: the child pipeline's own jobs have theirs.
    const withoutTimeout = jobs.filter(([, job]) => job.trigger === undefined && typeof job.timeout !== 'string').map(([name]) => name);
    expect(withoutTimeout).toEqual([]);
  });

  it('gives each timeout input a GitLab duration as its default', () => {
    const { inputs } = readCiFile(path);
    const timeouts = Object.entries(inputs).filter(([name]) => name.endsWith('timeout'));
    for (const [, input] of timeouts) expect(input.default).toMatch(/^\d+[mh]$/);
    for (const [, job] of runnableJobs(path)) if (job.timeout?.startsWith('$[[')) expect(timeouts.map(([name]) => `$[[ inputs.${name} ]]`)).toContain(job.timeout);
  });

  it('runs no package install script: every npm install passes --ignore-scripts', () => {
    const installs = runnableJobs(path).flatMap(([, job]) => shellLines(job)).filter((line) => /\bnpm (ci|install|i)\b/.test(line));
    expect(installs.filter((line) => !line.includes('--ignore-scripts'))).toEqual([]);
  });
});

describe.each(ciFiles.filter((path) => path.startsWith('templates/')))('%s, included by the child pipeline', (path) => {
  // Its jobs hold the registry password, the SSH key, the env file, the cloud token: they run the CLIs the parent
  // pipeline's build job bundled (dist/tools/*.mjs), or Node's own code, and never npm or the sources that need node_modules.
  it('installs no npm package and runs no tool that needs one', () => {
    const lines = runnableJobs(path).flatMap(([, job]) => shellLines(job));
    expect(lines.filter((line) => /\bnpm\b|\bnpx\b|node tools\/(docker|deploy\/cli)/.test(line))).toEqual([]);
  });

});

// The fragments with Node jobs (sign.yml has none: it runs in cosign's own image, which has no Node).
const nodeFragments = ciFiles.filter((path) => path.startsWith('templates/') && runnableJobs(path).some(([, job]) => shellLines(job).some((line) => line.startsWith('node '))));

describe.each(nodeFragments)('%s, whose jobs run Node', (path) => {
  // Nor do they pull what they never run: Debian's Node image carries git, python and compilers, and a shared
  // runner downloads the job's image for every job.
  it("runs its Node jobs in Node's Alpine image by default", () => {
    expect(readCiFile(path).inputs['node-image']?.default).toBe('node:24-alpine');
  });
});

it('finds the Node jobs of the fragments', () => {
  expect(nodeFragments).toEqual(expect.arrayContaining(['templates/ci/service.yml', 'templates/ci/deploy-droplet.yml', 'templates/ci/review-droplet.yml']));
});

describe('the child pipeline', () => {
  it('gives its "nothing to ship" job a timeout too', () => {
    const pipeline = childPipeline([], () => true) as Record<string, Job>;
    expect(pipeline['no-service-affected']?.timeout).toMatch(/^\d+[mh]$/);
  });
});

describe('the root pipeline', () => {
  it("sets none of the child jobs' tool settings: its trigger job passes its variables on to the child pipeline", () => {
    const sources = ['tools/docker/commands', 'tools/deploy'].flatMap((folder) =>
      readdirSync(new URL(`${folder}/`, root), { recursive: true, encoding: 'utf8' })
        .filter((file) => file.endsWith('.ts') && !file.endsWith('.test.ts'))
        .map((file) => readFileSync(new URL(`${folder}/${file}`, root), 'utf8')),
    );
    const toolSettings = new Set(sources.flatMap((source) => [...source.matchAll(/env: '([A-Z_]+)'/g)].map((match) => match[1])));
    expect(toolSettings).toContain('NODE_IMAGE');
    const { variables = {} } = parseAllDocuments(readFileSync(new URL('.gitlab-ci.yml', root), 'utf8'), { customTags })[0]?.toJS() as { variables?: object };
    expect(Object.keys(variables).filter((name) => toolSettings.has(name))).toEqual([]);
  });
});

describe('templates/ci/service.yml', () => {
  const jobs = Object.fromEntries(runnableJobs('templates/ci/service.yml'));
  const imageJob = '$[[ inputs.project ]]:image';

  it('builds once, pushes to the project registry with the job token, hands on the digest in a dotenv report and keeps the SBOM', () => {
    const job = jobs[imageJob] ?? expect.fail(`no ${imageJob} job`);
    const sbom = 'gl-sbom-$[[ inputs.project ]].cdx.json';
    expect(shellLines(job)).toEqual([
      `node dist/tools/docker.mjs build --project $[[ inputs.project ]] --registry gitlab --sbom ${sbom}`,
      'node dist/tools/docker.mjs push --project $[[ inputs.project ]] --registry gitlab --dotenv image.env',
    ]);
    expect(job.artifacts).toEqual({ paths: [sbom], reports: { dotenv: 'image.env', cyclonedx: sbom } });
  });

  // GitLab hands a dotenv report's variables only to the jobs that `needs` the job that wrote it.
  it('tests and releases that digest only: every job that takes TESTED_IMAGE needs the image job', () => {
    const takers = Object.entries(jobs).filter(([, job]) => shellLines(job).some((line) => line.includes('--image "$TESTED_IMAGE"')));
    expect(takers.map(([name]) => name).sort()).toEqual(['$[[ inputs.project ]]:release', '$[[ inputs.project ]]:test-image']);
    for (const [, job] of takers) expect(job.needs).toContain(imageJob);
  });

  it("keeps the released digest's provenance as an artifact as long as the release", () => {
    const job = jobs['$[[ inputs.project ]]:release'] ?? expect.fail('no release job');
    expect(shellLines(job)).toEqual([
      'node dist/tools/docker.mjs release --project $[[ inputs.project ]] --image "$TESTED_IMAGE" --dotenv release.env --provenance provenance.intoto.json --provenance-predicate provenance.predicate.json',
    ]);
    expect(job.artifacts).toEqual({ paths: ['provenance.intoto.json', 'provenance.predicate.json'], expire_in: 'never', reports: { dotenv: 'release.env' } });
  });
});
