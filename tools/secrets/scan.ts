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
 * megabytes at most. A caller names each file it skips for this, so none passes unsaid.
 */
export const MAX_SCANNED_BYTES = 16 * 1024 * 1024;

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

/** One line per finding: file:line:column, the rule, and its masked message. */
export function formatFinding({ file, line, column, rule, message }: Finding): string {
  return `${file}:${line}:${column}  ${rule}  ${message}`;
}
