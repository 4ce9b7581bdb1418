/** Where pino writes one serialized JSON line at a time (Fastify's `logger.stream`). */
export interface LogDestination {
  write(line: string): void;
}

export const censor = '[redacted]';

/**
 * A destination that replaces every secret value before the line leaves the process. Path-based redaction
 * (pino `redact`) cannot reach a secret inside a string, such as an upstream URL quoted in an error
 * message or stack; this catches it in any field, in the forms a secret takes on its way into a JSON line.
 */
export function scrubSecrets(secrets: readonly string[], destination: LogDestination): LogDestination {
  // Longest first, so a form that contains another is replaced whole.
  const forms = [...new Set(secrets.filter((secret) => secret !== '').flatMap(formsOf))].sort((a, b) => b.length - a.length);
  return {
    write(line) {
      destination.write(forms.reduce((scrubbed, form) => scrubbed.replaceAll(form, censor), line));
    },
  };
}

/** As written, as a URL query value, and escaped inside a JSON string. */
function formsOf(secret: string): string[] {
  return [secret, encodeURIComponent(secret), new URLSearchParams({ s: secret }).toString().slice(2), JSON.stringify(secret).slice(1, -1)];
}
