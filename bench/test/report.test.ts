import { describe, expect, it } from 'vitest';
import { formatMs, formatRatio, renderMarkdown, renderTable, type BenchReport } from '../lib/report.ts';

describe('renderTable', () => {
  it('writes a Markdown table with a heading and notes, escaping pipes', () => {
    expect(renderTable({ title: 'Speed', columns: ['what', 'value'], rows: [['a|b', '1']], notes: ['Medians.'] })).toBe(
      ['#### Speed', '', '| what | value |', '| --- | --- |', '| a\\|b | 1 |', '', 'Medians.', ''].join('\n'),
    );
  });
});

describe('renderMarkdown', () => {
  it('puts the machine and the targets first, and says which were not measured', () => {
    const report: BenchReport = {
      machine: { CPU: 'test CPU, 2 cores' },
      startedAt: '2026-01-01T00:00:00.000Z',
      settings: { connections: 100 },
      targets: [
        { name: 'fast', goal: '≥ 0.9×', measured: '0.95×', met: true },
        { name: 'slow', goal: '≤ 150 ms', measured: '200 ms', met: false },
        { name: 'image', goal: '≤ 10 MB', measured: 'not measured: no tooling', met: undefined },
      ],
      sections: [{ table: { title: 'Details', columns: ['x'], rows: [['1']] }, data: {} }],
    };
    const markdown = renderMarkdown(report);
    expect(markdown.indexOf('#### Machine')).toBeLessThan(markdown.indexOf('#### Targets'));
    expect(markdown.indexOf('#### Targets')).toBeLessThan(markdown.indexOf('#### Details'));
    expect(markdown).toContain('| CPU | test CPU, 2 cores |');
    expect(markdown).toContain('| fast | ≥ 0.9× | 0.95× | yes |');
    expect(markdown).toContain('| slow | ≤ 150 ms | 200 ms | **no** |');
    expect(markdown).toContain('| image | ≤ 10 MB | not measured: no tooling | not measured |');
  });
});

describe('formats', () => {
  it('shows ratios with two decimals and n/a without a reference', () => {
    expect(formatRatio(0.914)).toBe('0.91×');
    expect(formatRatio(undefined)).toBe('n/a');
  });

  it('shows short times with two decimals and long ones whole', () => {
    expect(formatMs(1.234)).toBe('1.23 ms');
    expect(formatMs(1534.4)).toBe('1,534 ms');
  });
});
