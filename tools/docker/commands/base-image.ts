import { ensureBaseImage, LOCAL_BASE_IMAGE } from '../lib/base-image.ts';
import { connectEngine } from '../lib/engine.ts';
import { formatBytes, formatSeconds } from '../lib/format.ts';
import { defineCommand, print } from './command.ts';

export default defineCommand(
  {
    name: 'base-image',
    summary: `Build ${LOCAL_BASE_IMAGE} by \`docker import\` of this machine's Node 24: no image pulled from the internet`,
    description: [
      'Imports a root file system holding only the Node 24 binary (/usr/local/bin/node), the shared libraries `ldd`',
      'lists for it with their loader, and a writable /tmp. No shell, no package manager, no passwd: service images',
      'run as a numeric USER. Kept when it already holds the same Node version. Build a service on it with',
      `\`build --base-image ${LOCAL_BASE_IMAGE}\` (the Dockerfile's NODE_IMAGE argument).`,
    ].join('\n'),
    options: {
      tag: { type: 'string', placeholder: '<name:tag>', description: `The image name (default: ${LOCAL_BASE_IMAGE})` },
      node: { type: 'string', placeholder: '<path>', description: 'The Node 24 binary (default: the one running this)' },
      force: { type: 'boolean', description: 'Rebuild even when the image exists for this Node version' },
    },
    examples: ['node tools/docker/cli.ts base-image', 'node tools/docker/cli.ts base-image --tag registry.example.com/base/node:24 --force'],
  },
  async (values) => {
    const docker = await connectEngine();
    const started = performance.now();
    const image = await ensureBaseImage(docker, { name: values.tag, nodeBinary: values.node, force: values.force, print });
    const how = image.built ? `built in ${formatSeconds(performance.now() - started)}` : 'already there';
    print(`${image.name}: Node ${image.nodeVersion}, ${formatBytes(image.size)} (${image.id.slice(7, 19)}), ${how}`);
  },
);
