import { onTestFinished } from 'vitest';
import { buildService, type BuildOptions } from '../src/build-service.ts';
import { exampleService, type ExampleOptions } from './fixtures/example-service.ts';

/** The example service, ready, closed when the test ends. */
export async function buildExample(options: BuildOptions<ExampleOptions> = {}) {
  const app = await buildService(exampleService, options);
  onTestFinished(() => app.close());
  return app;
}

/** A request id the kit made (crypto.randomUUID). */
export const madeRequestId = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
