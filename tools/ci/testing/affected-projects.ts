/**
 * Prints, as JSON, the projects `nx show projects --affected --files=<file>` picks for each file given, from one
 * project graph: what the CLI computes, without building the graph once per file (seconds of CPU each).
 * Run from the workspace root: `node tools/ci/testing/affected-projects.ts <file>…`.
 */
import { createRequire } from 'node:module';

interface ProjectGraph {
  nodes: Record<string, unknown>;
}
type FileChange = object;

// The functions behind `nx show projects --affected` (nx/src/command-line/show/projects.js); Nx is pinned.
const require = createRequire(import.meta.url);
const { createProjectGraphAsync } = require('nx/src/project-graph/project-graph') as { createProjectGraphAsync: () => Promise<ProjectGraph> };
const { calculateFileChanges } = require('nx/src/project-graph/file-utils') as {
  calculateFileChanges: (files: string[], nxArgs: { files: string[] }) => FileChange[];
};
const { filterAffected } = require('nx/src/project-graph/affected/affected-project-graph') as {
  filterAffected: (graph: ProjectGraph, touched: FileChange[]) => Promise<ProjectGraph>;
};

const graph = await createProjectGraphAsync();
const affected: Record<string, string[]> = {};
for (const file of process.argv.slice(2)) {
  affected[file] = Object.keys((await filterAffected(graph, calculateFileChanges([file], { files: [file] }))).nodes);
}
process.stdout.write(JSON.stringify(affected));
