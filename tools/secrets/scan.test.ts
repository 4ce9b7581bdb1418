import { describe, expect, it } from 'vitest';
import { formatFinding, isBinary, scanSource } from './scan.ts';
import { plantedGitLabToken } from './testing/planted.ts';

describe('scanSource', () => {
  it('finds a planted token, naming the file, the line and the rule, with the value masked', async () => {
    const token = plantedGitLabToken();
    const findings = await scanSource({ file: 'app/config.js', content: `export const port = 3000;\nexport const token = '${token}';\n` });
    expect(findings).toEqual([{ file: 'app/config.js', line: 2, column: 23, rule: '@secretlint/secretlint-rule-gitlab', message: expect.stringMatching(/^found GitLab Personal Access Token: \*+$/) as string }]);
    expect(findings.map(formatFinding)).toEqual([expect.stringMatching(/^app\/config\.js:2:23 {2}@secretlint\/secretlint-rule-gitlab {2}found GitLab Personal Access Token: \*+$/)]);
    expect(JSON.stringify(findings)).not.toContain(token.slice(6));
  });

  it('finds nothing in code that names secrets without holding one', async () => {
    const content = Buffer.from("const token = process.env.CI_REGISTRY_PASSWORD;\n// e.g. GITLAB_TOKEN=glpat-...\n");
    expect(await scanSource({ file: 'src/registry.ts', content })).toEqual([]);
  });
});

describe('isBinary', () => {
  it('takes a NUL byte near the start for a binary file, as git does', () => {
    expect(isBinary(Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0x00, 0x01]))).toBe(true);
    expect(isBinary(Buffer.from('plain text\n'))).toBe(false);
  });
});
