import { createHash, createHmac } from 'node:crypto';

/**
 * OpenSSH's known_hosts format (sshd(8), "SSH_KNOWN_HOSTS FILE FORMAT"), read from the content of a CI
 * variable: the deploy refuses any host key that is not pinned there, instead of `StrictHostKeyChecking=no`.
 * Supported: plain and hashed (`|1|salt|hash`) host names, `[host]:port`, `*`/`?` wildcards, `!` negation,
 * and `@revoked`; `@cert-authority` lines are skipped (host certificates are not used here).
 */
export interface KnownHostsEntry {
  revoked: boolean;
  matchesName: (name: string) => boolean;
  keyType: string;
  blob: Buffer;
}

export type HostKeyVerdict = { trusted: true } | { trusted: false; reason: string };

export function parseKnownHosts(text: string): KnownHostsEntry[] {
  return text.split('\n').flatMap((rawLine) => {
    const fields = rawLine.trim().split(/\s+/);
    if (fields[0] === '' || fields[0]?.startsWith('#')) return [];
    const marker = fields[0]?.startsWith('@') ? fields.shift() : undefined;
    const [hosts, keyType, base64] = fields;
    if (marker === '@cert-authority' || !hosts || !keyType || !base64) return [];
    return [{ revoked: marker === '@revoked', matchesName: hostMatcher(hosts), keyType, blob: Buffer.from(base64, 'base64') }];
  });
}

/** The name a host is recorded under: `host` on port 22, `[host]:port` elsewhere (as ssh-keyscan writes it). */
export function knownHostsName(host: string, port: number): string {
  return port === 22 ? host : `[${host}]:${port}`;
}

/** Host key algorithms to ask the server for: the types pinned for it, so it presents a key we can check. */
export function pinnedAlgorithms(entries: KnownHostsEntry[], name: string): string[] {
  const types = entries.filter((entry) => !entry.revoked && entry.matchesName(name)).map((entry) => entry.keyType);
  return [...new Set(types.flatMap((type) => (type === 'ssh-rsa' ? ['rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa'] : [type])))];
}

export function verifyHostKey(entries: KnownHostsEntry[], host: string, port: number, presented: Buffer): HostKeyVerdict {
  const name = knownHostsName(host, port);
  const forHost = entries.filter((entry) => entry.matchesName(name));
  const described = `${keyTypeOf(presented)} ${fingerprint(presented)}`;
  if (forHost.some((entry) => entry.revoked && entry.blob.equals(presented))) {
    return { trusted: false, reason: `the host key of ${name} (${described}) is marked @revoked in SSH_KNOWN_HOSTS` };
  }
  const pinned = forHost.filter((entry) => !entry.revoked);
  if (pinned.some((entry) => entry.blob.equals(presented))) return { trusted: true };
  if (pinned.length === 0) {
    return {
      trusted: false,
      reason:
        `${name} is not in SSH_KNOWN_HOSTS, so its key (${described}) cannot be checked. ` +
        `Add the line from \`ssh-keyscan ${port === 22 ? '' : `-p ${port} `}${host}\` after comparing that fingerprint with the host's own`,
    };
  }
  const expected = pinned.map((entry) => `${entry.keyType} ${fingerprint(entry.blob)}`).join(', ');
  return {
    trusted: false,
    reason:
      `the host key of ${name} does not match SSH_KNOWN_HOSTS: it presented ${described}, pinned is ${expected}. ` +
      'Either the host was rebuilt (update the variable) or someone is in the middle: not connecting',
  };
}

/** `SHA256:…` as `ssh-keygen -l` prints it. */
export function fingerprint(blob: Buffer): string {
  return `SHA256:${createHash('sha256').update(blob).digest('base64').replace(/=+$/, '')}`;
}

/** A public key blob starts with its type as an SSH string (uint32 length, then ASCII). */
function keyTypeOf(blob: Buffer): string {
  return blob.length >= 4 ? blob.subarray(4, 4 + blob.readUInt32BE(0)).toString('latin1') : 'unknown';
}

function hostMatcher(hosts: string): (name: string) => boolean {
  if (hosts.startsWith('|1|')) {
    const [, , salt = '', hash = ''] = hosts.split('|');
    const key = Buffer.from(salt, 'base64');
    return (name) => createHmac('sha1', key).update(name).digest('base64') === hash;
  }
  const patterns = hosts.split(',').map((pattern) => ({ negated: pattern.startsWith('!'), regex: wildcard(pattern.replace(/^!/, '')) }));
  // As in OpenSSH: a matching negated pattern wins over any positive match on the same line.
  return (name) => !patterns.some((p) => p.negated && p.regex.test(name)) && patterns.some((p) => !p.negated && p.regex.test(name));
}

function wildcard(pattern: string): RegExp {
  const escaped = pattern.toLowerCase().replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${escaped}$`, 'i');
}
