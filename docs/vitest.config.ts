import { sharedVitestConfig } from '../vitest.shared.ts';

// The checks of README.md and the pages beside this file: their links, and the README's size.
export default sharedVitestConfig('docs', { sources: ['test/**/*.ts', '!test/**/*.test.ts'] });
