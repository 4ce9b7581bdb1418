import { existsSync, readFileSync } from 'node:fs';
import { join, posix } from 'node:path';
import { fileURLToPath } from 'node:url';
import ejs from 'ejs';
import { deployTargets, registries, type ServiceAnswers } from '../../lib/answers.ts';
import { appsFolder } from '../../lib/workspace.ts';
import { fileGroups, type Owner } from './files.ts';

/** The workspace's templates/ folder: the generator renders the templates of the repository it lives in. */
export const templatesRoot = fileURLToPath(new URL('../../../../templates/', import.meta.url));

export interface RenderedFile {
  /** From the workspace root, with forward slashes, e.g. apps/orders/src/app.ts. */
  path: string;
  contents: string;
  owner: Owner;
}

export const serviceFolder = (name: string) => posix.join(appsFolder, name);

/** Which templates a service is rendered from. */
export interface TemplateSource {
  /** The templates folder: this workspace's, or an older version's checked out in a temporary folder. */
  root: string;
  /** The templates version recorded in project.json (lib/templates-version.ts); none outside git. */
  version: string | undefined;
  /** An older version may lack templates added since: render the ones it has. */
  partial?: boolean;
}

/**
 * The files of a service, rendered from the templates with its answers; nothing is read but the templates and
 * nothing is written, so both generators and the drift test share it.
 */
export function renderService(answers: ServiceAnswers, owners: readonly Owner[], source: TemplateSource): RenderedFile[] {
  const data = templateData(answers, source.version);
  return fileGroups
    .filter((group) => owners.includes(group.owner) && (group.when?.(answers) ?? true))
    .flatMap((group) =>
      group.templates.flatMap((template) => {
        const filename = join(source.root, group.from, `${template}.ejs`);
        if (source.partial && !existsSync(filename)) return [];
        return {
          path: posix.join(serviceFolder(answers.name), group.to, template),
          contents: ejs.render(readFileSync(filename, 'utf8'), data, { filename }),
          owner: group.owner,
        };
      }),
    );
}

/** Every scaffold-owned path a service may have under any answers: the ones its answers don't render are stale. */
export function possibleScaffoldPaths(name: string): string[] {
  return fileGroups
    .filter((group) => group.owner === 'scaffold')
    .flatMap((group) => group.templates.map((template) => posix.join(serviceFolder(name), group.to, template)));
}

/** What a template sees: the answers, the human wording of the choices, and encoders for values in code. */
function templateData(answers: ServiceAnswers, templateVersion: string | undefined) {
  return {
    ...answers,
    templateVersion,
    registryLabel: registries[answers.registry],
    deployLabel: deployTargets[answers.deploy],
    json: (value: unknown) => JSON.stringify(value),
    tsString,
  };
}

/** A single-quoted TypeScript string literal, the quotes the workspace's sources use. */
function tsString(text: string): string {
  return `'${text.replaceAll('\\', '\\\\').replaceAll("'", "\\'")}'`;
}
