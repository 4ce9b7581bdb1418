import { runService } from '@fastify-gitlab/service-kit';
import { definition } from './app.ts';

await runService(definition);
