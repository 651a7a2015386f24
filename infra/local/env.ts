import { z } from 'zod';

/** The standalone service's environment: validated, with errors that name the variable. */

const blankIsUnset = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);
const num = (schema: z.ZodNumber) => z.preprocess(blankIsUnset, z.coerce.number().pipe(schema));

const EnvSchema = z.object({
  LOCAL_LISTS_PORT: num(z.number().int().min(0).max(65535)).default(3979),
  DATA_DIR: z.preprocess(blankIsUnset, z.string()).default('.data'),
  LOCAL_LISTS_FAULT_RATE: num(z.number().min(0).max(1)).default(0),
  LOCAL_LISTS_FAULT_STATUS: z
    .preprocess(blankIsUnset, z.enum(['429', '503']))
    .default('429')
    .transform((v) => (v === '503' ? 503 : 429) as 429 | 503),
  LOCAL_LISTS_RETRY_AFTER: num(z.number().int().min(0)).default(1),
  LOCAL_LISTS_LATENCY_MS: num(z.number().min(0)).default(0),
  LOCAL_LISTS_FAULT_SEED: num(z.number().int()).optional(),
});

export type ListsEnv = z.infer<typeof EnvSchema>;

/** Parse the environment; the error names every variable that is wrong. */
export function parseListsEnv(env: Record<string, string | undefined>): ListsEnv {
  const parsed = EnvSchema.safeParse(env);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map(
    (i) => `  - ${i.path.join('.')}: ${i.message} (got '${env[String(i.path[0])]}')`,
  );
  throw new Error(`Invalid configuration for the local lists service:\n${problems.join('\n')}`);
}
