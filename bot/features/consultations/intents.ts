import { commandForm } from '../../routing/text.js';
import { normaliseConsultRef } from './model.js';

/**
 * "consult …" as people type it: `consult new`, `consult status C-0003`, `consult close`,
 * `consult export`, `consult remind`, `consult you said we did`, and `consult` or `consultations`
 * (with or without a reference) to see one. Case and trailing punctuation do not matter.
 */

export type ConsultIntent =
  | { kind: 'new' }
  | { kind: 'status' | 'close' | 'export' | 'remind' | 'weDid'; ref?: string }
  | { kind: 'show'; ref?: string }
  | { kind: 'unknown'; rest: string };

const LEAD = /^(?:consult|consults|consultation|consultations)\b\s*(.*)$/;
const REF = /\b(c-?\d{1,7})$/;

const WORDS: Record<string, Exclude<ConsultIntent['kind'], 'new' | 'show' | 'unknown'>> = {
  status: 'status',
  who: 'status',
  'who has answered': 'status',
  results: 'status',
  close: 'close',
  export: 'export',
  download: 'export',
  remind: 'remind',
  chase: 'remind',
  'you said we did': 'weDid',
  'you said, we did': 'weDid',
  'we did': 'weDid',
  'you said': 'weDid',
  yousaidwedid: 'weDid',
};

export function readConsultIntent(text: string): ConsultIntent | undefined {
  const m = LEAD.exec(commandForm(text));
  if (!m) return undefined;
  let rest = (m[1] ?? '').trim();
  if (rest === 'new' || rest === 'open' || rest === 'new consultation') return { kind: 'new' };
  let ref: string | undefined;
  const r = REF.exec(rest);
  if (r?.[1]) {
    ref = normaliseConsultRef(r[1]);
    rest = rest.slice(0, r.index).trim();
  }
  if (!rest) return { kind: 'show', ...(ref ? { ref } : {}) };
  const kind = WORDS[rest.replace(/\s+/g, ' ')];
  if (kind) return { kind, ...(ref ? { ref } : {}) };
  return { kind: 'unknown', rest };
}

export const CONSULT_USAGE =
  'Consultations: "consult new" (officers, in the channel), "consult status", "consult remind", "consult close", "consult export", "consult you said we did", or "consult" to see the open one. Add a reference for another, e.g. "consult status C-0003".';
