import type { ConsultNewFormData, ConsultWeDidData } from '../../../cards/consult-verbs.js';
import type { NewFormField } from '../../../cards/consult-form.js';
import { plural } from '../../../cards/text.js';
import { MAX_QUESTIONS, MAX_THEMES } from '../../../cards/consult-verbs.js';
import { isValidCalendarDate, londonDateTimeToUtc } from '../../dates/london.js';
import {
  ANONYMITIES,
  BOARD_QUESTIONS,
  COUNT_PER,
  LIMITS,
  type Anonymity,
  type AudienceKind,
  type Consultation,
  type CountPer,
} from './model.js';

/**
 * The officer's "consult new" form, read and checked. Pure: the clock comes in. Every problem is
 * named against its field, so the form comes back with the officer's text and a note under each
 * field that needs a change; nothing is written until the whole form is right.
 */

export interface NewConsultationDraft {
  title: string;
  documentUrl?: string;
  summary: string;
  themes: string[];
  questions: string[];
  /** The closing instant, UTC. */
  closesAt: Date;
  audience: AudienceKind;
  /** Names typed for "chosen people", one per line or separated by ; */
  people: string[];
  anonymity: Anonymity;
  countPer: CountPer;
}

export type FormProblems = Partial<Record<NewFormField, string>>;

/** The form's values as the officer left them (for showing it again). */
export type FormValues = Partial<Record<NewFormField, string | undefined>>;

export const DEFAULT_CLOSING_TIME = '17:00';

export function defaultFormValues(): FormValues {
  return {
    questions: BOARD_QUESTIONS.join('\n'),
    closesAt: DEFAULT_CLOSING_TIME,
    audience: 'channel',
    anonymity: 'Named',
    countPer: 'Person',
  };
}

/** Lines of a multi-line box, trimmed, without blanks or list markers people paste ("1.", "•"). */
export function linesOf(text: string | undefined): string[] {
  return (text ?? '')
    .split(/\r?\n/)
    .map((l) =>
      l
        .replace(/^\s*(?:[-•*–]|\d{1,2}[.)])\s+/u, '')
        .replace(/\s+/g, ' ')
        .trim(),
    )
    .filter(Boolean);
}

function tooLong(what: string, length: number, max: number): string {
  return `${what} is ${plural(length, 'character')}; keep it to ${max.toLocaleString('en-GB')}.`;
}

function safeLink(url: string): string | undefined {
  try {
    const u = new URL(url);
    return u.protocol === 'https:' || u.protocol === 'http:' ? u.toString() : undefined;
  } catch {
    return undefined;
  }
}

export function formValuesOf(data: ConsultNewFormData): FormValues {
  const { key: _key, formKey: _formKey, ...values } = data;
  return values;
}

