import { findDueDate } from '../../dates/due.js';
import { isValidCalendarDate, toIsoDate } from '../../dates/london.js';
import { normaliseRef } from './model.js';
import { readOwnersText, type toParserMentions } from './people.js';
import type { RosterMember } from '../../people/roster.js';
import type { Change, DueInput } from './service.js';
import { MAX_ACTION_BYTES, stripCommandPrefix } from './parse.js';
import type { ActionsQuery } from './queries.js';

/**
 * What a message about actions asks for, read from its text: log one, change or show one by its
 * reference, ask the chair's questions (with their natural variants), or import a pasted table.
 * Pure, so every phrasing is a unit test.
 */

export type ChangeWord =
  | { kind: 'done' }
  | { kind: 'start' }
  | { kind: 'undo' }
  | { kind: 'note'; text: string }
  | { kind: 'due'; phrase: string }
  | { kind: 'drop'; reason: string }
  | { kind: 'reassign'; owners: string };

export type ActionsIntent =
  | { kind: 'log' }
  | { kind: 'tooLong' }
  | { kind: 'show'; ref: string }
  | { kind: 'change'; ref: string; change: ChangeWord }
  | { kind: 'unknownChange'; ref: string; rest: string }
  | { kind: 'query'; query: ActionsQuery }
  | { kind: 'import'; text: string };

/** Straight quotes, single spaces, no trailing "?" or "!": the form the patterns are written for. */
function natural(text: string): string {
  return text
    .replace(/[\u2018\u2019\u02bc]/g, "'")
    .replace(/[\u201c\u201d]/g, '"')
    .replace(/\s+/g, ' ')
    .replace(/[\s?!.]+$/g, '')
    .trim();
}

const REF = 'A-?\\d{1,7}';
const BY_REF = new RegExp(
  `^(?:(?:action|actions)\\s*[:\\-–—]?\\s*)?(${REF})\\b[\\s:.,–—-]*([\\s\\S]*)$`,
  'i',
);

function readChange(rest: string): ChangeWord | undefined {
  const r = rest.trim();
  const flat = natural(r).toLowerCase();
  if (
    /^(?:is |mark(?:ed)?(?: it| as)? |set(?: it)? (?:to |as )?)?(?:done|complete|completed|finished|closed?)$/.test(
      flat,
    )
  )
    return { kind: 'done' };
  if (
    /^(?:is |mark(?:ed)?(?: it| as)? )?(?:start|started|begin|begun|in progress|underway|under way|reopen|reopened)$/.test(
      flat,
    )
  )
    return { kind: 'start' };
  if (/^undo$/.test(flat)) return { kind: 'undo' };
  const note = /^(?:add )?(?:a )?note\b[\s:–—-]*([\s\S]*)$/i.exec(r);
  if (note) return { kind: 'note', text: (note[1] ?? '').trim() };
  const due =
    /^(?:(?:is )?(?:now )?due(?: date)?|new due date|deadline|(?:change|move) (?:the )?due date to|by)\b[\s:–—-]*([\s\S]*)$/i.exec(
      r,
    );
  if (due) return { kind: 'due', phrase: (due[1] ?? '').trim() };
  const drop =
    /^(?:drop|dropped|cancel|cancelled|canceled|withdraw|withdrawn)\b[\s:,–—-]*(?:because\s+)?([\s\S]*)$/i.exec(
      r,
    );
  if (drop) return { kind: 'drop', reason: (drop[1] ?? '').trim() };
  const owners =
    /^(?:reassign(?:ed)?|assign(?:ed)?|owners?|give it|hand (?:it )?over)(?:\s+to)?\b[\s:–—-]*([\s\S]*)$/i.exec(
      r,
    );
  if (owners) return { kind: 'reassign', owners: (owners[1] ?? '').trim() };
  return undefined;
}

function query(
  scope: ActionsQuery['scope'],
  view: ActionsQuery['view'],
  extra: Partial<ActionsQuery> = {},
): ActionsIntent {
  return { kind: 'query', query: { scope, view, ...extra } };
}

