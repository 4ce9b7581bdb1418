import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments, type CollectionTag } from 'yaml';

export interface JobScript {
  /** `<file> <job> <keys>`, e.g. `templates/ci/service.yml $[[ inputs.project ]]:image before_script+script`. */
  name: string;
  /** The lines GitLab runs in one shell: before_script then script, or after_script alone. */
  script: string;
}

/** `!reference [job, key]`, kept as a pointer and resolved against the same file's jobs. */
const reference: CollectionTag = {
  tag: '!reference',
  collection: 'seq',
  resolve: (seq) => ({ reference: seq.toJSON() as [string, string] }),
};

/**
 * The shell of every job (hidden templates and `default` included) in .gitlab-ci.yml and templates/ci/*.yml, as
 * GitLab hands it to the job's shell. Each input `$[[ inputs.x ]]` becomes the word `input_x`: what a value
 * brings is checked where the inputs are declared (their `options` and `regex`), not here.
 */
export function ciJobScripts(root: string): JobScript[] {
  const files = ['.gitlab-ci.yml', ...readdirSync(join(root, 'templates/ci')).filter((file) => file.endsWith('.yml')).map((file) => `templates/ci/${file}`)];
  return files.flatMap((file) => {
    const text = readFileSync(join(root, file), 'utf8').replace(/\$\[\[\s*inputs\.([\w-]+)[^\]]*\]\]/g, (_, input: string) => `input_${input.replaceAll('-', '_')}`);
    const jobs = (parseAllDocuments(text, { customTags: [reference], merge: true }).at(-1)?.toJS() ?? {}) as Record<string, Record<string, unknown> | null>;
    const lines = (value: unknown): string[] => {
      if (Array.isArray(value)) return value.flatMap(lines);
      if (typeof value === 'string') return [value];
      if (value !== null && typeof value === 'object' && 'reference' in value) {
        const [job = '', key = ''] = (value as { reference: string[] }).reference;
        return lines(jobs[job]?.[key]);
      }
      return [];
    };
    return Object.entries(jobs).flatMap(([job, definition]) =>
      [['before_script', 'script'], ['after_script']].flatMap((keys) => {
        const script = keys.flatMap((key) => lines(definition?.[key]));
        return script.length > 0 ? [{ name: `${file} ${job} ${keys.join('+')}`, script: `${script.join('\n')}\n` }] : [];
      }),
    );
  });
}