/** Reads the form; either the draft or the problems, each against its field. */
export function readNewConsultationForm(
  data: ConsultNewFormData,
  now: Date,
): { draft: NewConsultationDraft } | { problems: FormProblems } {
  const problems: FormProblems = {};
  const title = (data.title ?? '').replace(/\s+/g, ' ').trim();
  if (!title) problems.title = 'Give the consultation a title, e.g. "Draft Community Strategy 2018–2028".';
  else if (title.length > LIMITS.title) problems.title = tooLong('The title', title.length, LIMITS.title);

  const rawUrl = (data.url ?? '').trim();
  let documentUrl: string | undefined;
  if (rawUrl) {
    documentUrl = safeLink(rawUrl);
    if (!documentUrl) problems.url = 'The link to the draft must be a web address starting https://.';
    else if (documentUrl.length > LIMITS.url)
      problems.url = `That link is ${documentUrl.length} characters; SharePoint keeps ${LIMITS.url}. Use the document's short "Copy link" address.`;
  }

  const summary = (data.summary ?? '').trim();
  if (summary.length > LIMITS.summary)
    problems.summary = tooLong('The summary', summary.length, LIMITS.summary);

  const themes = linesOf(data.themes);
  const seen = new Map<string, string>();
  const repeated: string[] = [];
  for (const theme of themes) {
    const k = theme.toLowerCase();
    if (seen.has(k)) repeated.push(theme);
    else seen.set(k, theme);
  }
  if (repeated.length)
    problems.themes = `Each theme once, please: "${repeated[0]}" is there ${repeated.length === 1 ? 'twice' : 'more than once'}.`;
  else if (themes.length > MAX_THEMES)
    problems.themes = `That is ${themes.length} themes; a consultation takes at most ${MAX_THEMES}.`;
  else {
    const long = themes.find((t) => t.length > LIMITS.theme);
    if (long)
      problems.themes = `The theme "${long.slice(0, 40)}…" is too long; keep each theme to ${LIMITS.theme} characters.`;
  }

  const questions = linesOf(data.questions);
  if (!questions.length) problems.questions = 'Ask at least one question (one per line).';
  else if (questions.length > MAX_QUESTIONS)
    problems.questions = `That is ${questions.length} questions; ask at most ${MAX_QUESTIONS}.`;
  else {
    const long = questions.find((q) => q.length > LIMITS.question);
    if (long)
      problems.questions = `A question is ${long.length} characters; keep each to ${LIMITS.question}.`;
  }

  const closesOn = (data.closesOn ?? '').trim();
  const closesAtTime = (data.closesAt ?? '').trim() || DEFAULT_CLOSING_TIME;
  let closesAt: Date | undefined;
  const day = /^(\d{4})-(\d{2})-(\d{2})$/.exec(closesOn);
  if (!closesOn) problems.closesOn = 'Pick the closing date.';
  else if (!day || !isValidCalendarDate(Number(day[1]), Number(day[2]), Number(day[3])))
    problems.closesOn = `"${closesOn.slice(0, 40)}" is not a date I can use. Pick one from the calendar.`;
  else if (!/^([01]\d|2[0-3]):[0-5]\d$/.test(closesAtTime))
    problems.closesAt = 'Pick a closing time from the list.';
  else {
    closesAt = londonDateTimeToUtc(
      { year: Number(day[1]), month: Number(day[2]), day: Number(day[3]) },
      closesAtTime,
    );
    if (closesAt.getTime() <= now.getTime())
      problems.closesOn = 'The closing date and time have passed. Pick a time in the future.';
    else if (closesAt.getTime() - now.getTime() > 366 * 86_400_000)
      problems.closesOn = 'Close it within a year, so partners answer while the draft is current.';
  }

  const audience = data.audience ?? 'channel';
  if (audience !== 'channel' && audience !== 'people' && audience !== 'team')
    problems.audience = 'Choose who is asked: this channel, chosen people, or the whole team.';
  const people = (data.people ?? '')
    .split(/[;\n]/)
    .map((p) => p.replace(/\s+/g, ' ').trim())
    .filter(Boolean);
  if (audience === 'people' && !people.length)
    problems.people = 'Name the people to ask, separated by ; (e.g. "Jake Ferguson; David Maher").';
  else if ((data.people ?? '').length > LIMITS.people)
    problems.people = tooLong('The list of people', (data.people ?? '').length, LIMITS.people);

  const anonymity = (data.anonymity ?? 'Named') as Anonymity;
  if (!ANONYMITIES.includes(anonymity)) problems.anonymity = 'Choose who may see who said what.';
  const countPer = (data.countPer ?? 'Person') as CountPer;
  if (!COUNT_PER.includes(countPer))
    problems.countPer = 'Choose whether one answer counts per person or per organisation.';

  if (Object.keys(problems).length || !closesAt) return { problems };
  return {
    draft: {
      title,
      ...(documentUrl ? { documentUrl } : {}),
      summary,
      themes,
      questions,
      closesAt,
      audience: audience as AudienceKind,
      people: audience === 'people' ? people : [],
      anonymity,
      countPer,
    },
  };
}

/**
 * The "you said, we did" form, read and checked: what changed for each theme and anything else,
 * each within the limit, and at least one of them said.
 */
export function readWeDidForm(
  c: Pick<Consultation, 'themes'>,
  data: ConsultWeDidData,
): { general: string; themes: { theme: string; text: string }[]; problems: string[] } {
  const field = (name: string) => ((data as Record<string, string | undefined>)[name] ?? '').trim();
  const themes = c.themes.map((theme, i) => ({ theme, text: field(`w${i + 1}`) }));
  const general = field('general');
  const problems: string[] = [];
  for (const t of themes)
    if (t.text.length > LIMITS.weDid)
      problems.push(
        `What changed for "${t.theme}" is ${t.text.length} characters; keep it to ${LIMITS.weDid}.`,
      );
  if (general.length > LIMITS.weDid)
    problems.push(`"Anything else" is ${general.length} characters; keep it to ${LIMITS.weDid}.`);
  if (!general && themes.every((t) => !t.text)) problems.push('Say what changed for at least one theme.');
  return { general, themes, problems };
}
