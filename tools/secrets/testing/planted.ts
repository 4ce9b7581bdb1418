import { randomBytes } from 'node:crypto';

/**
 * A GitLab personal access token in the shape secretlint knows (glpat- and 20 characters), new each run: no
 * token-shaped string lives in the repository, where the change scan would rightly stop it.
 */
export function plantedGitLabToken(): string {
  return `glpat-${randomBytes(15).toString('base64url')}`;
}
