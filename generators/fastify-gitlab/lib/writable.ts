import { accessSync, constants } from 'node:fs';

/** Fails before any prompt when a folder can't be written, e.g. when yo, started as root, dropped to uid 1000. */
export function assertWritable(folder: string): void {
  try {
    accessSync(folder, constants.W_OK);
  } catch {
    const uid = process.getuid?.();
    throw new Error(
      `Cannot write to ${folder}${uid === undefined ? '' : ` as uid ${uid}`}. ` +
        'yo never runs as root: started by root it switches to uid 1000. Run it as the user who owns the checkout.',
    );
  }
}
