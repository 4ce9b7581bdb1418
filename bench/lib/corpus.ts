import { concretePaths, routesOf, type OpenApiDocument, type Route } from './openapi.ts';

/** One request no well-behaved client sends, as raw bytes, and whether the service owes it an answer. */
export interface BadRequest {
  /** Says what is wrong, to name the request in a failure. */
  name: string;
  bytes: Buffer;
  /** False for a request that never finishes arriving: the service may wait for the rest. */
  expectsResponse: boolean;
}

const host = 'Host: 127.0.0.1';

/** An HTTP/1.1 request with Host, Connection: close and (for a body) Content-Length, unless overridden. */
function message(method: string, target: string, headers: string[] = [], body: Buffer | string = ''): Buffer {
  const payload = Buffer.isBuffer(body) ? body : Buffer.from(body);
  const named = (prefix: string) => headers.some((header) => header.toLowerCase().startsWith(prefix));
  const head = [
    `${method} ${target} HTTP/1.1`,
    ...(named('host:') ? [] : [host]),
    ...(named('connection:') ? [] : ['Connection: close']),
    ...(payload.length > 0 && !named('content-length:') && !named('transfer-encoding:') ? [`Content-Length: ${payload.length}`] : []),
    ...headers,
  ];
  return Buffer.concat([Buffer.from(`${head.join('\r\n')}\r\n\r\n`), payload]);
}

/** Values that are not what a parameter takes: wrong type, out of range, odd encodings, huge. */
export const badParameterValues = [
  '', ' ', '-1', '-0', '+1', '1.5', '1e3', '1E3', '0x10', '0b1', '0o7', '010', '1_000', '1,000', '１', '٣', '½',
  'NaN', 'Infinity', '-Infinity', 'null', 'undefined', 'true', '[]', '{}', '[1]', '__proto__', 'constructor',
  '9'.repeat(20), '9'.repeat(400), '9'.repeat(5000), '2147483648', '4294967296', '9007199254740993',
  '%00', '%0a', '%0d%0a', '%20', '%25', '%2e%2e', '%2f', '%5c', '%c0%ae', '%e0%a4%a', '%ff', '%', '%%', '%zz',
  '..', '.', '..%2f..%2fetc%2fpasswd', '%3Cscript%3E', "'%20OR%201=1", 'a;b', 'a,b', '*', '~', 'x'.repeat(2000),
];

/** Paths no route has, or has only in another spelling. */
export const badPaths = [
  '/', '//', '///', '/api', '/api/', '/api//ping', '/API/PING', '/api/ping/x', '/api/ping%00', '/api/ping%2f', '/api/ping.json',
  '/api/ping;x=1', '/api/ping%20', '/./api/ping', '/api/./ping', '/api/../api/ping', '/../../etc/passwd', '/..%2f..%2fetc%2fpasswd',
  '/%2e%2e/%2e%2e/etc/passwd', '/docs/static/..%2f..%2fpackage.json', '/docs/static/../../../etc/passwd', '/docs/static/%00',
  '/docs/nope', '/docs/json/x', '/.env', '/.git/config', '/server/main.mjs', '/package.json', '/favicon.ico', '/robots.txt',
  '/%ff%fe', '/%c0%af', '/\u00e9', '/%E2%80%AE', '/a'.repeat(100), `/${'x'.repeat(8000)}`, '/api/fibonacci', '/api/fibonacci/',
  '/api/fibonacci//8', '/api/fibonacci/8/9', '*', 'api/ping', 'http://127.0.0.1/api/ping', 'http://evil.example/api/ping',
];

