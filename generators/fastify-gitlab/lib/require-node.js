// @ts-check
// What each generator's index.js imports first. The generators are TypeScript, which Node runs as is from version 24
// on (the repository's .nvmrc); an older Node would stop at the first type with a bare syntax error, so say what to do.
import process from 'node:process';

const major = Number(process.versions.node.split('.')[0]);
if (major < 24) {
  throw new Error(`yo fastify-gitlab needs Node 24, this is Node ${process.versions.node}: run \`nvm use\` in the repository first.`);
}
