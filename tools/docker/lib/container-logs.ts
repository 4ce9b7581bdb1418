/**
 * The text of `docker logs` for a container without a TTY: the engine frames each chunk with an 8-byte
 * header (stream type, 3 zero bytes, big-endian length) so stdout and stderr can be told apart.
 */
export function demuxLogs(buffer: Buffer): string {
  const chunks: Buffer[] = [];
  let offset = 0;
  while (offset + 8 <= buffer.length) {
    const length = buffer.readUInt32BE(offset + 4);
    chunks.push(buffer.subarray(offset + 8, offset + 8 + length));
    offset += 8 + length;
  }
  return Buffer.concat(chunks).toString('utf8');
}
