import { describe, expect, it } from 'vitest';
import { parseChallenge } from './challenge.ts';

describe('parseChallenge', () => {
  it("reads Docker Hub's and GitLab's Bearer challenge: the token service and what it serves", () => {
    expect(parseChallenge('Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:acme/app:pull"')).toEqual({
      scheme: 'bearer',
      realm: 'https://auth.docker.io/token',
      service: 'registry.docker.io',
    });
    expect(parseChallenge('bearer realm="https://gitlab.com/jwt/auth"')).toEqual({ scheme: 'bearer', realm: 'https://gitlab.com/jwt/auth' });
  });

  it('reads Basic, and nothing else', () => {
    expect(parseChallenge('Basic realm="e2e"')).toEqual({ scheme: 'basic' });
    expect(parseChallenge('Bearer service="no realm"')).toBeUndefined();
    expect(parseChallenge('Negotiate')).toBeUndefined();
    expect(parseChallenge(null)).toBeUndefined();
  });
});
