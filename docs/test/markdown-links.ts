import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { Lexer, walkTokens, type Token, type Tokens } from 'marked';
import { anchorsOf, plainText, type Anchors } from './anchors.ts';

/** What the link check needs of one Markdown file: where its links point, and the anchors of its headings. */
interface Page {
  links: string[];
  anchors: Anchors;
}

function readPage(file: string): Page {
  const links: string[] = [];
  const headings: string[] = [];
  // The callback returns nothing, so neither does walkTokens: there is no promise to wait for.
  void walkTokens(Lexer.lex(readFileSync(file, 'utf8')), (token: Token) => {
    // Token also admits extensions' generic tokens, so a type check alone does not narrow it.
    if (token.type === 'link' || token.type === 'image') links.push((token as Tokens.Link | Tokens.Image).href);
    if (token.type === 'heading') headings.push(plainText((token as Tokens.Heading).tokens));
  });
  return { links, anchors: anchorsOf(headings) };
}

/** A URL with a scheme (https:, mailto:) or a host (//host) leaves the repository: it is not checked here. */
const external = /^(?:[a-z][a-z0-9+.-]*:|\/\/)/i;

/**
 * Every relative link in the given Markdown files (paths relative to root) that points to a file that does not
 * exist, or to a heading a Markdown file does not have on GitHub or on GitLab, as one line naming file and link.
 * A link starting with `/` is taken from the repository's root, as both hosts do.
 */
export function brokenLinks(root: string, files: readonly string[]): string[] {
  const pages = new Map<string, Page>();
  const pageAt = (file: string) => {
    let page = pages.get(file);
    if (!page) pages.set(file, (page = readPage(file)));
    return page;
  };
  const problems: string[] = [];

  for (const file of files) {
    const source = join(root, file);
    for (const link of pageAt(source).links) {
      if (external.test(link)) continue;
      const [path = '', fragment] = link.split('#', 2);
      const anchor = fragment === undefined ? undefined : decodeURIComponent(fragment);
      const target = path === '' ? source : path.startsWith('/') ? join(root, decodeURI(path)) : join(dirname(source), decodeURI(path));
      const shown = relative(root, target);
      if (!existsSync(target)) {
        problems.push(`${file}: link "${link}": ${shown} does not exist`);
        continue;
      }
      if (anchor === undefined || !target.endsWith('.md')) continue;
      const { github, gitlab } = pageAt(target).anchors;
      const missingOn = [github.has(anchor) ? [] : ['GitHub'], gitlab.has(anchor) ? [] : ['GitLab']].flat();
      if (missingOn.length > 0) problems.push(`${file}: link "${link}": ${shown} has no heading #${anchor} on ${missingOn.join(' or ')}`);
    }
  }
  return problems;
}
