import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { notMeasured, type Section, type Target } from '../lib/report.ts';
import { workspaceRoot } from '../lib/services.ts';

interface Pending {
  measurement: string;
  target?: Omit<Target, 'measured' | 'met'>;
  /** Why it cannot be measured yet, or undefined once its tooling is in the workspace. */
  missing: () => string | undefined;
}

const dockerCli = 'tools/docker/cli.ts';

const hasGenerator = () =>
  existsSync(join(workspaceRoot, 'generators')) &&
  readdirSync(join(workspaceRoot, 'generators')).some((entry) => existsSync(join(workspaceRoot, 'generators', entry, 'generators/app')));

const pending: Pending[] = [
  {
    measurement: 'scaffold a service (no install)',
    target: { name: 'scaffold a service', goal: '≤ 2 s' },
    missing: () => (hasGenerator() ? undefined : 'no Yeoman generator (generators/*/generators/app) in this workspace yet'),
  },
  {
    measurement: 'image size over the base layer',
    target: { name: 'image layers over the base', goal: '≤ 10 MB' },
    missing: () => (existsSync(join(workspaceRoot, dockerCli)) ? undefined : `${dockerCli} is not in this workspace yet`),
  },
  {
    measurement: 'container start → healthy',
    missing: () => (existsSync(join(workspaceRoot, dockerCli)) ? undefined : `${dockerCli} is not in this workspace yet`),
  },
];

/**
 * Measurements whose tooling other work brings (the generator, the Docker helpers). Until it is here
 * they say so in the table instead of showing a number; once it is, they are written against it.
 */
export function awaitingTooling(): Section {
  const reasons = pending.map((item) => item.missing() ?? 'its tooling has landed; the measurement is not written yet (issue #8 follow-up)');
  return {
    table: {
      title: 'Scaffolding and images',
      columns: ['measurement', 'result'],
      rows: pending.map((item, index) => [item.measurement, notMeasured(reasons[index] ?? '')]),
    },
    data: Object.fromEntries(pending.map((item, index) => [item.measurement, { measured: false, reason: reasons[index] }])),
    targets: pending.flatMap((item, index) => (item.target ? [{ ...item.target, measured: notMeasured(reasons[index] ?? ''), met: undefined }] : [])),
  };
}
