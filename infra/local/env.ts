import { z } from 'zod';
import { checkTimeZone } from './strict.js';

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
  /** Seconds, or `none` for a throttled answer without `Retry-After` (Graph does not always send one). */
  LOCAL_LISTS_RETRY_AFTER: z
    .preprocess(blankIsUnset, z.union([z.literal('none'), z.coerce.number().int().min(0)]))
    .default(1)
    .transform((v) => (v === 'none' ? null : v)),
  /** 1: the fault rate also refuses whole `$batch` requests, not only the requests inside them. */
  LOCAL_LISTS_FAULT_BATCH: z
    .preprocess(blankIsUnset, z.enum(['0', '1']))
    .default('0')
    .transform((v) => v === '1'),
  LOCAL_LISTS_THRESHOLD: num(z.number().int().min(1)).default(5000),
  LOCAL_LISTS_DUPLICATE_STATUS: z
    .preprocess(blankIsUnset, z.enum(['500', '409', '400']))
    .default('500')
    .transform((v) => Number(v) as 500 | 409 | 400),
  LOCAL_LISTS_TIMEZONE: z
    .preprocess(blankIsUnset, z.string())
    .default('Europe/London')
    .refine(
      (v) => {
        try {
          checkTimeZone(v);
          return true;
        } catch {
          return false;
        }
      },
      { message: 'not an IANA time zone (e.g. Europe/London, America/Los_Angeles)' },
    ),
  LOCAL_LISTS_LOSSY_CREATE: z
    .preprocess(blankIsUnset, z.enum(['0', '1']))
    .default('0')
    .transform((v) => v === '1'),
  LOCAL_LISTS_LATENCY_MS: num(z.number().min(0)).default(0),
  LOCAL_LISTS_FAULT_SEED: num(z.number().int()).optional(),
  /** A JSON file of teams and members for `GET /v1.0/teams/{group-id}/members` (teams.ts). */
  LOCAL_GRAPH_TEAMS: z.preprocess(blankIsUnset, z.string()).optional(),
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
