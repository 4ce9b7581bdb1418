import { connect } from 'node:net';

export interface RawOutcome {
  /** The status of the response, or undefined when none came. */
  status?: number;
  headers: string;
  body: string;
  /** What ended the exchange without a response: the socket error, or 'timeout' or 'closed'. */
  failure?: string;
}

const statusLine = /^HTTP\/1\.[01] (\d{3})/;
/** "100 Continue" and other interim responses that come before the real one. */
const interimResponses = /^(HTTP\/1\.[01] 1\d\d[^\r]*\r\n(?:[^\r]+\r\n)*\r\n)+/;

/**
 * Writes bytes to a fresh TCP connection and reads one response, for requests no HTTP client would
 * send (bad methods, broken framing, raw bytes). Bounded: gives up after `timeoutMs`.
 */
export function sendRaw(port: number, request: string | Buffer, timeoutMs: number): Promise<RawOutcome> {
  return new Promise((resolve) => {
    const socket = connect({ port, host: '127.0.0.1' });
    const chunks: Buffer[] = [];
    let settled = false;
    const finish = (failure?: string) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      const text = finalResponse(chunks);
      const split = text.indexOf('\r\n\r\n');
      const status = statusLine.exec(text)?.[1];
      resolve({
        status: status === undefined ? undefined : Number(status),
        headers: split === -1 ? text : text.slice(0, split),
        body: split === -1 ? '' : text.slice(split + 4),
        failure: status === undefined ? failure : undefined,
      });
    };
    const timer = setTimeout(() => {
      finish('timeout');
    }, timeoutMs);
    socket.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      if (responseComplete(finalResponse(chunks))) finish();
    });
    socket.on('end', () => {
      finish('closed');
    });
    socket.on('error', (error: NodeJS.ErrnoException) => {
      finish(error.code ?? error.message);
    });
    // The server may answer and close before it has read everything (a 413 for an oversize body):
    // a write error after that is not a failure, the response is what counts.
    socket.write(request);
  });
}

function finalResponse(chunks: Buffer[]): string {
  return Buffer.concat(chunks).toString('latin1').replace(interimResponses, '');
}

/** Headers read and, when they give a Content-Length, that many body bytes too. */
function responseComplete(text: string): boolean {
  const split = text.indexOf('\r\n\r\n');
  if (split === -1) return false;
  const length = /^content-length:\s*(\d+)/im.exec(text.slice(0, split))?.[1];
  return length !== undefined && text.length - split - 4 >= Number(length);
}
