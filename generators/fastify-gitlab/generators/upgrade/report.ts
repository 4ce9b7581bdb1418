import { posix } from 'node:path';
import { shortVersion } from '../../lib/templates-version.ts';
import { serviceFolder } from '../app/render.ts';
import { unifiedDiff } from './git-text.ts';
import { hasConflicts, type ServiceUpgrade } from './plan.ts';

const versionName = (version: string | undefined) => (version === undefined ? 'unknown templates' : `templates ${shortVersion(version)}`);

/** What an upgrade did (or, in a dry run, would do) to a service: one line per file it touches, then its version. */
export function describeUpgrade(upgrade: ServiceUpgrade): string {
  const folder = serviceFolder(upgrade.name);
  if (upgrade.changes.length === 0) {
    return upgrade.from === upgrade.to
      ? `${folder}: rendered from the current templates (${shortVersion(upgrade.to)}), nothing to upgrade`
      : `${folder}: ${versionName(upgrade.from)} → ${shortVersion(upgrade.to)} change nothing in it`;
  }
  const lines = upgrade.changes
    .filter((change) => change.outcome !== 'recorded')
    .map((change) => {
      const note = change.outcome === 'kept deleted' ? ' (you deleted it; the templates changed it)' : '';
      return `  ${change.outcome.padEnd(12)}  ${posix.relative(folder, change.path)}${note}`;
    });
  if (upgrade.recorded) lines.push(`  project.json records templateVersion ${shortVersion(upgrade.to)} now`);
  else if (hasConflicts(upgrade)) lines.push("  project.json's templateVersion stays as it was until the conflicts are resolved");
  const versions = upgrade.from === upgrade.to ? versionName(upgrade.to) : `${versionName(upgrade.from)} → ${shortVersion(upgrade.to)}`;
  return [`${folder}: ${versions}`, ...lines].join('\n');
}

/** A unified diff for each file an upgrade writes, for --dry-run. */
export function diffsOf(upgrade: ServiceUpgrade): string[] {
  return upgrade.changes.flatMap((change) => (change.after === undefined ? [] : unifiedDiff(change.path, change.before, change.after)));
}

/** The closing word on conflicts: which files, how to read the markers, and what to run next (or to undo). */
export function conflictsMessage(upgrades: readonly ServiceUpgrade[], dryRun: boolean): string | undefined {
  const conflicted = upgrades.filter(hasConflicts);
  const paths = conflicted.flatMap((upgrade) => upgrade.changes.filter((change) => change.outcome === 'conflict').map((change) => change.path));
  if (paths.length === 0) return undefined;
  const list = paths.map((path) => `  ${path}`);
  if (dryRun) return ['The upgrade would leave conflict markers in these files (nothing was written):', ...list].join('\n');
  return [
    `The upgrade left conflicts in ${paths.length} file${paths.length === 1 ? '' : 's'}:`,
    ...list,
    "Each <<<<<<< yours … >>>>>>> block holds your lines, the old template's (after |||||||) and the new one's (after =======).",
    'Resolve them, then record the new templates version:',
    ...conflicted.map((upgrade) => `  npx yo fastify-gitlab:upgrade ${upgrade.name} --continue`),
    `Or undo the upgrade: git checkout -- ${conflicted.map((upgrade) => serviceFolder(upgrade.name)).join(' ')}, and delete the files it added.`,
  ].join('\n');
}
