import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BundledPackage, PackageManifest } from './bundled-packages.ts';
import { enforceLicensePolicy, readLicensePolicy } from './license-policy.ts';

const bundled = (manifest: Partial<PackageManifest> & { name: string }): BundledPackage => ({ dir: `node_modules/${manifest.name}`, manifest: { version: '1.0.0', ...manifest } });
const policy = { allowed: ['MIT', 'Apache-2.0'] };
const enforce = (...packages: BundledPackage[]) => () => {
  enforceLicensePolicy(packages, policy, 'license-policy.json');
};

describe('the license policy', () => {
  it('passes packages under an allowed license, or offering one (OR), in the old licenses array too', () => {
    expect(enforce(bundled({ name: 'a', license: 'MIT' }), bundled({ name: 'b', license: '(GPL-3.0-only OR Apache-2.0)' }), bundled({ name: 'c', licenses: [{ type: 'MIT' }] }))).not.toThrow();
  });

  it('fails naming each package and its license when the policy does not allow it', () => {
    expect(enforce(bundled({ name: 'ok', license: 'MIT' }), bundled({ name: 'copyleft', version: '2.1.0', license: 'GPL-3.0-only' }), bundled({ name: 'both', license: 'MIT AND LGPL-2.1-only' }))).toThrow(
      'the bundle holds packages under licenses license-policy.json does not allow (MIT, Apache-2.0):\n  copyleft@2.1.0 is under GPL-3.0-only\n  both@1.0.0 is under MIT AND LGPL-2.1-only',
    );
  });

  it('fails a package that declares no license, or one that is not an SPDX expression', () => {
    expect(enforce(bundled({ name: 'silent' }))).toThrow('silent@1.0.0 declares no license');
    expect(enforce(bundled({ name: 'custom', license: 'SEE LICENSE IN LICENSE.txt' }))).toThrow('custom@1.0.0 has license "SEE LICENSE IN LICENSE.txt", which is not an SPDX expression');
  });

  describe('its file', () => {
    let dir: string;
    beforeAll(async () => {
      dir = await mkdtemp(join(tmpdir(), 'license-policy-'));
    });
    afterAll(() => rm(dir, { recursive: true, force: true }));

    it('is a list of SPDX ids, and anything else is refused naming the file', async () => {
      const file = join(dir, 'policy.json');
      await writeFile(file, JSON.stringify({ allowed: ['MIT'] }));
      expect(await readLicensePolicy(file)).toEqual({ allowed: ['MIT'] });
      await writeFile(file, JSON.stringify({ allowed: 'MIT' }));
      await expect(readLicensePolicy(file)).rejects.toThrow(`${file}: "allowed" must be a list of SPDX license ids`);
    });
  });
});
