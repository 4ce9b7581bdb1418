// @ts-check
import { Buffer } from 'node:buffer';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import process from 'node:process';

/**
 * The ceiling for Node on this machine: node:http with no framework, answering each path it was given
 * with a fixed body (the very bytes our service sends for it), looked up by URL in a table. Plain
 * JavaScript, so its start time is Node's own, without type stripping.
 * Usage: BODIES='{"/api/ping":"…"}' PORT=… node bare-node.mjs, or BODIES_FILE=<that JSON in a file>
 * for a table too large for the environment (every answer of a service).
 */
const table = process.env.BODIES_FILE ? readFileSync(process.env.BODIES_FILE, 'utf8') : (process.env.BODIES ?? '{}');
const bodies = new Map(Object.entries(JSON.parse(table)).map(([path, body]) => [path, Buffer.from(String(body))]));

const server = createServer((request, response) => {
  const body = bodies.get(request.url ?? '');
  if (body === undefined) response.writeHead(404).end();
  else response.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': body.length }).end(body);
});
server.listen(Number(process.env.PORT), '127.0.0.1');
process.on('SIGTERM', () => server.close());
