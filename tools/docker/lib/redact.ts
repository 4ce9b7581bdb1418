import { CREDENTIAL_VARIABLES } from './credentials.ts';

const SECRET_VARIABLES = [...Object.values(CREDENTIAL_VARIABLES).map(({ password }) => password), 'CI_JOB_TOKEN'];

/** A last guard for what the CLI prints: any registry password or token from the environment becomes [redacted]. */
export function redactSecrets(text: string, env: NodeJS.ProcessEnv): string {
  return SECRET_VARIABLES.map((name) => env[name])
    .filter((secret): secret is string => secret !== undefined && secret.length >= 4)
    .reduce((redacted, secret) => redacted.replaceAll(secret, '[redacted]'), text);
}