export const badMethods = ['POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'TRACE', 'PROPFIND', 'SEARCH', 'HEAD', 'FOO', 'get', 'G3T'];

export const badQueries = [
  '?', '??', '?&', '?=', '?a', '?a=', '?=a', '?a=1&a=2', '?a[]=1', '?a[b][c]=1', '?__proto__[x]=1', '?constructor[prototype][x]=1',
  '?%', '?a=%', '?a=%zz', '?a=%ff', '?a=%00', '?%00=1', `?a=${'x'.repeat(8000)}`, `?${'a=1&'.repeat(2000)}`, '?n=1&n=2',
  '?callback=alert(1)', '?format=xml', '?a=1;b=2', '?a=%u0041', '?a=+', '?a=%2B',
];

/** Header lines that are malformed, misleading or huge. */
export const badHeaders: string[][] = [
  ['Accept: application/xml'], ['Accept: */*;q=abc'], ['Accept: '], ['Accept-Encoding: gzip;q=bogus, br, zstd'],
  ['Accept-Charset: utf-16'], ['Accept-Language: ' + 'x,'.repeat(1000)], ['Authorization: Bearer'], ['Authorization: ' + 'A'.repeat(8000)],
  ['Cookie: ' + 'a=b; '.repeat(1500)], ['Content-Type: application/json'], ['Content-Type: ;;;'], ['Content-Type: a/b; charset='],
  ['Content-Length: 0'], ['Content-Length: -1'], ['Content-Length: abc'], ['Content-Length: 1', 'Content-Length: 2'],
  ['Transfer-Encoding: chunked, identity'], ['Transfer-Encoding: gzip'], ['Expect: 100-continue'], ['Expect: nonsense'],
  ['Range: bytes=0-0'], ['Range: bytes=999999999-'], ['If-None-Match: *'], ['If-Modified-Since: not a date'],
  ['Origin: null'], ['X-Forwarded-For: 1.2.3.4, ' + 'x'.repeat(4000)], ['X-Forwarded-Proto: gopher'], ['X-Request-Id: ' + '\u00ff'.repeat(50)],
  ['Upgrade: websocket', 'Connection: Upgrade'], ['Upgrade: h2c', 'Connection: Upgrade, HTTP2-Settings', 'HTTP2-Settings: AAMAAABkAARAAAAAAAIAAAAA'],
  ['X-Big: ' + 'y'.repeat(20_000)], Array.from({ length: 300 }, (_, index) => `X-Many-${index}: ${index}`),
  ['Host: ' + 'h'.repeat(300)], ['Host: 127.0.0.1', 'Host: example.com'], ['Host:'], ['Connection: keep-alive, close, upgrade'],
];

/** Bodies a GET route should never see, and a POST route would refuse: broken, wrongly typed, oversize. */
export const badBodies: [string[], Buffer | string][] = [
  [['Content-Type: application/json'], '{'],
  [['Content-Type: application/json'], '{"a":'],
  [['Content-Type: application/json'], 'null'],
  [['Content-Type: application/json'], '{"__proto__":{"polluted":true}}'],
  [['Content-Type: application/json'], '{"constructor":{"prototype":{"polluted":true}}}'],
  [['Content-Type: application/json'], '['.repeat(5000) + ']'.repeat(5000)],
  [['Content-Type: application/json'], Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d])],
  [['Content-Type: application/json; charset=utf-16'], Buffer.from('{"a":1}', 'utf16le')],
  [['Content-Type: application/json'], `{"a":"${'x'.repeat(2 * 2 ** 20)}"}`],
  [['Content-Type: application/json', 'Content-Encoding: gzip'], 'this is not gzip'],
  [['Content-Type: application/json', 'Content-Encoding: br'], Buffer.from([0, 1, 2, 3])],
  [['Content-Type: application/json', 'Content-Encoding: gzip, gzip'], '{}'],
  [['Content-Type: application/json', 'Content-Encoding: bogus'], '{}'],
  [['Content-Type: application/json', 'Content-Encoding: deflate'], Buffer.from([0x78, 0x9c, 0xff, 0xff])],
  [['Content-Type: application/json'], Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('{"a":1}')])],
  [['Content-Type: application/json'], '{"n":1e999999}'],
  [['Content-Type: application/json; charset=latin1'], Buffer.from('{"a":"\xe9"}', 'latin1')],
  [['Content-Type: text/plain'], 'hello'],
  [['Content-Type: application/x-www-form-urlencoded'], 'a=%zz&b'],
  [['Content-Type: multipart/form-data'], '--x\r\n'],
  [['Content-Type: multipart/form-data; boundary=x'], '--x\r\nContent-Disposition: form-data; name="a"\r\n\r\n1\r\n'],
  [['Content-Type: application/octet-stream'], Buffer.alloc(64 * 1024, 0xff)],
  [['Content-Type: application/xml'], '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><x>&a;</x>'],
  [[], 'no content type at all'],
  [['Content-Type: application/json', 'Transfer-Encoding: chunked'], '5\r\n{"a":\r\n0\r\n\r\n'],
  [['Content-Type: application/json', 'Transfer-Encoding: chunked'], 'zz\r\n{}\r\n0\r\n\r\n'],
];

