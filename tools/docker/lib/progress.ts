/** One JSON message of the engine's build, pull or push stream. */
export interface DaemonEvent {
  stream?: string;
  status?: string;
  id?: string;
  progress?: string;
  error?: string;
  errorDetail?: { message?: string };
  aux?: { ID?: string; Tag?: string; Digest?: string; Size?: number };
}

export interface RenderedEvent {
  /** What to print, already trimmed; none for noise. */
  lines: string[];
  /** The engine's message when the build, pull or push failed. */
  error?: string;
  /** The image a build produced. */
  imageId?: string;
  /** The manifest digest a push produced. */
  digest?: string;
}

// Per-layer progress: a CI log gets one line per layer when it is done, not every step toward it.
const TRANSIENT_STATUS = new Set(['Preparing', 'Waiting', 'Pushing', 'Pulling fs layer', 'Downloading', 'Verifying Checksum', 'Download complete', 'Extracting']);
// Legacy builder chatter between steps that says nothing a reader needs.
const BUILD_NOISE = /^(?:---> Running in [0-9a-f]+|Removing intermediate container [0-9a-f]+|---> [0-9a-f]{12})$/;

/** Turns an engine message into readable log lines, and picks out errors, image IDs and digests. */
export function renderEvent(event: DaemonEvent): RenderedEvent {
  if (event.error !== undefined || event.errorDetail !== undefined) {
    return { lines: [], error: (event.errorDetail?.message ?? event.error ?? 'unknown error').trim() };
  }
  if (event.aux?.ID !== undefined) return { lines: [], imageId: event.aux.ID };
  if (event.aux?.Digest !== undefined) return { lines: [], digest: event.aux.Digest };
  if (event.stream !== undefined) {
    const lines = event.stream
      .split('\n')
      .map((line) => line.trim())
      .filter((line) => line !== '' && !BUILD_NOISE.test(line));
    return { lines };
  }
  if (event.status !== undefined && !TRANSIENT_STATUS.has(event.status)) {
    return { lines: [event.id === undefined ? event.status : `${event.id}: ${event.status}`] };
  }
  return { lines: [] };
}
