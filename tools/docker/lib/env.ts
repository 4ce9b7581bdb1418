/** A variable's value, where an empty one counts as unset (GitLab and `FOO= cmd` both leave empty strings). */
export function envVar(env: NodeJS.ProcessEnv, name: string): string | undefined {
  const value = env[name];
  return value === '' ? undefined : value;
}
