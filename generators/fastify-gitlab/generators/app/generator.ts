import { existsSync } from 'node:fs';
import { join } from 'node:path';
import Generator, { type BaseOptions, type PromptQuestion } from 'yeoman-generator';
import { defaultSettings, defaultSmokePath, deployTargets, registries, reviewAppTargets, type ServiceAnswers, type ServiceSettings } from '../../lib/answers.ts';
import {
  AnswerError,
  descriptionProblem,
  nameProblem,
  nameLength,
  portProblem,
  portRange,
  smokeProblem,
  validateAnswers,
} from '../../lib/validate.ts';
import { GitError, insideWorkTree, refuseUncommittedChanges } from '../../lib/git.ts';
import { canPrompt } from '../../lib/terminal.ts';
import { currentTemplatesVersion, uncommittedTemplatesNote } from '../../lib/templates-version.ts';
import { appsFolder, openWorkspace, type Workspace } from '../../lib/workspace.ts';
import { assertWritable } from '../../lib/writable.ts';
import { planScaffold, type ScaffoldPlan } from './plan.ts';
import { serviceFolder, templatesRoot } from './render.ts';

/**
 * What can be given as an option or asked for: every answer but the limits, which project.json records, and review
 * apps and signing, flags (--review-apps, --sign) that are off unless given.
 */
type AnswerName = Exclude<keyof ServiceAnswers, 'limits' | 'reviewApps' | 'sign'>;
type RawAnswers = Partial<Record<keyof ServiceAnswers, unknown>>;

type AppOptions = BaseOptions & {
  name?: string;
  description?: string;
  port?: string | number;
  registry?: string;
  deploy?: string;
  smoke?: string;
  'review-apps'?: boolean;
  sign?: boolean;
  defaults?: boolean;
  force?: boolean;
};

const answerNames: readonly AnswerName[] = ['name', 'description', 'port', 'registry', 'deploy', 'smoke'];
const listOf = (choices: object) => Object.keys(choices).join(' | ');

/**
 * `yo fastify-gitlab [name]`: gathers the answers (options first, prompts for the rest), validates them
 * against the workspace, plans, and writes apps/<name>/. Rendering is in render.ts, deciding in plan.ts.
 */
export default class AppGenerator extends Generator<Record<string, never>, AppOptions> {
  #workspace?: Workspace;
  #answers: RawAnswers = {};
  #plan?: ScaffoldPlan;

  constructor(args: string[], options: AppOptions) {
    super(args, options);
    this.description = 'Scaffold a Fastify service into apps/<name>/: routes, tests, Dockerfile, and its pipeline settings.';
    this.argument('name', {
      type: String,
      required: false,
      description: `The service: kebab-case, ${nameLength.min}-${nameLength.max} characters, the folder under apps/ (or --name)`,
    });
    this.option('description', { type: String, description: 'One line on what the service does' });
    this.option('port', { type: String, description: `Port it listens on, ${portRange.min}-${portRange.max} (default: the first free one from 3000)` });
    this.option('registry', { type: String, description: `Where images are pushed: ${listOf(registries)} (default: gitlab)` });
    this.option('deploy', { type: String, description: `Where it is deployed: ${listOf(deployTargets)} (default: none)` });
    this.option('smoke', {
      type: String,
      description: `Path the pipeline smoke-tests on the image and after each deploy; it must answer 2xx (default: ${defaultSmokePath})`,
    });
    this.option('review-apps', {
      type: Boolean,
      description: `A review app of each merge request beside production, with --deploy ${reviewAppTargets.join(' or ')} (default: off; docs/review-apps.md)`,
    });
    this.option('sign', {
      type: Boolean,
      description: 'Sign each released image and its provenance with Sigstore, keyless, on GitLab.com (default: off; docs/supply-chain.md)',
    });
    this.option('defaults', { type: Boolean, description: 'Take the default for every answer not given: no prompts' });
    this.option('force', {
      type: Boolean,
      description: 'Rewrite the template-owned files of an existing service, or share a port (its own files are kept)',
    });
  }

