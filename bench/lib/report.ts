/** What `npm run bench` prints and writes: tables for people (Markdown), the same numbers as JSON. */

export interface Table {
  title: string;
  columns: string[];
  rows: string[][];
  notes?: string[];
}

/** One of the goals we hold ourselves to; `met` is undefined when it could not be measured here. */
export interface Target {
  name: string;
  goal: string;
  measured: string;
  met: boolean | undefined;
}

export interface Section {
  table: Table;
  /** The raw numbers behind the table, for the JSON file. */
  data: unknown;
  targets?: Target[];
}

export interface BenchReport {
  machine: Record<string, string>;
  startedAt: string;
  settings: Record<string, string | number>;
  targets: Target[];
  sections: Section[];
}

export function renderMarkdown(report: BenchReport): string {
  const machine = renderTable({
    title: 'Machine',
    columns: ['', ''],
    rows: Object.entries(report.machine),
    notes: [`Run started ${report.startedAt}; ${Object.entries(report.settings).map(([key, value]) => `${key} ${value}`).join(', ')}.`],
  });
  const targets = renderTable({
    title: 'Targets',
    columns: ['target', 'goal', 'measured', 'met'],
    rows: report.targets.map(({ name, goal, measured, met }) => [name, goal, measured, met === undefined ? 'not measured' : met ? 'yes' : '**no**']),
  });
  return [machine, targets, ...report.sections.map(({ table }) => renderTable(table))].join('\n');
}

export function renderTable({ title, columns, rows, notes = [] }: Table): string {
  const line = (cells: string[]) => `| ${cells.map((cell) => cell.replaceAll('|', '\\|')).join(' | ')} |`;
  return [
    `#### ${title}`,
    '',
    line(columns),
    line(columns.map(() => '---')),
    ...rows.map(line),
    ...(notes.length > 0 ? ['', ...notes] : []),
    '',
  ].join('\n');
}

export function formatRatio(value: number | undefined): string {
  return value === undefined ? 'n/a' : `${value.toFixed(2)}×`;
}

export function formatCount(value: number): string {
  return Math.round(value).toLocaleString('en-US');
}

export function formatMs(value: number): string {
  return value < 10 ? `${value.toFixed(2)} ms` : `${Math.round(value).toLocaleString('en-US')} ms`;
}

export function formatMiB(bytes: number): string {
  return `${(bytes / 2 ** 20).toFixed(1)} MiB`;
}

export function notMeasured(why: string): string {
  return `not measured: ${why}`;
}
