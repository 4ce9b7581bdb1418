import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { checkoutTemplates, hasTemplatesVersion, shortVersion } from '../../lib/templates-version.ts';
import type { WorkspaceService } from '../../lib/workspace.ts';
import { serviceFolder } from '../app/render.ts';
import type { Templates } from './plan.ts';

/**
 * Finds the templates each service was rendered from (`from`, the version --from names, wins over the recorded one),
 * checked out of git once per version into `scratch`; the current ones need no checkout.
 */
export function baseTemplatesFinder(scratch: string, current: Templates, from: string | undefined) {
  const fix = 'name the commit whose templates/ it was rendered from: --from <commit>';
  return (service: WorkspaceService): Templates => {
    const version = from ?? service.templateVersion;
    if (version === undefined) {
      throw new Error(`${serviceFolder(service.name)}/project.json records no templateVersion (it was scaffolded outside git, or before versions were recorded); ${fix}`);
    }
    if (version === current.version) return current;
    if (!hasTemplatesVersion(current.root, version)) {
      throw new Error(
        `${serviceFolder(service.name)} was rendered from templates ${shortVersion(version)}, which this clone does not have ` +
          `(a shallow clone: run git fetch --unshallow; or templates that were never committed); or ${fix}`,
      );
    }
    const root = join(scratch, version);
    if (!existsSync(root)) checkoutTemplates(current.root, version, root);
    return { root, version };
  };
}
