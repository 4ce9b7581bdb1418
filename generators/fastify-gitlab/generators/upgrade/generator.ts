import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import Generator, { type BaseOptions } from 'yeoman-generator';
import { GitError, refuseUncommittedChanges, withTempFolder } from '../../lib/git.ts';
import { currentTemplatesVersion, templatesVersionAt, uncommittedTemplatesNote, type CurrentTemplates } from '../../lib/templates-version.ts';
import { openWorkspace, type Workspace, type WorkspaceService } from '../../lib/workspace.ts';
import { assertWritable } from '../../lib/writable.ts';
import { serviceFolder, templatesRoot } from '../app/render.ts';
import { baseTemplatesFinder } from './base-templates.ts';
import { planServiceUpgrade, planVersionRecord, type ServiceUpgrade, type Templates } from './plan.ts';
import { conflictsMessage, describeUpgrade, diffsOf } from './report.ts';

type UpgradeOptions = BaseOptions & {
  name?: string;
  all?: boolean;
  'dry-run'?: boolean;
  force?: boolean;
  from?: string;
  continue?: boolean;
};

/**
 * `yo fastify-gitlab:upgrade <name> | --all`: brings services up to the current templates with a three-way merge
 * per file (plan.ts), keeping what the service changed. Everything is decided before the first write.
 */
export default class UpgradeGenerator extends Generator<Record<string, never>, UpgradeOptions> {
  #workspace?: Workspace;
  #services: WorkspaceService[] = [];
  #upgrades: ServiceUpgrade[] = [];
  #templatesUncommitted = false;

  constructor(args: string[], options: UpgradeOptions) {
    super(args, options);
    this.description = 'Upgrade services to the current templates: a three-way merge per file that keeps your own changes.';
    this.argument('name', { type: String, required: false, description: 'The service to upgrade: its folder under apps/ (or --all)' });
    this.option('all', { type: Boolean, description: 'Upgrade every service of the workspace' });
    this.option('dry-run', { type: Boolean, description: 'Print a unified diff of each file that would change; write nothing' });
    this.option('force', { type: Boolean, description: 'Upgrade even when the services have uncommitted changes' });
    this.option('from', {
      type: String,
      description: 'The commit whose templates/ the services were rendered from, for one that records no templateVersion',
    });
    this.option('continue', { type: Boolean, description: "After resolving an upgrade's conflicts: record the current templates version" });
  }

  initializing(): void {
    const workspace = openWorkspace(this.destinationRoot());
    this.destinationRoot(workspace.root);
    this.#workspace = workspace;
    this.#services = this.#selectServices(workspace);
    if (this.options.continue && this.options.from !== undefined) throw new Error('--from does not go with --continue, which records the current templates');
    if (!this.#dryRun()) for (const service of this.#services) assertWritable(this.destinationPath(serviceFolder(service.name)));
  }

  configuring(): void {
    const { root } = this.#workspaceOrThrow();
    const { version, uncommitted } = this.#currentTemplates();
    const current: Templates = { root: templatesRoot, version };
    this.#templatesUncommitted = uncommitted;
    if (this.options.continue) {
      this.#upgrades = this.#services.map((service) => planVersionRecord(root, service, current));
      return;
    }
    if (!this.#dryRun() && !this.options.force) this.#refuseUncommittedChanges(root);
    const from = this.options.from === undefined ? undefined : templatesVersionAt(templatesRoot, this.options.from);
    this.#upgrades = withTempFolder((scratch) => {
      const baseOf = baseTemplatesFinder(scratch, current, from);
      return this.#services.map((service) => planServiceUpgrade(root, service, baseOf(service), current, from !== undefined));
    });
  }

  writing(): void {
    if (this.#dryRun()) return;
    for (const { path, after } of this.#upgrades.flatMap((upgrade) => upgrade.changes)) {
      if (after === undefined) continue;
      const file = this.destinationPath(path);
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, after);
    }
  }

  end(): void {
    for (const upgrade of this.#upgrades) {
      this.log(describeUpgrade(upgrade));
      if (this.#dryRun()) for (const diff of diffsOf(upgrade)) this.log(diff);
    }
    const conflicts = conflictsMessage(this.#upgrades, this.#dryRun());
    // Thrown, so yo exits non-zero; the files are written by now.
    if (conflicts !== undefined) throw new Error(conflicts);
    const changed = this.#upgrades.filter((upgrade) => upgrade.changes.length > 0).map((upgrade) => upgrade.name);
    if (this.#templatesUncommitted && this.#upgrades.some((upgrade) => upgrade.recorded)) this.log(uncommittedTemplatesNote);
    if (this.#dryRun()) this.log('Dry run: nothing written.');
    else if (changed.length > 0) {
      this.log('\nNext: review the changes (git diff), check them, and commit:');
      this.log(`  npx nx run-many -t lint typecheck test build -p ${changed.join(',')}`);
    }
  }

  /** The named service, or every one with --all. */
  #selectServices({ services }: Workspace): WorkspaceService[] {
    const { name, all } = this.options;
    const known = `The services of this workspace: ${services.map((service) => service.name).join(', ') || 'none'}.`;
    if (all && name !== undefined) throw new Error(`Name one service or pass --all, not both (got ${name} and --all).`);
    if (all) return services;
    if (name === undefined) throw new Error(`Name the service to upgrade, or pass --all: yo fastify-gitlab:upgrade <name>. ${known}`);
    const service = services.find((candidate) => candidate.name === name);
    if (!service) throw new Error(`${serviceFolder(name)} is not a service (a folder under apps/ whose project.json records metadata.service). ${known}`);
    return [service];
  }

  /** An upgrade rewrites files in place: each one must be committed, so git can give it back. */
  #refuseUncommittedChanges(root: string): void {
    refuseUncommittedChanges(
      root,
      this.#services.map((service) => serviceFolder(service.name)),
      'These services have uncommitted changes:',
      'Commit or stash them first, so that git can restore every file the upgrade changes; or run again with --force.',
    );
  }

  #currentTemplates(): CurrentTemplates {
    try {
      return currentTemplatesVersion(templatesRoot);
    } catch (error) {
      if (!(error instanceof GitError)) throw error;
      throw new Error(`An upgrade renders the templates a service was scaffolded from out of git, and cannot here: ${error.message}`);
    }
  }

  #dryRun(): boolean {
    return this.options['dry-run'] === true;
  }

  #workspaceOrThrow(): Workspace {
    if (!this.#workspace) throw new Error('the workspace is read in initializing()');
    return this.#workspace;
  }
}
