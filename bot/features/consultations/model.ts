import type { ConsultationFields, FeedbackFields, ListItem } from '../../sharepoint/index.js';

/**
 * A consultation and a partner's feedback as the feature works with them: one item of the
 * `Consultations` list and one of `Feedback`, with their JSON columns read into plain values.
 * A JSON column that cannot be read (edited by hand in SharePoint, say) reads as empty rather than
 * failing the whole card.
 */

export type Anonymity = NonNullable<ConsultationFields['Anonymity']>;
export type CountPer = NonNullable<ConsultationFields['CountPer']>;
export type AudienceKind = 'channel' | 'people' | 'team';
export type Rating = 'Helps' | 'Partly' | 'Does not help';

export const ANONYMITIES: readonly Anonymity[] = ['Named', 'Anonymous to partners', 'Anonymous to everyone'];
export const COUNT_PER: readonly CountPer[] = ['Person', 'Organisation'];
export const RATINGS: readonly Rating[] = ['Helps', 'Partly', 'Does not help'];

/** The board's three questions, as the seed's February 2018 round asked them. */
export const BOARD_QUESTIONS: readonly string[] = [
  'What are your top 3 strategic challenges?',
  "Do the strategy's priorities help you address these challenges? How, or why not?",
  'What are the key gaps the strategy should prioritise?',
];

export const LIMITS = {
  title: 255,
  url: 255,
  summary: 2000,
  theme: 150,
  question: 500,
  /** Generous for a partner's answer (about 500 words), and still one Teams card with the rest. */
  answer: 3000,
  comment: 600,
  organisation: 100,
  response: 2000,
  weDid: 1500,
  people: 4000,
  audience: 600,
} as const;

export interface Invitee {
  /** Entra object id. */
  aadObjectId: string;
  /** Teams user id (29:…), when the roster gave one: cards list it for Universal Actions refresh. */
  teamsId?: string;
  name: string;
}

export interface WeDid {
  at: string;
  by: string;
  general?: string;
  /** What changed, per theme, in the order of the consultation's themes. */
  themes: { theme: string; text: string }[];
}

export interface Consultation {
  id: string;
  etag: string;
  ref: string;
  title: string;
  documentUrl?: string;
  summary: string;
  themes: string[];
  questions: string[];
  /** ISO instant. */
  closesAt: string;
  audience: AudienceKind;
  anonymity: Anonymity;
  countPer: CountPer;
  status: 'Draft' | 'Open' | 'Closed';
  conversationId?: string;
  activityId?: string;
  openedBy: string;
  invitees: Invitee[];
  closedAt?: string;
  weDid?: WeDid;
}

export interface ThemeAnswer {
  theme: string;
  rating?: Rating;
  comment: string;
}

/** One version of a respondent's answers, as kept in History when they change them. */
export interface AnswerVersion {
  at: string;
  submitted: boolean;
  organisation?: string;
  answers: { question: string; answer: string }[];
  themes: ThemeAnswer[];
}

export interface Feedback {
  id: string;
  etag: string;
  ref: string;
  key: string;
  /** Blank when anonymous to everyone. */
  name: string;
  respondentId: string;
  organisation?: string;
  answers: { question: string; answer: string }[];
  themes: ThemeAnswer[];
  history: AnswerVersion[];
  /** Dated lines: "26 Feb 2018 10:04, Tim Shields: could we do some longitudinal tracking…". */
  officerResponse?: string;
  respondedBy?: string;
  submitted: boolean;
  answeredAt?: string;
}

function parseJson<T>(text: string | undefined, valid: (v: unknown) => v is T, fallback: T): T {
  if (!text) return fallback;
  try {
    const value: unknown = JSON.parse(text);
    return valid(value) ? value : fallback;
  } catch {
    return fallback;
  }
}

const isStrings = (v: unknown): v is string[] => Array.isArray(v) && v.every((s) => typeof s === 'string');
const isRecords = (v: unknown): v is Record<string, unknown>[] =>
  Array.isArray(v) && v.every((x) => x !== null && typeof x === 'object' && !Array.isArray(x));

function readInvitees(text: string | undefined): Invitee[] {
  return parseJson(text, isRecords, []).flatMap((r) =>
    typeof r.a === 'string' && r.a
      ? [
          {
            aadObjectId: r.a,
            name: typeof r.n === 'string' ? r.n : '',
            ...(typeof r.t === 'string' && r.t ? { teamsId: r.t } : {}),
          },
        ]
      : [],
  );
}

/** Compact JSON: a board of 600 fits the column's 63,999 characters. */
export function writeInvitees(invitees: readonly Invitee[]): string {
  return JSON.stringify(
    invitees.map((i) => ({ a: i.aadObjectId, n: i.name, ...(i.teamsId ? { t: i.teamsId } : {}) })),
  );
}

function readAudience(text: string | undefined): AudienceKind {
  const kind = parseJson(
    text,
    (v): v is { kind: string } => typeof (v as { kind?: unknown })?.kind === 'string',
    { kind: 'channel' },
  ).kind;
  return kind === 'people' || kind === 'team' ? kind : 'channel';
}

