import { extname } from 'node:path';
import { lintSource } from '@secretlint/core';
import { creator as recommendedRules } from '@secretlint/secretlint-rule-preset-recommend';

/** A secret found: where, and which rule matched. Its message has the value masked, never in full. */
export interface Finding {
  file: string;
  line: number;
  column: number;
  rule: string;
  message: string;
}

/** A file to scan: a name to report and its bytes (or text). */
export interface Source {
  file: string;
  content: Buffer | string;
}

/**
 * Larger files are not secrets' usual home and would take the scan seconds each; a bundle of a service is a few
 * megabytes at most.
 */
export const MAX_SCANNED_BYTES = 16 * 1024 * 1024;

/**
 * The recommended rules; they honour `secretlint-disable-line` and `secretlint-disable-next-line` comments, for a
 * test's made-up credential: a choice a reviewer sees in the merge request's diff, where an ignore file would hide it.
 */
const config = { rules: [{ id: '@secretlint/secretlint-rule-preset-recommend', rule: recommendedRules }] };

/** A NUL byte in the first 8 KiB marks a binary file, as git and grep decide it. */
export function isBinary(content: Buffer): boolean {
  return content.subarray(0, 8192).includes(0);
}

/**
 * secretlint's recommended rules (AWS, GCP, GitLab, GitHub, npm, Slack, private keys, basic auth in URLs, …) on
 * one file. maskSecrets replaces each matched value in the message with asterisks, so a finding can be printed.
 */
export async function scanSource({ file, content }: Source): Promise<Finding[]> {
  const text = typeof content === 'string' ? content : content.toString('utf8');
  const { messages } = await lintSource({
    source: { filePath: file, content: text, contentType: 'text', ext: extname(file) },
    options: { config, maskSecrets: true, noPhysicFilePath: true },
  });
  return messages.map(({ loc, ruleId, message }) => ({ file, line: loc.start.line, column: loc.start.column + 1, rule: ruleId, message }));
}

/** What a scan of many files found, and what it could not read. */
export interface ScanReport {
  findings: Finding[];
  /** How many text files were scanned. */
  files: number;
  /** Binary files, not scanned (a secret in one would be in a text file too: its source). */
  binaries: number;
  /** Text files too large to scan, by name, so that none passes unsaid. */
  tooLarge: string[];
}

export function emptyReport(): ScanReport {
  return { findings: [], files: 0, binaries: 0, tooLarge: [] };
}

/** Scans one file into the report: a binary one is counted, a too large one named, any other scanned. */
export async function scanInto(report: ScanReport, source: { file: string; content: Buffer }): Promise<void> {
  if (isBinary(source.content)) report.binaries++;
  else if (source.content.length > MAX_SCANNED_BYTES) report.tooLarge.push(source.file);
  else {
    report.files++;
    report.findings.push(...(await scanSource(source)));
  }
}

/** One line per finding: file:line:column, the rule, and its masked message. */
export function formatFinding({ file, line, column, rule, message }: Finding): string {
  return `${file}:${line}:${column}  ${rule}  ${message}`;
}
