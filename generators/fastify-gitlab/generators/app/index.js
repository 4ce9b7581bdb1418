// @ts-check
// What yo loads. The generator is TypeScript, which Node runs as is from version 24 on (the repository's
// .nvmrc); an older Node would stop at the first type with a bare syntax error, so say what to do instead.
import process from 'node:process';

const major = Number(process.versions.node.split('.')[0]);
if (major < 24) {
  throw new Error(`yo fastify-gitlab needs Node 24, this is Node ${process.versions.node}: run \`nvm use\` in the repository first.`);
}

const { default: AppGenerator } = await import('./generator.ts');
export default AppGenerator;
