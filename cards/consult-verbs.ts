import { z } from 'zod';

/**
 * The data of the consultation cards' buttons. Universal Actions merge a card's inputs into the
 * button's data, so each schema names every input its card can carry (answers `q1…`, theme ratings
 * `r1…` and comments `c1…`) and nothing else: anything more is forged and refused by the router.
 *
 * Lengths here are the hard ceiling of what a card may carry; the feature's own, lower limits give
 * the person a clear message (an answer of 10 KB is read, then refused by name, not dropped).
 */

export const CONSULT_REF = z.string().regex(/^C-\d{4,7}$/);
/** A fingerprint of a consultation's questions and themes: a form from another one is noticed. */
export const FORM_PRINT = z.string().regex(/^[a-f0-9]{12,64}$/);

export const MAX_QUESTIONS = 6;
export const MAX_THEMES = 15;

const CARRIED_TEXT = 64_000;
const text = (max = CARRIED_TEXT) => z.string().max(max).optional();

function numbered(prefix: string, count: number): Record<string, ReturnType<typeof text>> {
  return Object.fromEntries(Array.from({ length: count }, (_, i) => [`${prefix}${i + 1}`, text()]));
}

const FORM_KEY = z.string().regex(/^[a-f0-9]{16,64}$/);

/**
 * The form's key travels as `formKey`. Not `key`: the Adaptive Cards renderer of the Agents
 * Playground treats a `key` in an Action.Execute's data as its own serializable property and
 * throws on the click (no invoke is sent, and the card is drawn again, empty). Forms posted before
 * the rename carry `key`; either is read, and one of them is needed.
 */
export const CONSULT_NEW_FORM = z
  .object({
    formKey: FORM_KEY.optional(),
    key: FORM_KEY.optional(),
    title: text(),
    url: text(),
    summary: text(),
    themes: text(),
    questions: text(),
    closesOn: text(200),
    closesAt: text(200),
    audience: text(200),
    people: text(),
    anonymity: text(200),
    countPer: text(200),
  })
  .strict()
  .refine((d) => d.formKey !== undefined || d.key !== undefined, {
    message: 'The form carries no key',
    path: ['formKey'],
  });
export type ConsultNewFormData = z.infer<typeof CONSULT_NEW_FORM>;

/** The key of a submitted "consult new" form, whichever name it came under. */
export function newFormKey(data: ConsultNewFormData): string {
  return (data.formKey ?? data.key)!;
}

export const CONSULT_ANSWERS = z
  .object({
    ref: CONSULT_REF,
    fp: FORM_PRINT,
    org: text(),
    ...numbered('q', MAX_QUESTIONS),
    ...numbered('r', MAX_THEMES),
    ...numbered('c', MAX_THEMES),
  })
  .strict();
export type ConsultAnswersData = z.infer<typeof CONSULT_ANSWERS>;

export const CONSULT_BUTTON = z.object({ ref: CONSULT_REF }).strict();

export const CONSULT_REFRESH = z
  .object({ ref: CONSULT_REF, view: z.enum(['channel', 'invitation']) })
  .strict();

/** Feedback entries a status card shows, each with its own Respond box (`reply1`…). */
export const RESPOND_SLOTS = 12;

export const CONSULT_RESPOND = z
  .object({
    ref: CONSULT_REF,
    item: z.string().regex(/^[A-Za-z0-9-]{1,64}$/),
    slot: z.number().int().min(1).max(RESPOND_SLOTS).optional(),
    response: text(),
    ...numbered('reply', RESPOND_SLOTS),
  })
  .strict();

export const CONSULT_WE_DID = z
  .object({ ref: CONSULT_REF, general: text(), ...numbered('w', MAX_THEMES) })
  .strict();
export type ConsultWeDidData = z.infer<typeof CONSULT_WE_DID>;
