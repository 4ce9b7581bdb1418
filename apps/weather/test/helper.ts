import { onTestFinished } from 'vitest';
import { buildApp, type AppOptions } from '../src/app.ts';

/** A ready app for one test, closed when the test ends. */
export async function buildTestApp(options: AppOptions = {}) {
  const app = await buildApp(options);
  onTestFinished(() => app.close());
  return app;
}