/** Messages that break HTTP/1.1 framing itself. */
function brokenFraming(path: string): BadRequest[] {
  const raw = (name: string, text: string | Buffer, expectsResponse = true): BadRequest => ({ name, bytes: Buffer.isBuffer(text) ? text : Buffer.from(text, 'latin1'), expectsResponse });
  return [
    raw('no version', `GET ${path}\r\n\r\n`),
    raw('HTTP/0.9', `GET ${path} HTTP/0.9\r\n\r\n`),
    raw('HTTP/1.2', `GET ${path} HTTP/1.2\r\n${host}\r\n\r\n`),
    raw('HTTP/2.0 on HTTP/1 framing', `GET ${path} HTTP/2.0\r\n${host}\r\n\r\n`),
    raw('HTTP/2 preface', 'PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n'),
    raw('HTTP/1.1 without Host', `GET ${path} HTTP/1.1\r\nConnection: close\r\n\r\n`),
    raw('two spaces in request line', `GET  ${path}  HTTP/1.1\r\n${host}\r\n\r\n`),
    raw('tab in request line', `GET\t${path}\tHTTP/1.1\r\n${host}\r\n\r\n`),
    raw('LF line endings', `GET ${path} HTTP/1.1\n${host}\nConnection: close\n\n`),
    raw('CR line endings', `GET ${path} HTTP/1.1\r${host}\rConnection: close\r\r`),
    raw('NUL in request line', `GET ${path}\0 HTTP/1.1\r\n${host}\r\n\r\n`),
    raw('space in path', `GET ${path} x HTTP/1.1\r\n${host}\r\n\r\n`),
    raw('header without colon', `GET ${path} HTTP/1.1\r\n${host}\r\nBroken header\r\nConnection: close\r\n\r\n`),
    raw('header name with space', `GET ${path} HTTP/1.1\r\n${host}\r\nBad Name: 1\r\nConnection: close\r\n\r\n`),
    raw('obsolete header folding', `GET ${path} HTTP/1.1\r\n${host}\r\nX-A: 1\r\n  folded\r\nConnection: close\r\n\r\n`),
    raw('control character in header value', `GET ${path} HTTP/1.1\r\n${host}\r\nX-A: a\x01b\r\nConnection: close\r\n\r\n`),
    raw('Content-Length and Transfer-Encoding', `POST ${path} HTTP/1.1\r\n${host}\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n0\r\n\r\n`),
    raw('two different Content-Lengths', `POST ${path} HTTP/1.1\r\n${host}\r\nContent-Length: 2\r\nContent-Length: 3\r\nConnection: close\r\n\r\n{}`),
    raw('chunk size not hex', `POST ${path} HTTP/1.1\r\n${host}\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\nxyz\r\n{}\r\n0\r\n\r\n`),
    raw('chunk longer than announced', `POST ${path} HTTP/1.1\r\n${host}\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n1\r\n{}}}\r\n0\r\n\r\n`),
    raw('request smuggling attempt', `POST ${path} HTTP/1.1\r\n${host}\r\nTransfer-Encoding: chunked\r\nConnection: keep-alive\r\n\r\n0\r\n\r\nGET /admin HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`),
    raw('request line of 100 KiB', `GET ${path}?${'q'.repeat(100 * 1024)} HTTP/1.1\r\n${host}\r\n\r\n`),
    raw('Content-Length of 10 GB', `POST ${path} HTTP/1.1\r\n${host}\r\nContent-Type: application/json\r\nContent-Length: 10000000000\r\nConnection: close\r\n\r\n{}`),
    raw('binary garbage', Buffer.from(Array.from({ length: 512 }, (_, index) => (index * 7919) % 256))),
    raw('TLS hello on a plain port', Buffer.from('16030100a5010000a103035b', 'hex')),
    raw('body shorter than Content-Length', `POST ${path} HTTP/1.1\r\n${host}\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{}`, false),
    raw('headers that never end', `GET ${path} HTTP/1.1\r\n${host}\r\nX-Slow: 1\r\n`, false),
  ];
}

