import { normaliseMeetingRef } from './model.js';

/**
 * What an "agenda …" message asks for. Matched on the plain text (line breaks kept, so a pasted
 * outline or supplement follows the command on the next lines).
 */

export type AgendaIntent =
  | { kind: 'show'; ref?: string }
  | { kind: 'new' }
  | { kind: 'import'; ref?: string; text: string }
  | { kind: 'supplement'; ref?: string; text: string }
  | { kind: 'attendance'; ref?: string }
  | { kind: 'decisions'; ref?: string }
  | { kind: 'decide'; ref?: string; number: string; text: string }
  | { kind: 'changes'; ref?: string; from?: number; to?: number }
  | { kind: 'unknown'; rest: string };

const REF = '(M-?\\d{1,7})';
const NUMBER = '(\\d{1,3}(?:\\.\\d{1,2})?[a-z]?)';

function ref(text: string | undefined): { ref?: string } {
  const r = text ? normaliseMeetingRef(text) : undefined;
  return r ? { ref: r } : {};
}

/** "agenda import M-0007" then the rest of the line and the lines below it. */
function withBody(text: string, word: string): { ref?: string; text: string } | undefined {
  const m = new RegExp(`^agenda\\s+${word}\\b[ \\t]*(?:${REF}\\b)?[ \\t]*:?[ \\t]*([\\s\\S]*)$`, 'i').exec(
    text,
  );
  if (!m) return undefined;
  return { ...ref(m[1]), text: (m[2] ?? '').trim() };
}

export function readAgendaIntent(raw: string): AgendaIntent | undefined {
  const text = raw.trim();
  if (!/^agenda\b/i.test(text)) return undefined;
  const firstLine = (text.split('\n')[0] ?? '').trim().replace(/[.!?]+$/, '');
  const oneLine = (re: RegExp) => re.exec(firstLine);

  if (/^agenda$/i.test(firstLine) || oneLine(/^agenda\s+(?:next|pack|show|current)$/i))
    return { kind: 'show' };
  const show = oneLine(new RegExp(`^agenda\\s+(?:show\\s+|pack\\s+)?${REF}$`, 'i'));
  if (show) return { kind: 'show', ...ref(show[1]) };
  if (oneLine(/^agenda\s+(?:new|create|start)(?:\s+pack)?$/i)) return { kind: 'new' };

  const imported = withBody(text, 'import');
  if (imported) return { kind: 'import', ...imported };
  const supplement = withBody(text, '(?:supplement|supplementary)');
  if (supplement) return { kind: 'supplement', ...supplement };

  const attendance = oneLine(
    new RegExp(`^agenda\\s+(?:attendance|attendance sheet|sheet|apologies)(?:\\s+${REF})?$`, 'i'),
  );
  if (attendance) return { kind: 'attendance', ...ref(attendance[1]) };

  const decide = new RegExp(
    `^agenda\\s+decision\\s+(?:${REF}\\s+)?(?:item\\s+)?${NUMBER}\\s*[:–—-]\\s*([\\s\\S]+)$`,
    'i',
  ).exec(text);
  if (decide)
    return {
      kind: 'decide',
      ...ref(decide[1]),
      number: (decide[2] ?? '').toLowerCase(),
      text: (decide[3] ?? '').trim(),
    };
  const decisions = oneLine(new RegExp(`^agenda\\s+(?:decisions?|resolved|minutes)(?:\\s+${REF})?$`, 'i'));
  if (decisions) return { kind: 'decisions', ...ref(decisions[1]) };

  const changes = oneLine(
    new RegExp(
      `^agenda\\s+(?:changes|what changed|versions?|diff)(?:\\s+${REF})?(?:\\s+(\\d{1,3})\\s*(?:and|to|-|–)?\\s*(\\d{1,3}))?$`,
      'i',
    ),
  );
  if (changes)
    return {
      kind: 'changes',
      ...ref(changes[1]),
      ...(changes[2] && changes[3] ? { from: Number(changes[2]), to: Number(changes[3]) } : {}),
    };
  return { kind: 'unknown', rest: firstLine.replace(/^agenda\s*/i, '') };
}

export const AGENDA_USAGE = [
  'Agenda packs:',
  '- "agenda" shows the next meeting\'s pack; "agenda M-0007" a given one',
  '- "agenda new" opens the form for a new pack (officers)',
  '- "agenda import", then the meeting and items one a line, makes a draft from a pasted outline (officers)',
  '- "agenda supplement M-0007", then e.g. "paper 8: Slides https://…" publishes a supplement (officers)',
  '- "agenda attendance" gives the attendance sheet (officers and chairs)',
  '- "agenda decisions" shows what was resolved; "agenda decision 3: RESOLVED: …" records it (officers)',
  '- "agenda changes M-0007 1 2" shows what changed between two versions',
].join('\n');
