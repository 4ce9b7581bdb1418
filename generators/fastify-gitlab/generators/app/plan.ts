import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ServiceAnswers } from '../../lib/answers.ts';
import { AnswerError } from '../../lib/validate.ts';
import type { Workspace } from '../../lib/workspace.ts';
import { everyOwner } from './files.ts';
import { possibleScaffoldPaths, renderService, serviceFolder, type RenderedFile, type TemplateSource } from './render.ts';

/** What a run will do, decided before anything is written, so a refused run writes nothing. */
export interface ScaffoldPlan {
  /**
   * create     a new service: every file
   * update     an existing one (--force): the scaffold-owned files that differ; its own files are kept
   * unchanged  an existing one whose files already match the answers: nothing to do
   */
  action: 'create' | 'update' | 'unchanged';
  write: RenderedFile[];
  /** Scaffold-owned files the answers no longer call for, e.g. deploy/app.yaml after a move to Cloud Run. */
  remove: string[];
}

/** The plan for validated answers; throws an AnswerError when an existing service would change without --force. */
export function planScaffold(workspace: Workspace, answers: ServiceAnswers, force: boolean, templates: TemplateSource): ScaffoldPlan {
  if (!workspace.appFolders.has(answers.name)) return { action: 'create', write: renderService(answers, everyOwner, templates), remove: [] };

  const scaffold = renderService(answers, ['scaffold'], templates);
  const onDisk = (path: string) => join(workspace.root, path);
  const write = scaffold.filter((file) => !existsSync(onDisk(file.path)) || readFileSync(onDisk(file.path), 'utf8') !== file.contents);
  const rendered = new Set(scaffold.map((file) => file.path));
  const remove = possibleScaffoldPaths(answers.name).filter((path) => !rendered.has(path) && existsSync(onDisk(path)));
  if (write.length === 0 && remove.length === 0) return { action: 'unchanged', write, remove };
  if (!force) {
    const changes = [...write.map((file) => file.path), ...remove.map((path) => `${path} (removed)`)];
    throw new AnswerError(
      [
        `${serviceFolder(answers.name)} already exists, and these answers would change:`,
        ...changes.map((path) => `  ${path}`),
        'Run again with --force to rewrite them; the service keeps its routes, options, tests and README.',
      ].join('\n'),
    );
  }
  return { action: 'update', write, remove };
}
