import { Version } from '@cyclonedx/cyclonedx-library/Spec';
import { JsonStrictValidator } from '@cyclonedx/cyclonedx-library/Validation';

const validator = new JsonStrictValidator(Version.v1dot6);

/** What the CycloneDX 1.6 JSON schema (strict: no unknown properties) finds wrong with an SBOM; null when it is valid. */
export async function cyclonedxSchemaErrors(sbom: string): Promise<unknown> {
  return validator.validate(sbom);
}
