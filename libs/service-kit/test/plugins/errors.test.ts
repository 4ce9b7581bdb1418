import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import errors from '../../src/plugins/errors.ts';

async function appThrowing(error: Error) {
  const app = Fastify({ logger: false });
  await app.register(errors);
  app.get('/fail', () => {
    throw error;
  });
  return app;
}

describe('the errors plugin', () => {
  it('hides the internals of an unexpected error behind a JSON 500', async () => {
    const app = await appThrowing(new Error('database password is hunter2'));
    const response = await app.inject('/fail');
    expect(response.statusCode).toBe(500);
    expect(response.json()).toEqual({ statusCode: 500, error: 'Internal Server Error', message: 'Something went wrong on our side' });
  });

  it('keeps the status and message of an error raised on purpose', async () => {
    const app = await appThrowing(Object.assign(new Error('upstream timed out after 3000 ms'), { statusCode: 504 }));
    const response = await app.inject('/fail');
    expect(response.statusCode).toBe(504);
    expect(response.json()).toMatchObject({ statusCode: 504, error: 'Gateway Timeout', message: 'upstream timed out after 3000 ms' });
  });
});
