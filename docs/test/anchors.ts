import GithubSlugger, { slug } from 'github-slugger';
import type { Token } from 'marked';

/** The ids a host gives a page's headings, in the order they come; a repeated heading gets -1, -2… on both. */
export interface Anchors {
  github: Set<string>;
  gitlab: Set<string>;
}

/**
 * GitHub lowercases the heading's text, drops punctuation and turns each space into a hyphen (github-slugger does
 * exactly that). GitLab does the same, then squeezes runs of hyphens into one: "A — B" is `a--b` on GitHub and
 * `a-b` on GitLab. A link that must work on both names a heading whose ids agree, or is checked against both.
 */
export function anchorsOf(headings: readonly string[]): Anchors {
  const github = new GithubSlugger();
  const gitlab = new GithubSlugger();
  return {
    github: new Set(headings.map((text) => github.slug(text))),
    // Slugging a slug changes nothing, so the second slugger only adds the -1, -2… of repeated ids.
    gitlab: new Set(headings.map((text) => gitlab.slug(slug(text).replace(/-{2,}/g, '-'), true))),
  };
}

/** The text a reader sees in a heading: code spans keep their text, emphasis and links their words, HTML tags go. */
export function plainText(tokens: readonly Token[]): string {
  return tokens
    .map((token) => {
      if (token.type === 'html') return '';
      if ('tokens' in token && token.tokens) return plainText(token.tokens);
      return 'text' in token && typeof token.text === 'string' ? token.text : '';
    })
    .join('');
}
