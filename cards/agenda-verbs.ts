import { z } from 'zod';

/**
 * The shapes of the agenda pack verbs' data (declared in `verbs.ts`). Card data comes back from
 * Teams with the card's inputs merged in, so every name is checked here rather than trusted.
 */

/** A meeting reference as cards carry it: "M-0007". */
export const MEETING_REF = z.string().regex(/^M-\d{4,7}$/);
export const MEETING_BUTTON = z.object({ ref: MEETING_REF }).strict();
const KEY = z.string().regex(/^[a-f0-9]{16,64}$/);
const FORM_TEXT = (max: number) => z.string().max(max).optional();

/**
 * The pack form (card or dialog): meeting fields, then one group of inputs per item row, named
 * `i<row><field>` — n number, t title, p presenter, m minutes, u purpose, l papers.
 */
export const AGENDA_FORM_FIELD = /^i([1-9]\d?)([ntpmul])$/;
/** Twenty rows keep the form under 40 KB even filled to every box's limit; longer packs are pasted. */
export const AGENDA_FORM_MAX_ROWS = 20;
const FORM_FIELDS = new Set(['form', 'rows', 'ref', 'board', 'date', 'time', 'venue', 'online', 'chair']);

const FORM_SHAPE = {
  form: KEY,
  rows: z.coerce.number().int().min(1).max(AGENDA_FORM_MAX_ROWS),
  board: FORM_TEXT(400),
  date: FORM_TEXT(40),
  time: FORM_TEXT(40),
  venue: FORM_TEXT(600),
  online: FORM_TEXT(2100),
  chair: FORM_TEXT(300),
};

/** Inputs beyond the named fields must be item-row inputs of a row the form has, holding text. */
function checkRows(data: Record<string, unknown> & { rows: number }, ctx: z.RefinementCtx): void {
  for (const [name, value] of Object.entries(data)) {
    if (FORM_FIELDS.has(name)) continue;
    const row = AGENDA_FORM_FIELD.exec(name);
    if (!row || Number(row[1]) > data.rows || typeof value !== 'string' || value.length > 4000)
      ctx.addIssue({ code: 'custom', message: `unexpected field ${name}`, path: [name] });
  }
}

export const AGENDA_NEW_FORM = z
  .object({ ...FORM_SHAPE, ref: MEETING_REF.optional() })
  .loose()
  .superRefine(checkRows);
export const AGENDA_EDIT_FORM = z
  .object({ ...FORM_SHAPE, ref: MEETING_REF })
  .loose()
  .superRefine(checkRows);

export const AGENDA_PUBLISH = z.object({ ref: MEETING_REF, members: z.boolean() }).strict();
export const AGENDA_ITEMS_PART = z
  .object({ ref: MEETING_REF, part: z.number().int().min(1).max(100) })
  .strict();
export const AGENDA_SUBSTITUTE = z
  .object({ ref: MEETING_REF, substituteName: FORM_TEXT(300), substituteOrganisation: FORM_TEXT(300) })
  .strict();
export const AGENDA_SHEET = z
  .object({ ref: MEETING_REF, page: z.number().int().min(1).max(200).optional() })
  .strict();
export const AGENDA_SUPPLEMENT = z
  .object({
    ref: MEETING_REF,
    form: KEY,
    item: FORM_TEXT(20),
    paperTitle: FORM_TEXT(300),
    paperUrl: FORM_TEXT(2100),
    note: FORM_TEXT(600),
  })
  .strict();
export const AGENDA_CHANGES = z
  .object({
    ref: MEETING_REF,
    from: z.number().int().min(1).max(999),
    to: z.number().int().min(1).max(999),
  })
  .strict();

/** Decisions are typed per item, in inputs named `decision:<item number>`. */
export const AGENDA_DECISION_FIELD = /^decision:(\d{1,3}(?:\.\d{1,2})?[a-z]?)$/;
export const AGENDA_DECISIONS = z
  .object({ ref: MEETING_REF, minutesUrl: FORM_TEXT(2100) })
  .loose()
  .superRefine((data, ctx) => {
    for (const [name, value] of Object.entries(data)) {
      if (name === 'ref' || name === 'minutesUrl') continue;
      if (AGENDA_DECISION_FIELD.test(name) && typeof value === 'string' && value.length <= 5000) continue;
      ctx.addIssue({ code: 'custom', message: `unexpected field ${name}`, path: [name] });
    }
  });
