import { connect, type Socket } from 'node:net';

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
    sendRequest(socket, typeof request === 'string' ? Buffer.from(request) : request, () => chunks.length > 0);
  });
}

const pieceBytes = 64 * 1024;
/** As long as curl waits for an early answer before it sends a large body (its Expect: 100-continue wait). */
const earlyAnswerWaitMs = 1000;

/**
 * The server may answer a request before it has read the body (a 413 when Content-Length is over its limit,
 * a 404) and close the connection. A client still writing then meets a reset, and a reset can cost the
 * answer before it is read. So a large body waits, as curl's does, for an early answer after the headers,
 * and then goes a piece at a time, stopping once the response has begun. A write error after the response
 * has come is not a failure: the response is what counts.
 */
function sendRequest(socket: Socket, bytes: Buffer, answered: () => boolean): void {
  const headersEnd = bytes.indexOf('\r\n\r\n');
  const bodyStart = headersEnd === -1 ? bytes.length : headersEnd + 4;
  if (bytes.length - bodyStart <= pieceBytes) {
    writeUntilAnswered(socket, bytes, answered);
    return;
  }
  socket.write(bytes.subarray(0, bodyStart));
  const waited = setTimeout(() => {
    writeUntilAnswered(socket, bytes, answered, bodyStart);
  }, earlyAnswerWaitMs);
  socket.once('data', () => {
    clearTimeout(waited);
  });
  socket.once('close', () => {
    clearTimeout(waited);
  });
}

function writeUntilAnswered(socket: Socket, bytes: Buffer, answered: () => boolean, offset = 0): void {
  if (answered() || socket.destroyed || offset >= bytes.length) return;
  socket.write(bytes.subarray(offset, offset + pieceBytes), (error) => {
    if (!error) writeUntilAnswered(socket, bytes, answered, offset + pieceBytes);
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
