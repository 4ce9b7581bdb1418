import { sharedVitestConfig } from '../vitest.shared.ts';

// The bench's own helpers; the reliability checks have their own config (reliability.config.ts).
export default sharedVitestConfig('bench', { sources: ['lib/**/*.ts'] });
