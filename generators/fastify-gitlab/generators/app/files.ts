import type { ServiceAnswers } from '../../lib/answers.ts';

/**
 * Who owns a written file:
 *   scaffold  the templates do: rendered on every run from the recorded answers, and the drift test fails
 *             when a service's copy differs, so a change goes into the template, for every service at once
 *   domain    the service does: written once, when the service is first scaffolded, then never touched
 */
export type Owner = 'scaffold' | 'domain';

/** A new service gets the files of both; an upgrade merges both. */
export const everyOwner: readonly Owner[] = ['scaffold', 'domain'];

export interface FileGroup {
  owner: Owner;
  /** Folder under templates/ the templates are read from; each template is the target path plus `.ejs`. */
  from: string;
  /** Folder under apps/<name>/ the files go to. */
  to: string;
  /** When the group is written; always when absent. */
  when?: (answers: ServiceAnswers) => boolean;
  templates: readonly string[];
}

export const fileGroups: readonly FileGroup[] = [
  {
    owner: 'scaffold',
    from: 'service',
    to: '.',
    templates: [
      'project.json',
      'src/service.ts',
      'src/app.ts',
      'src/main.ts',
      'test/helper.ts',
      'test/openapi.test.ts',
      'Dockerfile',
      '.dockerignore',
      'tsconfig.json',
      'vitest.config.ts',
    ],
  },
  {
    owner: 'domain',
    from: 'service',
    to: '.',
    templates: [
      'README.md',
      'src/options.ts',
      'src/routes/index.ts',
      'src/routes/hello/index.ts',
      'src/schemas/hello.ts',
      'test/options.test.ts',
      'test/routes/hello.test.ts',
    ],
  },
  { owner: 'scaffold', from: 'deploy/cloud-run', to: 'deploy', when: ({ deploy }) => deploy === 'cloud-run', templates: ['service.yaml'] },
  { owner: 'scaffold', from: 'deploy/app-engine', to: 'deploy', when: ({ deploy }) => deploy === 'app-engine', templates: ['app.yaml'] },
];
