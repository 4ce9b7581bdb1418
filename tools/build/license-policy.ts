import { readFile } from 'node:fs/promises';
import satisfies from 'spdx-satisfies';
import { declaredLicense, type BundledPackage } from './bundled-packages.ts';

/** license-policy.json at the workspace root: the SPDX ids a package in an image may be under. */
export interface LicensePolicy {
  allowed: string[];
}

export class LicensePolicyError extends Error {}

export async function readLicensePolicy(file: string): Promise<LicensePolicy> {
  const policy = JSON.parse(await readFile(file, 'utf8')) as Partial<LicensePolicy>;
  if (!Array.isArray(policy.allowed) || policy.allowed.length === 0 || !policy.allowed.every((id) => typeof id === 'string')) {
    throw new LicensePolicyError(`${file}: "allowed" must be a list of SPDX license ids, e.g. ["MIT", "Apache-2.0"]`);
  }
  return { allowed: policy.allowed };
}

/** Why a package breaks the policy, or undefined when one of the licenses it offers is allowed. */
function violation(found: BundledPackage, allowed: string[]): string | undefined {
  const { name, version } = found.manifest;
  const license = declaredLicense(found.manifest);
  if (license === undefined) return `${name}@${version} declares no license`;
  try {
    return satisfies(license, allowed) ? undefined : `${name}@${version} is under ${license}`;
  } catch {
    return `${name}@${version} has license "${license}", which is not an SPDX expression`;
  }
}

/** Fails naming every bundled package whose license the policy does not allow. */
export function enforceLicensePolicy(packages: BundledPackage[], policy: LicensePolicy, policyFile: string): void {
  const violations = packages.flatMap((found) => violation(found, policy.allowed) ?? []);
  if (violations.length > 0) {
    throw new LicensePolicyError(
      [`the bundle holds packages under licenses ${policyFile} does not allow (${policy.allowed.join(', ')}):`, ...violations.map((line) => `  ${line}`)].join('\n'),
    );
  }
}
