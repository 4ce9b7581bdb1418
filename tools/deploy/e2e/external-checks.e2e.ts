import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ciJobScripts } from './support/ci-scripts.ts';
import { capture } from './support/processes.ts';

/**
 * The lints users run on what they fork, as they run them: Debian's ansible-lint and shellcheck (installed by
 * .ci/provision-deploy.sh; global-setup.ts fails the suite, saying so, when either is missing).
 */
describe('external checks', () => {
  const scratch = mkdtempSync(join(tmpdir(), 'external-checks-'));
  afterAll(() => {
    rmSync(scratch, { recursive: true, force: true });
  });

  it("the playbook passes ansible-lint's production profile", async () => {
    const lint = await capture('ansible-lint', ['--profile', 'production', '--nocolor', 'deploy.yml'], { cwd: 'tools/deploy/ansible' });
    expect(lint.code, `${lint.stdout}${lint.stderr}`).toBe(0);
  });

  it('the shell scripts of .ci/ and of the deploy jobs pass shellcheck', async () => {
    const scripts = [...readdirSync('.ci').map((file) => `.ci/${file}`), ...readdirSync('tools/deploy/gcloud').filter((file) => file.endsWith('.sh')).map((file) => `tools/deploy/gcloud/${file}`)];
    const check = await capture('shellcheck', ['--format', 'gcc', ...scripts]);
    expect(check.code, check.stdout + check.stderr).toBe(0);
  });

  // sh, not bash: GitLab runs a job's script with bash only when the image has it, and an alpine image has not.
  it("every CI job's script passes shellcheck as POSIX sh", async () => {
    const jobs = ciJobScripts(process.cwd());
    for (const file of ['.gitlab-ci.yml', ...readdirSync('templates/ci').map((name) => `templates/ci/${name}`)]) {
      expect(jobs.filter((job) => job.name.startsWith(`${file} `)).length, `no job script found in ${file}`).toBeGreaterThan(0);
    }
    const files = jobs.map((job, index) => {
      const path = join(scratch, `${String(index)}.sh`);
      writeFileSync(path, job.script);
      return { path, job };
    });
    const check = await capture('shellcheck', ['--shell', 'sh', '--format', 'gcc', ...files.map(({ path }) => path)]);
    const named = files.reduce((output, { path, job }) => output.replaceAll(path, `[${job.name}]`), check.stdout);
    expect(check.code, named + check.stderr).toBe(0);
  });
});
