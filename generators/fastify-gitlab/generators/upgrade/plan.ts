import { existsSync, readFileSync } from 'node:fs';
import { join, posix } from 'node:path';
import type { ServiceAnswers } from '../../lib/answers.ts';
import { shortVersion } from '../../lib/templates-version.ts';
import type { WorkspaceService } from '../../lib/workspace.ts';
import { everyOwner } from '../app/files.ts';
import { renderService, serviceFolder } from '../app/render.ts';
import { mergeTexts, type ThreeVersions } from './git-text.ts';

/**
 * What an upgrade does to one file of a service:
 *   updated       only the templates changed it: the new render replaces it
 *   merged        the service and the templates changed different lines: both changes are kept
 *   conflict      both changed the same lines: written with conflict markers, to resolve by hand
 *   added         the current templates have it, the ones it was rendered from did not
 *   kept deleted  the service deleted it, the templates changed it: it stays deleted
 *   recorded      nothing but the templates version in project.json changes
 */
export type Outcome = 'updated' | 'merged' | 'conflict' | 'added' | 'kept deleted' | 'recorded';

export interface FileChange {
  /** From the workspace root. */
  path: string;
  outcome: Outcome;
  /** The file as it is; undefined when it is not there. */
  before: string | undefined;
  /** What the upgrade writes; undefined when it writes nothing (kept deleted). */
  after: string | undefined;
}

export interface ServiceUpgrade {
  name: string;
  /** The version the service's files are merged from (the recorded one, or --from), and the one they go to. */
  from: string | undefined;
  to: string;
  changes: FileChange[];
  /** Whether project.json's templateVersion moves to `to`: only when no file has a conflict. */
  recorded: boolean;
}

export const hasConflicts = (upgrade: Pick<ServiceUpgrade, 'changes'>) => upgrade.changes.some((change) => change.outcome === 'conflict');

/** A templates folder and its version (lib/templates-version.ts). */
export interface Templates {
  root: string;
  version: string;
}

const conflictMarker = /^(?:<{7}|>{7})(?: |$)/m;

/**
 * The upgrade of one service, decided file by file from three versions: the service as it is (ours), as the
 * templates it was rendered from render it (base), and as the current ones do (theirs). Every file the templates
 * render takes part, the service's own ones too: they came from the templates once. Nothing is written here.
 * `recordAlways`: move the recorded version even when no file changes, e.g. when the base was named with --from.
 */
export function planServiceUpgrade(root: string, service: WorkspaceService, base: Templates, current: Templates, recordAlways: boolean): ServiceUpgrade {
  const answers = answersOf(service);
  // Both renders write the version the service records, so project.json differs by what the templates changed only.
  const recorded = service.templateVersion;
  const rendered = new Map(renderService(answers, everyOwner, { root: base.root, version: recorded, partial: true }).map((file) => [file.path, file.contents]));
  const labels = { ours: 'yours', base: `templates ${shortVersion(base.version)}`, theirs: `templates ${shortVersion(current.version)}` };
  const changes = renderService(answers, everyOwner, { root: current.root, version: recorded }).flatMap(
    (file) => upgradeFile(file.path, { ours: readIfPresent(root, file.path), base: rendered.get(file.path), theirs: file.contents }, labels) ?? [],
  );
  const upgrade: ServiceUpgrade = { name: service.name, from: base.version, to: current.version, changes, recorded: false };
  if (hasConflicts(upgrade) || current.version === recorded || (changes.length === 0 && !recordAlways)) return upgrade;
  return withVersionRecorded(root, service, current, upgrade);
}

/**
 * `--continue`: after the conflicts of an upgrade are resolved, records the current templates version, which the
 * upgrade held back. Refuses while a file the templates render still holds a conflict marker.
 */
export function planVersionRecord(root: string, service: WorkspaceService, current: Templates): ServiceUpgrade {
  const unresolved = renderService(answersOf(service), everyOwner, { root: current.root, version: service.templateVersion })
    .map((file) => file.path)
    .filter((path) => conflictMarker.test(readIfPresent(root, path) ?? ''));
  if (unresolved.length > 0) {
    throw new Error([`These files still have conflict markers (<<<<<<< or >>>>>>>); resolve them first:`, ...unresolved.map((path) => `  ${path}`)].join('\n'));
  }
  const upgrade: ServiceUpgrade = { name: service.name, from: service.templateVersion, to: current.version, changes: [], recorded: false };
  return current.version === service.templateVersion ? upgrade : withVersionRecorded(root, service, current, upgrade);
}

function upgradeFile(path: string, { ours, base, theirs }: Partial<ThreeVersions> & { theirs: string }, labels: Record<keyof ThreeVersions, string>) {
  const change = (outcome: Outcome, after: string | undefined): FileChange => ({ path, outcome, before: ours, after });
  if (ours === undefined) {
    if (base === undefined) return change('added', theirs);
    return base === theirs ? undefined : change('kept deleted', undefined);
  }
  if (ours === theirs || base === theirs) return undefined;
  if (ours === base) return change('updated', theirs);
  const merged = mergeTexts({ ours, base, theirs }, labels);
  if (merged.text === ours) return undefined;
  return change(merged.conflicts > 0 ? 'conflict' : 'merged', merged.text);
}

/**
 * Moves project.json's templateVersion to the current templates, by merging that one-line change into the file
 * as the upgrade leaves it, so the service's own edits to project.json stay.
 */
function withVersionRecorded(root: string, service: WorkspaceService, current: Templates, upgrade: ServiceUpgrade): ServiceUpgrade {
  const path = posix.join(serviceFolder(service.name), 'project.json');
  const projectJson = (version: string | undefined) =>
    renderService(answersOf(service), ['scaffold'], { root: current.root, version }).find((file) => file.path === path)?.contents ?? '';
  const pending = upgrade.changes.find((change) => change.path === path);
  const ours = pending ? (pending.after ?? '') : (readIfPresent(root, path) ?? '');
  const labels = { ours: 'yours', base: `templateVersion ${shortVersion(service.templateVersion ?? 'none')}`, theirs: `templateVersion ${shortVersion(current.version)}` };
  const merged = mergeTexts({ ours, base: projectJson(service.templateVersion), theirs: projectJson(current.version) }, labels);
  const outcome = merged.conflicts > 0 ? 'conflict' : (pending?.outcome ?? 'recorded');
  const change: FileChange = { path, outcome, before: pending ? pending.before : ours, after: merged.text };
  const changes = pending ? upgrade.changes.map((other) => (other === pending ? change : other)) : [...upgrade.changes, change];
  return { ...upgrade, changes, recorded: merged.conflicts === 0 };
}

function answersOf({ name, settings }: WorkspaceService): ServiceAnswers {
  return { name, ...settings };
}

function readIfPresent(root: string, path: string): string | undefined {
  const file = join(root, path);
  return existsSync(file) ? readFileSync(file, 'utf8') : undefined;
}
