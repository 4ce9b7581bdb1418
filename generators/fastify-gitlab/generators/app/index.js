// @ts-check
// What yo loads: the Node check first, then Node's compile cache, then the TypeScript generator.
import '../../lib/require-node.js';
import '../../lib/compile-cache.js';

const { default: AppGenerator } = await import('./generator.ts');
export default AppGenerator;
