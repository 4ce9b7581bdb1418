// @ts-check
// What yo loads for `yo fastify-gitlab:upgrade`: the Node check first, then Node's compile cache, then the TypeScript generator.
import '../../lib/require-node.js';
import '../../lib/compile-cache.js';

const { default: UpgradeGenerator } = await import('./generator.ts');
export default UpgradeGenerator;
