import { describe, expect, it } from 'vitest';
import { fingerprint, knownHostsName, parseKnownHosts, pinnedAlgorithms, verifyHostKey } from './known-hosts.ts';

// Two real host keys made by ssh-keygen, and a line `ssh-keygen -H` hashed for [droplet.example.com]:2222.
const hostKey = 'AAAAC3NzaC1lZDI1NTE5AAAAIAVy1m3wvFT65m13Ulj60gmgeBNzinxLY3vv6zuOLzj4';
const hostKeyFingerprint = 'SHA256:IMhdUMMKegr9z4xQHSXc1+60OQHbSDID+NMfAPdagzA';
const otherKey = 'AAAAC3NzaC1lZDI1NTE5AAAAILU3Qs25tPwtOi00NOiGcSc9UIVRVLVpr9cBwXov5AtW';
const hashedLine = `|1|uxIQG1PteN+zUJqBuHDadCAaPXg=|r1ttAO0D/MMpdTOH0DQ0FqA530Y= ssh-ed25519 ${hostKey}`;
const blob = (base64: string) => Buffer.from(base64, 'base64');

describe('known_hosts', () => {
  it('names a host the way ssh-keyscan records it', () => {
    expect(knownHostsName('203.0.113.7', 22)).toBe('203.0.113.7');
    expect(knownHostsName('203.0.113.7', 2222)).toBe('[203.0.113.7]:2222');
  });

  it('fingerprints a key exactly as ssh-keygen -l does', () => {
    expect(fingerprint(blob(hostKey))).toBe(hostKeyFingerprint);
  });

  it('trusts the pinned key of a host, skipping comments, blank lines and @cert-authority lines', () => {
    const entries = parseKnownHosts(
      [`# pinned 2026-11`, '', `@cert-authority *.example.com ssh-ed25519 ${otherKey}`, `droplet.example.com,203.0.113.7 ssh-ed25519 ${hostKey} root@droplet`].join('\n'),
    );
    expect(entries).toHaveLength(1);
    expect(verifyHostKey(entries, '203.0.113.7', 22, blob(hostKey))).toEqual({ trusted: true });
    expect(verifyHostKey(entries, 'droplet.example.com', 22, blob(hostKey))).toEqual({ trusted: true });
  });

  it('matches hashed host names and [host]:port entries', () => {
    const entries = parseKnownHosts(hashedLine);
    expect(verifyHostKey(entries, 'droplet.example.com', 2222, blob(hostKey))).toEqual({ trusted: true });
    expect(verifyHostKey(entries, 'droplet.example.com', 22, blob(hostKey))).toMatchObject({ trusted: false });
  });

  it('honours wildcards, and a negated pattern wins over a match', () => {
    const entries = parseKnownHosts(`*.example.com,!bastion.example.com ssh-ed25519 ${hostKey}`);
    expect(verifyHostKey(entries, 'web-1.example.com', 22, blob(hostKey))).toEqual({ trusted: true });
    expect(verifyHostKey(entries, 'bastion.example.com', 22, blob(hostKey))).toMatchObject({ trusted: false });
  });

  it('refuses an unknown host, telling how to pin it and which key it presented', () => {
    const verdict = verifyHostKey(parseKnownHosts(`other.example.com ssh-ed25519 ${hostKey}`), '203.0.113.7', 2222, blob(hostKey));
    expect(verdict).toEqual({
      trusted: false,
      reason: expect.stringMatching(/\[203\.0\.113\.7\]:2222 is not in SSH_KNOWN_HOSTS.*ssh-ed25519 SHA256:IMhd.*ssh-keyscan -p 2222 203\.0\.113\.7/) as string,
    });
  });

  it('refuses a host whose key is not the pinned one, naming both fingerprints', () => {
    const verdict = verifyHostKey(parseKnownHosts(`203.0.113.7 ssh-ed25519 ${hostKey}`), '203.0.113.7', 22, blob(otherKey));
    expect(verdict).toMatchObject({ trusted: false });
    expect(!verdict.trusted && verdict.reason).toContain(`does not match SSH_KNOWN_HOSTS: it presented ssh-ed25519 ${fingerprint(blob(otherKey))}, pinned is ssh-ed25519 ${hostKeyFingerprint}`);
  });

  it('refuses a key marked @revoked even when it is also pinned', () => {
    const entries = parseKnownHosts(`203.0.113.7 ssh-ed25519 ${hostKey}\n@revoked 203.0.113.7 ssh-ed25519 ${hostKey}`);
    expect(verifyHostKey(entries, '203.0.113.7', 22, blob(hostKey))).toMatchObject({ trusted: false, reason: expect.stringContaining('@revoked') as string });
  });

  it('asks the server for the key types pinned for it, RSA with its SHA-2 signatures first', () => {
    const entries = parseKnownHosts(`203.0.113.7 ssh-rsa AAAAB3NzaC1yc2E=\n203.0.113.7 ssh-ed25519 ${hostKey}\nelsewhere ecdsa-sha2-nistp256 AAAA`);
    expect(pinnedAlgorithms(entries, '203.0.113.7')).toEqual(['rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa', 'ssh-ed25519']);
    expect(pinnedAlgorithms(entries, 'unknown')).toEqual([]);
  });
});
