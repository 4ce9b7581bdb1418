import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lastSuccessfulPipeline } from './gitlab-api.ts';

/** A local stand-in for GitLab's REST API: GET /api/v4/projects/:id/pipelines, answered in GitLab's wire format. */
describe('lastSuccessfulPipeline', () => {
  let server: Server;
  let apiUrl: string;
  const requests: IncomingMessage[] = [];
  const pipelines: Record<string, object[]> = {
    main: [{ id: 1042, iid: 77, project_id: 7, sha: 'b'.repeat(40), ref: 'main', status: 'success', source: 'push', web_url: 'https://gitlab.example.com/acme/app/-/pipelines/1042' }],
    'release/1.x': [],
  };

  beforeAll(async () => {
    server = createServer((request, response) => {
      requests.push(request);
      const url = new URL(request.url ?? '/', 'http://localhost');
      if (request.headers['private-token'] !== 'glpat-good') {
        response.writeHead(401, { 'content-type': 'application/json' }).end('{"message":"401 Unauthorized"}');
      } else if (url.pathname === '/api/v4/projects/acme%2Fapp/pipelines') {
        response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(pipelines[url.searchParams.get('ref') ?? ''] ?? []));
      } else {
        response.writeHead(404, { 'content-type': 'application/json' }).end('{"message":"404 Project Not Found"}');
      }
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    apiUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/v4`;
  });

  afterAll(async () => {
    server.close();
    await once(server, 'close');
  });

  it("asks for the branch's newest successful pipeline and answers its id and SHA", async () => {
    await expect(lastSuccessfulPipeline({ apiUrl, projectId: 'acme/app', token: 'glpat-good' }, 'main')).resolves.toEqual({ id: 1042, sha: 'b'.repeat(40) });
    const query = new URL(requests.at(-1)?.url ?? '', 'http://localhost').searchParams;
    expect(Object.fromEntries(query)).toEqual({ ref: 'main', status: 'success', order_by: 'id', sort: 'desc', per_page: '1' });
  });

  it('answers undefined for a branch without one', async () => {
    await expect(lastSuccessfulPipeline({ apiUrl: `${apiUrl}/`, projectId: 'acme/app', token: 'glpat-good' }, 'release/1.x')).resolves.toBeUndefined();
  });

  it('fails with the status when GitLab refuses the token, without the token in the message', async () => {
    const failure = lastSuccessfulPipeline({ apiUrl, projectId: 'acme/app', token: 'glpat-wrong' }, 'main');
    await expect(failure).rejects.toThrow(/^GET http:\/\/127\.0\.0\.1:\d+\/api\/v4\/projects\/acme%2Fapp\/pipelines answered 401 Unauthorized$/);
  });
});
