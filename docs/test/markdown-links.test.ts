import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { brokenLinks } from './markdown-links.ts';

const root = mkdtempSync(join(tmpdir(), 'markdown-links-'));
afterAll(() => {
  rmSync(root, { recursive: true, force: true });
});

function write(files: Record<string, string>) {
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(root, path, '..'), { recursive: true });
    writeFileSync(join(root, path), text);
  }
}

write({
  'docs/page.md': [
    '# A page',
    '## `npm test` on a *fresh* clone',
    '## Deploy',
    '## Deploy',
    '## Droplet: Docker over SSH, blue/green',
    '## Before — after',
    '',
    '[up](../README.md#the-front) [same page](#deploy-1) [tree](../apps)',
  ].join('\n'),
  'apps/app.ts': '',
  'README.md': [
    '# The front',
    '[code](docs/page.md#npm-test-on-a-fresh-clone) [slash](docs/page.md#droplet-docker-over-ssh-bluegreen) ',
    '[root](/apps/app.ts) [web](https://example.com/x.md#y) [mail](mailto:a@example.com) ![logo](docs/logo.png)',
    '| table |',
    '| --- |',
    '| [gone](docs/gone.md) |',
    '[ref][r] [no heading](docs/page.md#nope) [github only](docs/page.md#before--after) [gitlab only](docs/page.md#before-after)',
    '',
    '[r]: docs/page.md#deploy',
  ].join('\n'),
});

describe('brokenLinks', () => {
  it('names the file and the link of each relative link to a missing file or heading, on GitHub and on GitLab', () => {
    expect(brokenLinks(root, ['README.md', 'docs/page.md'])).toEqual([
      'README.md: link "docs/logo.png": docs/logo.png does not exist',
      'README.md: link "docs/gone.md": docs/gone.md does not exist',
      'README.md: link "docs/page.md#nope": docs/page.md has no heading #nope on GitHub or GitLab',
      'README.md: link "docs/page.md#before--after": docs/page.md has no heading #before--after on GitLab',
      'README.md: link "docs/page.md#before-after": docs/page.md has no heading #before-after on GitHub',
    ]);
  });

  it('finds nothing when every link resolves', () => {
    expect(brokenLinks(root, ['docs/page.md'])).toEqual([]);
  });
});
