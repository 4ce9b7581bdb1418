/**
 * The workspace root, taken relative to this module: two folders up from tools/deploy/ here, and from dist/tools/
 * in the bundle the CI jobs run (tools/build/bundle-tools.ts), so the project files and the playbook are found from both.
 */
export const workspaceRoot = new URL('../../', import.meta.url);
