import { readFileSync } from 'node:fs';
import { SourceMap } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';

/**
 * Stack frames in `bundle` name the TypeScript sources, through the source map beside it. Node's own source map
 * support (--enable-source-maps) does not cover code compiled by node:vm, which the bundle is (./code-cached-start.ts).
 * The map is read on the first stack trace that needs it, not at start.
 */
export function mapStackTracesOf(bundle: string): void {
  let sourceMap: SourceMap | undefined;
  const mapUrl = pathToFileURL(`${bundle}.map`);
  const original = (site: NodeJS.CallSite): string => {
    // eslint-disable-next-line @typescript-eslint/no-base-to-string -- V8's CallSite has its own toString, which @types/node leaves out
    const frame = site.toString();
    const [line, column] = [site.getLineNumber(), site.getColumnNumber()];
    if (site.getFileName() !== bundle || line === null || column === null) return frame;
    sourceMap ??= new SourceMap(JSON.parse(readFileSync(mapUrl, 'utf8')) as ConstructorParameters<typeof SourceMap>[0]);
    const entry = sourceMap.findEntry(line - 1, column - 1);
    if (!('originalSource' in entry)) return frame;
    const source = fileURLToPath(new URL(entry.originalSource, mapUrl));
    return frame.replace(`${bundle}:${String(line)}:${String(column)}`, `${source}:${String(entry.originalLine + 1)}:${String(entry.originalColumn + 1)}`);
  };
  Error.prepareStackTrace = (error: Error, sites: NodeJS.CallSite[]) => `${String(error)}${sites.map((site) => `\n    at ${original(site)}`).join('')}`;
}