function person(name: string, view: ActionsQuery['view']): ActionsIntent | undefined {
  const cleaned = name
    .trim()
    .replace(/^(?:the\s+)?/i, '')
    .replace(/['\s]+$/, '');
  if (!cleaned || cleaned.length > 100) return undefined;
  if (/^(?:me|myself|mine|i|us)$/i.test(cleaned)) return query('mine', view);
  return query('person', view, { name: cleaned });
}

/** The chair's questions and their natural variants. */
function readQuestion(text: string): ActionsIntent | undefined {
  const t = natural(text);
  const m = (re: RegExp) => re.exec(t);
  if (
    /^(?:actions|actions open|open actions|list (?:the )?actions|show (?:me )?(?:the )?(?:open )?actions|what(?:'s| is| are)? (?:still )?open|what actions are open|all actions)$/i.test(
      t,
    )
  )
    return query('all', 'open');
  if (
    /^(?:actions overdue|overdue|overdue actions|what(?:'s| is| are)? overdue|whats overdue|anything overdue|is anything overdue|show (?:me )?(?:the )?overdue(?: actions)?|which actions are overdue|what actions are overdue|late actions)$/i.test(
      t,
    )
  )
    return query('all', 'overdue');
  if (
    /^(?:actions mine|my actions|mine|what do i owe|what have i got|show (?:me )?my actions|what are my actions|my open actions)$/i.test(
      t,
    )
  )
    return query('mine', 'open');
  if (/^(?:my overdue actions|what(?:'s| is| am i) overdue(?: for me| on)?|actions overdue for me)$/i.test(t))
    return query('mine', 'overdue');

  const meeting =
    m(/^(?:actions|show (?:me )?(?:the )?actions) from (?:the )?(?:meeting )?(.+)$/i) ??
    m(/^actions (?:for|of) (?:the )?meeting (.+)$/i);
  if (meeting?.[1]) return query('meeting', 'all', { meeting: meeting[1].trim().slice(0, 100) });

  const overdueFor =
    m(
      /^(?:what(?:'s| is| are)? |whats |show (?:me )?(?:the )?|list )?(?:actions )?overdue (?:actions )?(?:for|from|with|by) (.+)$/i,
    ) ??
    m(/^(?:actions|what) (?:is |are )?overdue (?:for|with) (.+)$/i) ??
    m(/^what(?: is|'s)? (.+?) overdue on$/i);
  if (overdueFor?.[1]) return person(overdueFor[1], 'overdue');
  const named =
    m(/^actions (?:for|of|owned by|assigned to|with) (.+)$/i) ??
    m(/^what (?:does|do|did) (.+?) (?:still )?owe(?: us)?$/i) ??
    m(/^what(?: is|'s) (.+?) (?:got|doing|working on|on the hook for)$/i) ??
    m(/^(?:show (?:me )?|list |what are |give me )?(.+?)(?:'s|s') (?:open )?actions$/i) ??
    m(/^(?:show (?:me )?|list )(?:the )?actions (?:for|of) (.+)$/i);
  if (named?.[1]) return person(named[1], 'open');
  return undefined;
}

export function readIntent(text: string): ActionsIntent | undefined {
  const trimmed = text.trim();
  const importing = /^actions?\s+import\b[\s:–—-]*([\s\S]*)$/i.exec(trimmed);
  if (importing) return { kind: 'import', text: importing[1] ?? '' };

  const byRef = BY_REF.exec(trimmed);
  const isActionWord = /^(?:action|actions)\b/i.test(trimmed) || /^A-\d{4,7}\b/i.test(trimmed);
  if (byRef?.[1] && isActionWord) {
    const ref = normaliseRef(byRef[1]);
    const rest = byRef[2]?.trim() ?? '';
    if (ref) {
      if (!rest) return { kind: 'show', ref };
      const change = readChange(rest);
      if (change) return { kind: 'change', ref, change };
      // "action A-0042 …" with words we do not know: say what we do know rather than log a new action.
      return { kind: 'unknownChange', ref, rest };
    }
  }

  const question = readQuestion(trimmed);
  if (question) return question;

  if (
    /^(?:\s*(?:please\s+)?(?:(?:log|add|new|record|create|raise)\s+(?:an?\s+|new\s+)?)?action)\b/i.test(
      trimmed,
    ) &&
    new TextEncoder().encode(trimmed).length > MAX_ACTION_BYTES * 2
  )
    return { kind: 'tooLong' };
  if (stripCommandPrefix(trimmed) !== undefined) return { kind: 'log' };
  return undefined;
}

// ── what was typed, as a change ──

/** A typed due phrase as a change: "30 June", "end of June (TBC)", "the next meeting". */
function dueChangeFrom(phrase: string, now: Date): { kind: 'due'; due: DueInput } | { invalid: string } {
  const text = phrase.trim();
  if (!text) return { invalid: 'Give the new due date, for example "action A-0042 due 30 June".' };
  const found = findDueDate(/^(?:by|before|due)\b/i.test(text) ? text : `by ${text}`, now);
  if (!found)
    return {
      invalid: `I couldn't find a date in "${text}". Try "30/06/2018", "end of June" or "next Friday".`,
    };
  if (found.kind === 'invalid')
    return { invalid: `"${found.text}" is not a real date: ${found.problem}. Nothing was changed.` };
  if (found.kind === 'undated') return { kind: 'due', due: { text: found.text, tentative: found.tentative } };
  return { kind: 'due', due: { date: toIsoDate(found.date), text: found.text, tentative: found.tentative } };
}

const present = (value: string | undefined) => (value && value.trim() ? value.trim() : undefined);

/** A due date from a form: the picker's date with the phrase as written, or the phrase alone. */
export function dueFromForm(
  date: string | undefined,
  phrase: string | undefined,
  now: Date,
): DueInput | { invalid: string } | undefined {
  const picked = present(date);
  const written = present(phrase);
  if (picked) {
    const [y, m, d] = picked.split('-').map(Number);
    if (!/^\d{4}-\d{2}-\d{2}$/.test(picked) || !isValidCalendarDate(y ?? 0, m ?? 0, d ?? 0))
      return { invalid: `"${picked}" is not a date I can use. Pick one from the calendar.` };
    return { date: picked, ...(written ? { text: written } : {}), tentative: tentativeOf(written, now) };
  }
  if (!written) return undefined;
  const read = dueChangeFrom(written, now);
  return 'invalid' in read ? read : read.due;
}

/** Whether a due phrase as written is loose: "(TBC)", or a season. */
function tentativeOf(phrase: string | undefined, now: Date): boolean {
  if (!phrase) return false;
  const found = findDueDate(/^(?:by|before|due)\b/i.test(phrase) ? phrase : `by ${phrase}`, now);
  return found && found.kind !== 'invalid' ? found.tentative : /\b(?:tbc|tbd)\b/i.test(phrase);
}

export function changeFromWord(
  word: ChangeWord,
  now: Date,
  people: { mentions: ReturnType<typeof toParserMentions>; roster: RosterMember[] },
): Change | { invalid: string } {
  switch (word.kind) {
    case 'done':
    case 'start':
    case 'undo':
      return { kind: word.kind };
    case 'note':
      return { kind: 'note', text: word.text };
    case 'drop':
      return { kind: 'drop', reason: word.reason };
    case 'due':
      return dueChangeFrom(word.phrase, now);
    case 'reassign':
      return { kind: 'reassign', owners: readOwnersText(word.owners, people) };
  }
}
