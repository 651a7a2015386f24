import { readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';

/**
 * The vendored subset of Microsoft's description of Graph's Sites module (graph-schemas.json names
 * its sources), compiled once; `validatorFor(name)(body)` lists what does not match.
 */

export type SchemaName =
  'list' | 'listItem' | 'columnDefinition' | 'collection' | 'odataError' | 'batchResponse';

const document = JSON.parse(readFileSync(new URL('./graph-schemas.json', import.meta.url), 'utf8')) as Record<
  string,
  unknown
>;

let ajv: Ajv2020 | undefined;
const compiled = new Map<SchemaName, (body: unknown) => string[]>();

export function validatorFor(name: SchemaName): (body: unknown) => string[] {
  let validate = compiled.get(name);
  if (validate) return validate;
  if (!ajv) {
    ajv = new Ajv2020({ strict: false, allErrors: true });
    (addFormats as unknown as (a: Ajv2020) => void)(ajv);
    ajv.addSchema({ ...document, $id: 'graph' });
  }
  const fn = ajv.getSchema(`graph#/${name}`);
  if (!fn) throw new Error(`No vendored Graph schema named ${name}`);
  validate = (body: unknown) =>
    fn(body) ? [] : (fn.errors ?? []).map((e) => `${e.instancePath || '(body)'} ${e.message ?? 'is wrong'}`);
  compiled.set(name, validate);
  return validate;
}
