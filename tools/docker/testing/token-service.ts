import { execFile } from 'node:child_process';
import { randomBytes, sign } from 'node:crypto';
import { once } from 'node:events';
import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { join } from 'node:path';
import { promisify } from 'node:util';

export interface TokenService {
  /** What the registry's `auth.token` configuration names: where clients get tokens, and whose signatures it trusts. */
  config: { realm: string; service: string; issuer: string; rootcertbundle: string };
  stop: () => Promise<void>;
}

const SERVICE = 'e2e-registry';
const ISSUER = 'e2e-token-service';

const base64url = (value: string | Buffer) => Buffer.from(value).toString('base64url');

/** `repository:acme/app:pull,push` → the token's access claim, granting what was asked (the credentials were checked). */
function access(scope: string) {
  const [type = '', ...rest] = scope.split(':');
  const actions = rest.pop() ?? '';
  return { type, name: rest.join(':'), actions: actions.split(',') };
}

/**
 * A token service as Docker Hub's and GitLab's (the registry's `auth.token`, distribution's JWT): a self-signed RSA
 * certificate (openssl, in `dir`) signs an RS256 token for one user's Basic credentials, carrying the certificate in
 * its `x5c` header, which the registry checks against the same certificate as its root.
 */
export async function startTokenService(dir: string, username: string, password: string): Promise<TokenService> {
  const [key, certificate] = [join(dir, 'token.key'), join(dir, 'token.crt')];
  await promisify(execFile)('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', certificate, '-subj', '/CN=e2e-token', '-days', '1']);
  const privateKey = await readFile(key);
  const der = Buffer.from((await readFile(certificate, 'utf8')).replace(/-----[^-]+-----|\s/g, ''), 'base64');
  const expected = `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;

  const token = (subject: string, scopes: string[]) => {
    const now = Math.floor(Date.now() / 1000);
    const header = base64url(JSON.stringify({ alg: 'RS256', typ: 'JWT', x5c: [der.toString('base64')] }));
    const claims = { iss: ISSUER, sub: subject, aud: SERVICE, iat: now, nbf: now - 10, exp: now + 300, jti: randomBytes(8).toString('hex'), access: scopes.map(access) };
    const signed = `${header}.${base64url(JSON.stringify(claims))}`;
    return `${signed}.${base64url(sign('sha256', Buffer.from(signed), privateKey))}`;
  };

  const server = createServer((request: IncomingMessage, response: ServerResponse) => {
    if (request.headers.authorization !== expected) {
      response.writeHead(401, { 'content-type': 'application/json' }).end('{"details":"incorrect username or password"}');
      return;
    }
    const scopes = new URL(request.url ?? '/', 'http://token').searchParams.getAll('scope');
    response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ token: token(username, scopes) }));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('the token service has no TCP address');
  return {
    config: { realm: `http://127.0.0.1:${String(address.port)}/token`, service: SERVICE, issuer: ISSUER, rootcertbundle: certificate },
    stop: async () => {
      server.closeAllConnections();
      server.close();
      await once(server, 'close');
    },
  };
}
