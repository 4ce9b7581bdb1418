import { createServer } from 'node:http';

/**
 * The ceiling for Node on this machine: node:http with no framework, answering each path it was given
 * with a fixed body (the very bytes our service sends for it). Usage: BODIES='{"/api/ping":"…"}' PORT=… node bare-node.ts
 */
const bodies = new Map(Object.entries(JSON.parse(process.env.BODIES ?? '{}') as Record<string, string>).map(([path, body]) => [path, Buffer.from(body)]));
const headers = (body: Buffer) => ({ 'content-type': 'application/json; charset=utf-8', 'content-length': body.length });

const server = createServer((request, response) => {
  const body = bodies.get(request.url ?? '');
  if (body === undefined) response.writeHead(404).end();
  else response.writeHead(200, headers(body)).end(body);
});
server.listen(Number(process.env.PORT), '127.0.0.1');
process.on('SIGTERM', () => server.close());