function readWeDid(text: string | undefined): WeDid | undefined {
  const raw = parseJson<Record<string, unknown> | undefined>(
    text,
    (v): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v),
    undefined,
  );
  if (!raw) return undefined;
  const themes = isRecords(raw.themes)
    ? raw.themes.flatMap((t) =>
        typeof t.theme === 'string' && typeof t.text === 'string' ? [{ theme: t.theme, text: t.text }] : [],
      )
    : [];
  return {
    at: typeof raw.at === 'string' ? raw.at : '',
    by: typeof raw.by === 'string' ? raw.by : '',
    ...(typeof raw.general === 'string' && raw.general ? { general: raw.general } : {}),
    themes,
  };
}

export function toConsultation(item: ListItem<ConsultationFields>): Consultation {
  const f = item.fields;
  return {
    id: item.id,
    etag: item.etag,
    ref: f.ConsultationRef,
    title: f.Title ?? '',
    ...(f.DocumentUrl ? { documentUrl: f.DocumentUrl } : {}),
    summary: f.Summary ?? '',
    themes: parseJson(f.Themes, isStrings, []),
    questions: parseJson(f.Questions, isStrings, []),
    closesAt: f.ClosesAt ?? '',
    audience: readAudience(f.Audience),
    anonymity: f.Anonymity ?? 'Named',
    countPer: f.CountPer ?? 'Person',
    status: f.Status ?? 'Open',
    ...(f.ConversationId ? { conversationId: f.ConversationId } : {}),
    ...(f.ActivityId ? { activityId: f.ActivityId } : {}),
    openedBy: f.OpenedBy ?? '',
    invitees: readInvitees(f.Invitees),
    ...(f.ClosedAt ? { closedAt: f.ClosedAt } : {}),
    ...(readWeDid(f.YouSaidWeDid) ? { weDid: readWeDid(f.YouSaidWeDid)! } : {}),
  };
}

function readThemes(v: unknown): ThemeAnswer[] {
  if (!isRecords(v)) return [];
  return v.flatMap((t) =>
    typeof t.theme === 'string'
      ? [
          {
            theme: t.theme,
            comment: typeof t.comment === 'string' ? t.comment : '',
            ...(RATINGS.includes(t.rating as Rating) ? { rating: t.rating as Rating } : {}),
          },
        ]
      : [],
  );
}

function readAnswers(v: unknown): { question: string; answer: string }[] {
  if (!isRecords(v)) return [];
  return v.flatMap((a) =>
    typeof a.question === 'string' && typeof a.answer === 'string'
      ? [{ question: a.question, answer: a.answer }]
      : [],
  );
}

function readHistory(text: string | undefined): AnswerVersion[] {
  return parseJson(text, isRecords, []).map((h) => ({
    at: typeof h.at === 'string' ? h.at : '',
    submitted: h.submitted === true,
    ...(typeof h.organisation === 'string' && h.organisation ? { organisation: h.organisation } : {}),
    answers: readAnswers(h.answers),
    themes: readThemes(h.themes),
  }));
}

export function toFeedback(item: ListItem<FeedbackFields>): Feedback {
  const f = item.fields;
  const answers = (() => {
    try {
      return readAnswers(f.Answers ? JSON.parse(f.Answers) : []);
    } catch {
      return [];
    }
  })();
  const themes = (() => {
    try {
      return readThemes(f.ThemeRatings ? JSON.parse(f.ThemeRatings) : []);
    } catch {
      return [];
    }
  })();
  return {
    id: item.id,
    etag: item.etag,
    ref: f.ConsultationRef,
    key: f.FeedbackKey,
    name: f.Title ?? '',
    respondentId: f.RespondentId ?? '',
    ...(f.Organisation ? { organisation: f.Organisation } : {}),
    answers,
    themes,
    history: readHistory(f.History),
    ...(f.OfficerResponse ? { officerResponse: f.OfficerResponse } : {}),
    ...(f.RespondedBy ? { respondedBy: f.RespondedBy } : {}),
    submitted: f.Submitted === true,
    ...(f.AnsweredAt ? { answeredAt: f.AnsweredAt } : {}),
  };
}

/** "C-0003"; at least four digits. */
export function formatConsultRef(n: number): string {
  return `C-${String(n).padStart(4, '0')}`;
}

const REF = /^C-?(\d{1,7})$/i;

export function normaliseConsultRef(text: string): string | undefined {
  const m = REF.exec(text.trim());
  const n = m?.[1] ? Number(m[1]) : 0;
  return n > 0 ? formatConsultRef(n) : undefined;
}

export function isClosed(c: Pick<Consultation, 'status' | 'closesAt'>, now: Date): boolean {
  if (c.status === 'Closed') return true;
  const at = Date.parse(c.closesAt);
  return Number.isFinite(at) && now.getTime() >= at;
}

/** An organisation as typed, compared without case, spaces or punctuation ("H.C.V.S." is "HCVS"). */
export function organisationKey(name: string): string {
  return name.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, '');
}
