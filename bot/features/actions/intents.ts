import { normaliseRef } from './model.js';
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
