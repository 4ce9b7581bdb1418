import { readFile, writeFile } from 'node:fs/promises';

/** Where `npm run bench -- --update-docs` puts its tables, relative to the workspace root. */
export const benchmarksPage = 'docs/benchmarks.md';

const generated = /(<!-- bench:start -->\n)[\s\S]*?(<!-- bench:end -->)/;

/** The page with the tables between its bench markers replaced; what stands outside them is written by hand. */
export function withBenchTables(page: string, tables: string): string {
  if (!generated.test(page)) throw new Error(`${benchmarksPage} has no <!-- bench:start --> … <!-- bench:end --> markers`);
  return page.replace(generated, (_match, start: string, end: string) => `${start}${tables}${end}`);
}

export async function updateBenchmarksPage(file: string, tables: string): Promise<void> {
  await writeFile(file, withBenchTables(await readFile(file, 'utf8'), tables));
}
