import { copyWorkspace, yo } from '../../generators/fastify-gitlab/test/support/temp-workspace.ts';
import { formatMs, type Section } from '../lib/report.ts';
import { median } from '../lib/stats.ts';

const goalMs = 2000;

/** `yo fastify-gitlab <name> --defaults` (no install) in a copy of the workspace, `runs` new services one after another. */
export async function measureScaffold(runs: number): Promise<Section> {
  const workspace = await copyWorkspace();
  try {
    const times: number[] = [];
    for (let run = 0; run < runs; run++) {
      const startedAt = performance.now();
      const result = await yo(workspace, [`bench-probe-${run}`, '--defaults']);
      if (result.code !== 0) throw new Error(`yo fastify-gitlab failed (exit ${result.code}):\n${result.output}`);
      times.push(performance.now() - startedAt);
    }
    const value = median(times);
    return {
      table: {
        title: 'Scaffolding',
        columns: ['command', 'median', 'fastest', 'slowest'],
        rows: [['yo fastify-gitlab <name> --defaults', formatMs(value), formatMs(Math.min(...times)), formatMs(Math.max(...times))]],
        notes: [`The real \`yo\` binary writing a new service into a copy of this workspace (no install), ${runs} runs; includes starting Node and Yeoman.`],
      },
      data: times,
      targets: [{ name: 'scaffold a service', goal: `≤ ${goalMs / 1000} s`, measured: formatMs(value), met: value <= goalMs }],
    };
  } finally {
    await workspace.remove();
  }
}
