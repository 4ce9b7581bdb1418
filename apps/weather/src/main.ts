import { runService } from '@fastify-gitlab/service-kit';
import { definition } from './app.ts';

// No top-level await: the bundle is a script, which V8 can cache compiled (tools/build). A failure still ends the process.
void runService(definition);
