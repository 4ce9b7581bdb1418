import { sharedVitestConfig } from '../vitest.shared.ts';

export default sharedVitestConfig('tools', { tests: ['**/*.test.ts'], sources: ['**/*.ts', '!**/fixtures/**'] });
