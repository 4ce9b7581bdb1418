import { mergeConfig } from 'vitest/config';
import { sharedVitestConfig } from '../../vitest.shared.ts';

export default mergeConfig(sharedVitestConfig('generator-fastify-gitlab', { sources: ['generators/**/*.ts', 'lib/**/*.ts'] }), {
  test: {
    // yeoman-test changes the working directory, which only a process of its own may do.
    pool: 'forks',
    // Nx starts this task among the last (nothing depends on the generator), and its end-to-end and upgrade
    // files mostly wait on the yo and Nx processes they start: two at once shorten the run's tail.
    maxWorkers: 2,
  },
});
