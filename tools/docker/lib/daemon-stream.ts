import type Docker from 'dockerode';
import { CliError } from './errors.ts';
import { renderEvent, type DaemonEvent } from './progress.ts';

export interface StreamResult {
  imageId?: string;
  digest?: string;
}

/**
 * Prints a build, pull or push stream as it comes, and settles when it ends. The engine reports a failed
 * build or push inside the stream (HTTP 200 already sent), so an error message there rejects with it.
 */
export function followStream(docker: Docker, stream: NodeJS.ReadableStream, print: (line: string) => void, what: string): Promise<StreamResult> {
  const result: StreamResult = {};
  let failure: string | undefined;
  return new Promise((resolve, reject) => {
    docker.modem.followProgress(
      stream,
      (error: Error | null) => {
        if (error) reject(new CliError(`${what} failed: ${error.message}`));
        else if (failure !== undefined) reject(new CliError(`${what} failed: ${failure}`));
        else resolve(result);
      },
      (event: DaemonEvent) => {
        const rendered = renderEvent(event);
        for (const line of rendered.lines) print(line);
        failure ??= rendered.error;
        result.imageId ??= rendered.imageId;
        result.digest ??= rendered.digest;
      },
    );
  });
}
