// @ts-check
// What yo loads: the Node check first, then the TypeScript generator.
import '../../lib/require-node.js';

const { default: AppGenerator } = await import('./generator.ts');
export default AppGenerator;