/**
 * At least a thousand bad requests for a service, made from its own OpenAPI document: bad values for
 * each path and query parameter, unknown paths, wrong methods, odd query strings and headers, broken, oversize
 * and wrongly encoded bodies, and broken HTTP framing. Deterministic, so a failure can be replayed.
 */
export function badInputCorpus(document: OpenApiDocument): BadRequest[] {
  const routes = routesOf(document);
  const validPaths = routes.filter((route) => route.method === 'GET').flatMap(concretePaths);
  const corpus: BadRequest[] = [];
  const add = (name: string, bytes: Buffer) => corpus.push({ name, bytes, expectsResponse: true });

  for (const route of routes.filter((candidate) => candidate.pathParameters.size > 0)) {
    for (const name of route.pathParameters.keys()) {
      for (const value of badParameterValues) {
        const path = withParameter(route, name, value);
        for (const method of ['GET', 'HEAD']) add(`${method} ${route.template} with ${name}=${abbreviate(value)}`, message(method, path));
      }
    }
  }
  for (const route of routes.filter((candidate) => candidate.queryNames.length > 0)) {
    const [base = route.template] = concretePaths({ ...route, queryExamples: new Map(), requiredQuery: new Map() });
    for (const name of route.queryNames) {
      for (const value of badParameterValues) add(`GET ${route.template}?${name}=${abbreviate(value)}`, message('GET', `${base}?${name}=${value}`));
    }
  }
  for (const path of badPaths) {
    for (const method of ['GET', 'HEAD', 'POST']) add(`${method} ${abbreviate(path)}`, message(method, path));
  }
  for (const path of validPaths) {
    for (const method of badMethods) add(`${method} ${path}`, message(method, path));
    for (const query of badQueries) add(`GET ${path}${abbreviate(query)}`, message('GET', `${path}${query}`));
    for (const headers of badHeaders) add(`GET ${path} with ${abbreviate(headers.join(' / '))}`, message('GET', path, headers));
    for (const [headers, body] of badBodies) {
      for (const method of ['POST', 'PUT', 'PATCH']) add(`${method} ${path} with ${abbreviate(headers.join(' / ') || 'no headers')}, ${body.length} bytes`, message(method, path, headers, body));
    }
  }
  corpus.push(...brokenFraming(validPaths[0] ?? '/'));
  return corpus;
}

function withParameter(route: Route, name: string, rawValue: string): string {
  // The bad values are already written as they should appear in a URL (some with deliberate % escapes).
  return route.template.replace(/\{([^}]+)\}/g, (_match, parameter: string) => (parameter === name ? rawValue : encodeURIComponent(route.pathParameters.get(parameter)?.[0] ?? 'x')));
}

function abbreviate(text: string): string {
  return text.length > 60 ? `${text.slice(0, 40)}… (${text.length} chars)` : text;
}
