import { sharedVitestConfig } from '../../vitest.shared.ts';

export default sharedVitestConfig('generator-fastify-gitlab', { sources: ['generators/**/*.ts', 'lib/**/*.ts'] });