  initializing(): void {
    const workspace = openWorkspace(this.destinationRoot());
    this.destinationRoot(workspace.root);
    assertWritable(existsSync(join(workspace.root, appsFolder)) ? join(workspace.root, appsFolder) : workspace.root);
    this.#workspace = workspace;
  }

  async prompting(): Promise<void> {
    const workspace = this.#workspaceOrThrow();
    const given = this.#givenAnswers();
    this.#refuseToAskWithoutTerminal(given);
    const name = given.name ?? (this.options.defaults ? undefined : await this.#askName(workspace));
    const defaults = this.#defaultsFor(name);
    if (this.options.defaults) {
      this.#answers = { ...defaults, name, ...given };
      return;
    }
    const questions: PromptQuestion<RawAnswers>[] = [
      {
        type: 'input',
        name: 'description',
        message: 'One line on what it does',
        default: defaults.description,
        validate: (description: string) => descriptionProblem(description) ?? true,
      },
      {
        type: 'input',
        name: 'port',
        message: 'Port',
        default: String(defaults.port),
        validate: (port: string) => portProblem(port, String(name), workspace, this.#force()) ?? true,
      },
      { type: 'select', name: 'registry', message: 'Push images to', choices: choicesOf(registries), default: defaults.registry },
      { type: 'select', name: 'deploy', message: 'Deploy to', choices: choicesOf(deployTargets), default: defaults.deploy },
      {
        type: 'input',
        name: 'smoke',
        message: 'Smoke-test path: what the pipeline GETs on the image and after each deploy (must answer 2xx)',
        default: defaults.smoke,
        validate: (smoke: string) => smokeProblem(smoke) ?? true,
      },
      {
        type: 'confirm',
        name: 'reviewApps',
        message: 'A review app of each merge request, beside production on its host?',
        default: defaults.reviewApps,
        when: (answers: RawAnswers) => reviewAppTargets.some((target) => target === (answers.deploy ?? given.deploy)),
      },
      {
        type: 'confirm',
        name: 'sign',
        message: 'Sign each released image and its provenance with Sigstore (keyless, GitLab.com)?',
        default: defaults.sign,
      },
    ];
    // Flags, off unless given: asked only where a terminal can answer, as the other answers are all given here.
    const flags = new Set(['reviewApps', 'sign']);
    const askable = (name: unknown) => !(String(name) in given) && (!flags.has(String(name)) || canPrompt(this.env.adapter));
    const asked = await this.prompt(questions.filter((question) => askable(question.name)));
    // The limits are not asked: a new service gets the defaults, an existing one keeps what it records.
    this.#answers = { limits: defaults.limits, reviewApps: defaults.reviewApps, sign: defaults.sign, ...given, name, ...asked };
  }

  configuring(): void {
    const workspace = this.#workspaceOrThrow();
    const answers = validateAnswers(this.#answers, workspace, this.#force());
    const existing = workspace.services.find((service) => service.name === answers.name);
    // An existing service keeps the version it records, even with --force: its own files are still as that version
    // wrote them, and the upgrade, which merges the templates' changes since then into them, starts from there.
    const templateVersion = existing ? existing.templateVersion : this.#currentTemplatesVersion();
    this.#plan = planScaffold(workspace, answers, this.#force(), { root: templatesRoot, version: templateVersion });
    if (this.#plan.action === 'update') this.#refuseUncommittedRewrites(workspace.root, this.#plan);
  }

  writing(): void {
    const plan = this.#planOrThrow();
    for (const file of plan.write) this.fs.write(this.destinationPath(file.path), file.contents);
    for (const path of plan.remove) this.fs.delete(this.destinationPath(path));
  }

  end(): void {
    const { action } = this.#planOrThrow();
    const name = String(this.#answers.name);
    const folder = serviceFolder(name);
    if (action === 'unchanged') {
      this.log(`${folder} already matches these answers: nothing written.`);
      return;
    }
    this.log(`\n${action === 'create' ? 'Created' : 'Updated'} ${folder}. Next:`);
    this.log(`  npx nx serve ${name}`);
    this.log(`  npx nx run-many -t lint typecheck test build -p ${name}`);
    this.log('The pipeline picks it up from its project.json: commit and push.');
  }

  /** Without a terminal a prompt can't be answered: name the options that answer it instead, before anything is written. */
  #refuseToAskWithoutTerminal(given: RawAnswers): void {
    const missing = answerNames.filter((name) => !(name in given) && (name === 'name' || !this.options.defaults));
    if (missing.length === 0 || canPrompt(this.env.adapter)) return;
    const flags = missing.map((name) => (name === 'name' ? '<name> (the first argument, or --name <name>)' : `--${name} <${name}>`));
    throw new AnswerError(
      `No terminal to ask on (stdin is not a TTY), and these answers are missing: ${missing.join(', ')}.\n` +
        `Add them to the command: ${flags.join(' ')}` +
        (this.options.defaults ? '' : '\nor pass --defaults to take the default for every answer not given (see yo fastify-gitlab --help).'),
    );
  }

  /** First, since the defaults of the other answers depend on it (an existing service keeps its own). */
  async #askName(workspace: Workspace): Promise<unknown> {
    const { name } = await this.prompt<RawAnswers>([
      { type: 'input', name: 'name', message: 'Service name (kebab-case)', validate: (value: string) => nameProblem(value, workspace) ?? true },
    ]);
    return name;
  }

  /** Answers given on the command line; the name also as the first argument. */
  #givenAnswers(): RawAnswers {
    const given: RawAnswers = {};
    for (const name of answerNames) if (this.options[name] !== undefined) given[name] = this.options[name];
    if (this.options['review-apps'] !== undefined) given.reviewApps = this.options['review-apps'];
    if (this.options.sign !== undefined) given.sign = this.options.sign;
    return given;
  }

  /** An existing service's recorded settings, so a re-run changes only what it is told to; else the defaults. */
  #defaultsFor(name: unknown): ServiceSettings {
    const { services } = this.#workspaceOrThrow();
    const existing = services.find((service) => service.name === name);
    return existing?.settings ?? defaultSettings(String(name), services.map((service) => service.settings.port));
  }

  /** Recorded in project.json so `yo fastify-gitlab:upgrade` can render the service as it was written today. */
  #currentTemplatesVersion(): string | undefined {
    try {
      const { version, uncommitted } = currentTemplatesVersion(templatesRoot);
      if (uncommitted) this.log(uncommittedTemplatesNote);
      return version;
    } catch (error) {
      if (!(error instanceof GitError)) throw error;
      this.log(`Not recording the templates version (${error.message}); an upgrade of this service will need --from <commit>.`);
      return undefined;
    }
  }

  /** --force rewrites template-owned files in place, as the upgrade does: with the same check, on the files it rewrites. */
  #refuseUncommittedRewrites(root: string, { write, remove }: ScaffoldPlan): void {
    if (!insideWorkTree(root)) return;
    refuseUncommittedChanges(
      root,
      [...write.map((file) => file.path), ...remove],
      'These files, which --force would rewrite, have uncommitted changes:',
      'Commit or stash them first, so that git can restore every file --force rewrites.',
    );
  }

  #force(): boolean {
    return this.options.force === true;
  }

  #workspaceOrThrow(): Workspace {
    if (!this.#workspace) throw new Error('the workspace is read in initializing()');
    return this.#workspace;
  }

  #planOrThrow(): ScaffoldPlan {
    if (!this.#plan) throw new Error('the plan is made in configuring()');
    return this.#plan;
  }
}

function choicesOf(labels: Record<string, string>) {
  return Object.entries(labels).map(([value, label]) => ({ value, name: `${value}: ${label}` }));
}
