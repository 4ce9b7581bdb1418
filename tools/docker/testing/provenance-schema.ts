import { readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';

const schema = JSON.parse(readFileSync(new URL('slsa-provenance-v1.schema.json', import.meta.url), 'utf8')) as object;
// strictRequired would refuse the spec's "one of uri, digest, content", written as anyOf of required lists.
const ajv = new Ajv2020({ allErrors: true, strict: true, strictRequired: false });
addFormats.default(ajv);
const validate = ajv.compile(schema);

/** Checks a statement against the in-toto Statement v1 + SLSA Provenance v1 schema: its errors, or none. */
export function provenanceErrors(statement: unknown): string | undefined {
  return validate(statement) ? undefined : ajv.errorsText(validate.errors);
}
