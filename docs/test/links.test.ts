import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { brokenLinks } from './markdown-links.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));
const pages = readdirSync(join(root, 'docs'))
  .filter((name) => name.endsWith('.md'))
  .map((name) => `docs/${name}`);
const readme = readFileSync(join(root, 'README.md'), 'utf8');

describe('README.md and the pages in docs/', () => {
  it('README.md is a short front door: at most 10 000 characters', () => {
    expect(readme.length, 'move the detail into a page in docs/ and link to it').toBeLessThanOrEqual(10_000);
  });

  it('README.md links to every page in docs/', () => {
    const unlinked = pages.filter((page) => !readme.includes(`](${page}`));
    expect(unlinked, 'pages no README link leads to').toEqual([]);
  });

  it('every relative link points to a file that exists and, in a Markdown file, to a heading it has', () => {
    expect(brokenLinks(root, ['README.md', ...pages])).toEqual([]);
  });
});
