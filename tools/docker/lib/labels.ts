import { UsageError } from './errors.ts';
import { imageVersion, type Revision } from './tags.ts';

export interface ImageFacts {
  project: string;
  description?: string;
  revision: Revision;
  licenses?: string;
  baseImage?: string;
  /** The base image's registry digest: none for a local image, which no registry serves. */
  baseDigest?: string;
}

/** The OCI annotations (github.com/opencontainers/image-spec annotations.md) every image carries. */
export function ociLabels({ project, description, revision, licenses, baseImage, baseDigest }: ImageFacts): Record<string, string> {
  const labels: Record<string, string | undefined> = {
    'org.opencontainers.image.title': project,
    'org.opencontainers.image.description': description,
    'org.opencontainers.image.version': imageVersion(revision),
    'org.opencontainers.image.revision': revision.sha,
    'org.opencontainers.image.source': revision.source,
    'org.opencontainers.image.created': revision.committedAt,
    'org.opencontainers.image.licenses': licenses,
    'org.opencontainers.image.base.name': baseImage,
    'org.opencontainers.image.base.digest': baseDigest,
  };
  return Object.fromEntries(Object.entries(labels).filter((entry): entry is [string, string] => entry[1] !== undefined && entry[1] !== ''));
}

/** The escape character a Dockerfile's `# escape=` parser directive chooses; a backslash without one. */
function escapeCharacter(dockerfile: string): string {
  for (const line of dockerfile.split('\n')) {
    const directive = /^#\s*(\w+)\s*=\s*(\S*)\s*$/.exec(line);
    if (!directive) break; // directives come first, before any comment, blank line or instruction
    if (directive[1]?.toLowerCase() === 'escape' && directive[2]) return directive[2];
  }
  return '\\';
}

/**
 * The Dockerfile with the labels appended as one `LABEL` instruction of its last (the image's) stage. The engine
 * API's `labels` would make the classic builder commit one step per label. Each value is quoted with the
 * Dockerfile's escape character before `"`, `$` and itself, so none is read as a variable; a line break, which an
 * instruction cannot hold, becomes a space.
 */
export function withLabels(dockerfile: string, labels: Record<string, string>): string {
  const escape = escapeCharacter(dockerfile);
  // The escape directive allows only a backslash or a backtick, hence these four characters.
  const quote = (text: string) => `"${text.replace(/\r?\n/g, ' ').replace(/["$\\`]/g, (c) => (c === escape || c === '"' || c === '$' ? escape + c : c))}"`;
  const pairs = Object.entries(labels).map(([key, value]) => `${key}=${quote(value)}`);
  if (pairs.length === 0) return dockerfile;
  return `${dockerfile.trimEnd()}\nLABEL ${pairs.join(' ')}\n`;
}

// Build arguments are stored in the image's history for anyone who pulls it to read.
const SECRET_NAME = /TOKEN|PASSWORD|PASSWD|SECRET|CREDENTIAL|API_?KEY|PRIVATE/i;

/** `KEY=VALUE` pairs from --build-arg, refusing names that look like secrets. */
export function parseBuildArgs(pairs: string[]): Record<string, string> {
  const args: Record<string, string> = {};
  for (const pair of pairs) {
    const match = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/s.exec(pair);
    if (!match?.[1]) throw new UsageError(`--build-arg takes KEY=VALUE, got "${pair}"`);
    if (SECRET_NAME.test(match[1])) {
      throw new UsageError(`--build-arg ${match[1]}: build arguments are readable in \`docker history\`; give secrets to the container at run time instead`);
    }
    args[match[1]] = match[2] ?? '';
  }
  return args;
}

/** What the Dockerfile's ARGs receive: the version, the base image when chosen, then the user's own. */
export function buildArgs(revision: Revision, baseImage: string | undefined, extra: Record<string, string>): Record<string, string> {
  return { VERSION: imageVersion(revision), ...(baseImage ? { NODE_IMAGE: baseImage } : {}), ...extra };
}
