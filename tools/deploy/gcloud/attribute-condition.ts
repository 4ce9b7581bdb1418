import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { workspaceRoot } from '../workspace.ts';

/**
 * Which GitLab jobs Google's workload identity provider lets in. Without an attribute condition, any job of any
 * project on the issuer (gitlab.com: every user's), on any branch, can exchange its OIDC token for the deploy
 * account. The condition asks GitLab's token claims for this project, a protected ref (the default branch, a
 * protected tag) and the GitLab environment of one of the services deployed to Google, as the deploy fragments name
 * it: `<environment>/<project>` (templates/ci/deploy-cloud-run.yml, deploy-app-engine.yml).
 */
export interface ConditionSettings {
  /** The GitLab project's full path, e.g. `acme/fastify-services` (CI_PROJECT_PATH). */
  projectPath: string;
  /** The services that deploy to Google: their Nx project names. */
  services: readonly string[];
  /** The deploy fragments' environment input (default production). */
  environment: string;
}

/** GitLab's own rules for a project path; nothing here can close the quoted CEL string. */
const projectPathPattern = /^[A-Za-z0-9_][A-Za-z0-9_.-]*(\/[A-Za-z0-9_][A-Za-z0-9_.-]*)+$/;
/** The fragments' regex for project and environment inputs. */
const namePattern = /^[a-z][a-z0-9-]*$/;

/** The deploy targets whose jobs log in to Google with the OIDC token. */
export const googleTargets = ['cloud-run', 'app-engine'];

export function attributeCondition({ projectPath, services, environment }: ConditionSettings): string {
  if (!projectPathPattern.test(projectPath)) throw new Error(`the GitLab project path must look like group/project, got ${JSON.stringify(projectPath)}`);
  for (const name of [environment, ...services]) {
    if (!namePattern.test(name)) throw new Error(`${JSON.stringify(name)} is not a project or environment name the deploy fragments accept`);
  }
  if (services.length === 0) throw new Error(`no service deploys to Google (metadata.service.deploy ${googleTargets.join(' or ')}): no provider is needed`);
  const environments = services.toSorted().map((service) => `"${environment}/${service}"`);
  const environmentTest = environments.length === 1 ? `assertion.environment == ${environments[0]}` : `assertion.environment in [${environments.join(', ')}]`;
  return `assertion.project_path == "${projectPath}" && assertion.ref_protected == "true" && ${environmentTest}`;
}

/** The claims the condition reads, mapped as Google requires (google.subject) and for the audit log. */
export const attributeMapping = [
  'google.subject=assertion.sub',
  'attribute.project_path=assertion.project_path',
  'attribute.ref_protected=assertion.ref_protected',
  'attribute.environment=assertion.environment',
].join(',');

/** The services whose project.json records a Google deploy target, read where the generator records it. */
export function googleServices(appsDir: URL = new URL('apps/', workspaceRoot)): string[] {
  return readdirSync(appsDir).filter((name) => {
    const file = new URL(`${name}/project.json`, appsDir);
    if (!existsSync(file)) return false;
    const project = JSON.parse(readFileSync(file, 'utf8')) as { metadata?: { service?: { deploy?: unknown } } };
    return googleTargets.includes(String(project.metadata?.service?.deploy));
  });
}

/** The gcloud command that creates the provider, to run once; single quotes keep the condition's double quotes. */
export function createProviderCommand(settings: ConditionSettings, issuer: string): string {
  return [
    'gcloud iam workload-identity-pools providers create-oidc gitlab',
    '  --location=global --workload-identity-pool=<pool>',
    `  --issuer-uri=${issuer}`,
    `  --attribute-mapping='${attributeMapping}'`,
    `  --attribute-condition='${attributeCondition(settings)}'`,
  ].join(' \\\n');
}

if (import.meta.main) {
  const { values } = parseArgs({
    options: { 'project-path': { type: 'string' }, environment: { type: 'string', default: 'production' }, issuer: { type: 'string', default: 'https://gitlab.com' } },
  });
  const projectPath = values['project-path'];
  if (!projectPath) {
    console.error('usage: node tools/deploy/gcloud/attribute-condition.ts --project-path <group/project> [--environment production] [--issuer https://gitlab.com]');
    process.exit(2);
  }
  try {
    console.log(createProviderCommand({ projectPath, services: googleServices(), environment: values.environment }, values.issuer));
  } catch (error) {
    console.error(`attribute-condition: ${(error as Error).message}`);
    process.exitCode = 1;
  }
}
