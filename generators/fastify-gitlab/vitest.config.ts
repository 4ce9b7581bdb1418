import { mergeConfig } from 'vitest/config';
import { sharedVitestConfig } from '../../vitest.shared.ts';

// yeoman-test changes the working directory, which only a process of its own may do.
export default mergeConfig(sharedVitestConfig('generator-fastify-gitlab', { sources: ['generators/**/*.ts', 'lib/**/*.ts'] }), {
  test: { pool: 'forks' },
});
