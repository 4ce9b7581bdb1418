import type { Credentials } from '../credentials.ts';
import { CliError } from '../errors.ts';
import { parseChallenge, type Challenge } from './challenge.ts';
import type { Endpoint } from './endpoint.ts';

/** Authorized requests to one registry's API, for the repositories and actions it was opened with. */
export interface Session {
  endpoint: Endpoint;
  request: (path: string, init?: RequestInit) => Promise<Response>;
}

/** `repository:acme/app:pull,push`: what a Bearer token is asked for. */
export type Scope = string;

export const pullScope = (name: string): Scope => `repository:${name}:pull`;
export const pushScope = (name: string): Scope => `repository:${name}:pull,push`;

function basic({ auth }: Credentials): string {
  return `Basic ${Buffer.from(`${auth.username}:${auth.password}`).toString('base64')}`;
}

/** The registry's token service (Docker Hub, GitLab): a token for these scopes, for the credentials or anonymous. */
async function bearerToken(endpoint: Endpoint, challenge: Extract<Challenge, { scheme: 'bearer' }>, scopes: Scope[], credentials: Credentials | undefined) {
  const url = new URL(challenge.realm);
  if (challenge.service !== undefined) url.searchParams.set('service', challenge.service);
  for (const scope of scopes) url.searchParams.append('scope', scope);
  const response = await fetch(url, credentials ? { headers: { authorization: basic(credentials) } } : {});
  if (!response.ok) throw refused(endpoint, credentials, `its token service ${url.origin} answered HTTP ${String(response.status)}`);
  const { token, access_token: accessToken } = (await response.json()) as { token?: string; access_token?: string };
  const bearer = token ?? accessToken;
  if (!bearer) throw new CliError(`the token service ${url.origin} of ${endpoint.host} gave no token`);
  return `Bearer ${bearer}`;
}

function refused(endpoint: Endpoint, credentials: Credentials | undefined, why: string): CliError {
  const whose = credentials ? `the credentials in ${credentials.from}` : 'anonymous access (no credentials are set for it)';
  return new CliError(`the registry ${endpoint.host} refused ${whose}: ${why}`);
}

/**
 * Asks `/v2/` how the registry authenticates (as the engine does before a pull or push), gets what it asks for
 * (Basic, or a Bearer token for `scopes`), and checks it is taken. Credentials go in headers only, never in a message.
 */
export async function openSession(endpoint: Endpoint, credentials: Credentials | undefined, scopes: Scope[]): Promise<Session> {
  const ping = (authorization?: string) =>
    fetch(`${endpoint.origin}/v2/`, authorization ? { headers: { authorization } } : {}).catch((error: unknown) => {
      throw new CliError(`the registry ${endpoint.host} cannot be reached at ${endpoint.origin}: ${(error as Error).cause instanceof Error ? ((error as Error).cause as Error).message : String(error)}`);
    });
  const anonymous = await ping();
  let authorization: string | undefined;
  if (anonymous.status === 401) {
    const challenge = parseChallenge(anonymous.headers.get('www-authenticate'));
    if (challenge === undefined) throw new CliError(`the registry ${endpoint.host} asks for an authentication scheme this tool does not speak`);
    if (challenge.scheme === 'basic') {
      if (credentials === undefined) throw refused(endpoint, credentials, 'it needs a user and password');
      authorization = basic(credentials);
      const checked = await ping(authorization);
      if (!checked.ok) throw refused(endpoint, credentials, `HTTP ${String(checked.status)}`);
    } else {
      authorization = await bearerToken(endpoint, challenge, scopes, credentials);
    }
  } else if (!anonymous.ok) {
    throw new CliError(`the registry ${endpoint.host} answered /v2/ with HTTP ${String(anonymous.status)}`);
  }
  const request = (path: string, init: RequestInit = {}) => {
    // The credentials go to this registry only: an upload's Location may name another host, and fetch drops the
    // header itself when a blob's GET is redirected to storage elsewhere.
    const url = new URL(path, endpoint.origin);
    const headers = new Headers(init.headers);
    if (authorization !== undefined && url.origin === endpoint.origin) headers.set('authorization', authorization);
    return fetch(url, { ...init, headers });
  };
  return { endpoint, request };
}
