import { createHash } from 'node:crypto';
import type { ConsultAnswersData } from '../../../cards/consult-verbs.js';
import type { FeedbackFields, FieldsPatch } from '../../sharepoint/index.js';
import { keepsOrganisation } from './anonymity.js';
import {
  LIMITS,
  RATINGS,
  type AnswerVersion,
  type Consultation,
  type Feedback,
  type Rating,
  type ThemeAnswer,
} from './model.js';

/**
 * A partner's answers from the card, checked, and what writing them does to their Feedback item.
 * Text is kept exactly as typed (only surrounding blank space is trimmed); a change moves the
 * version it replaces into History, so nothing a partner said is lost.
 */

export interface AnswerSet {
  organisation?: string;
  answers: { question: string; answer: string }[];
  themes: ThemeAnswer[];
}

/** The fingerprint of a consultation's form: its reference, questions and themes. */
export function formPrint(c: Pick<Consultation, 'ref' | 'questions' | 'themes'>): string {
  return createHash('sha256')
    .update(JSON.stringify([c.ref, c.questions, c.themes]))
    .digest('hex')
    .slice(0, 16);
}

const ratingOf = (v: string | undefined): Rating | undefined =>
  RATINGS.find((r) => r.toLowerCase() === (v ?? '').trim().toLowerCase());

function count(n: number): string {
  return n.toLocaleString('en-GB');
}

/** Field of the form → its value: what the card carried for each question and theme. */
function field(data: ConsultAnswersData, name: string): string | undefined {
  return (data as Record<string, string | undefined>)[name];
}

/**
 * The answers a card carried, as the person typed them, and every problem by name. Problems do not
 * lose the text: the form is shown again with it.
 */
export function readAnswers(
  c: Pick<Consultation, 'questions' | 'themes' | 'anonymity' | 'countPer'>,
  data: ConsultAnswersData,
  submitting: boolean,
): { set: AnswerSet; problems: string[] } {
  const problems: string[] = [];
  const answers = c.questions.map((question, i) => {
    const answer = (field(data, `q${i + 1}`) ?? '').trim();
    if (answer.length > LIMITS.answer)
      problems.push(
        `Your answer to question ${i + 1} is ${count(answer.length)} characters; the limit is ${count(LIMITS.answer)} (about 500 words). Shorten it, or link a document in it for the rest.`,
      );
    return { question, answer };
  });
  const themes = c.themes.map((theme, i): ThemeAnswer => {
    const raw = field(data, `r${i + 1}`);
    const rating = ratingOf(raw);
    if (raw && raw.trim() && !rating) problems.push(`Choose helps, partly or does not help for "${theme}".`);
    const comment = (field(data, `c${i + 1}`) ?? '').trim();
    if (comment.length > LIMITS.comment)
      problems.push(
        `Your comment on "${theme}" is ${count(comment.length)} characters; the limit is ${count(LIMITS.comment)}.`,
      );
    return { theme, comment, ...(rating ? { rating } : {}) };
  });
  const organisation = keepsOrganisation(c) ? (field(data, 'org') ?? '').replace(/\s+/g, ' ').trim() : '';
  if (organisation.length > LIMITS.organisation)
    problems.push(`Keep the organisation's name to ${LIMITS.organisation} characters.`);
  if (submitting) {
    if (c.countPer === 'Organisation' && !organisation)
      problems.push('Say which organisation you answer for: one answer counts per organisation.');
    const said = answers.some((a) => a.answer) || themes.some((t) => t.rating || t.comment);
    if (!said) problems.push('There is nothing to submit yet: answer at least one question.');
  }
  return { set: { ...(organisation ? { organisation } : {}), answers, themes }, problems };
}

function sameSet(a: AnswerSet, b: AnswerSet): boolean {
  return (
    JSON.stringify([a.organisation ?? '', a.answers, a.themes]) ===
    JSON.stringify([b.organisation ?? '', b.answers, b.themes])
  );
}

/** SharePoint's plain multi-line text holds 63,999 characters; History keeps the newest that fit. */
const NOTE_MAX = 63_000;

export function historyText(history: readonly AnswerVersion[]): string {
  const kept = [...history];
  let text = JSON.stringify(kept);
  while (text.length > NOTE_MAX && kept.length > 1) {
    kept.shift();
    text = JSON.stringify(kept);
  }
  return text.length > NOTE_MAX ? '[]' : text;
}

export function newFeedbackFields(
  c: Pick<Consultation, 'ref'>,
  who: { key: string; respondentId: string; title: string },
  set: AnswerSet,
  submitted: boolean,
  at: Date,
): FeedbackFields {
  return {
    Title: who.title.slice(0, 255),
    ConsultationRef: c.ref,
    RespondentId: who.respondentId,
    ...(set.organisation ? { Organisation: set.organisation } : {}),
    Answers: JSON.stringify(set.answers),
    ThemeRatings: JSON.stringify(set.themes),
    History: '[]',
    Submitted: submitted,
    AnsweredAt: at.toISOString(),
    FeedbackKey: who.key,
  };
}

/**
 * The change a save makes to an existing item: the earlier version goes to History when the words
 * change. Undefined when nothing changes (a repeated click): nothing is written.
 */
export function planAnswerChange(
  current: Feedback,
  set: AnswerSet,
  submitted: boolean,
  at: Date,
): FieldsPatch<FeedbackFields> | undefined {
  const before: AnswerSet = {
    ...(current.organisation ? { organisation: current.organisation } : {}),
    answers: current.answers,
    themes: current.themes,
  };
  const changedWords = !sameSet(before, set);
  // Submitting a saved draft unchanged is a change of state only; a submitted answer stays submitted.
  const nowSubmitted = current.submitted || submitted;
  if (!changedWords && nowSubmitted === current.submitted) return undefined;
  const history: AnswerVersion[] = changedWords
    ? [
        ...current.history,
        {
          at: current.answeredAt ?? '',
          submitted: current.submitted,
          ...(current.organisation ? { organisation: current.organisation } : {}),
          answers: current.answers,
          themes: current.themes,
        },
      ]
    : current.history;
  return {
    ...(changedWords
      ? {
          Answers: JSON.stringify(set.answers),
          ThemeRatings: JSON.stringify(set.themes),
          History: historyText(history),
          Organisation: set.organisation ?? null,
        }
      : {}),
    Submitted: nowSubmitted,
    AnsweredAt: at.toISOString(),
  };
}

/** The person's saved answers as the form shows them again. */
export function answerSetOf(f: Feedback | undefined): AnswerSet | undefined {
  if (!f) return undefined;
  return {
    ...(f.organisation ? { organisation: f.organisation } : {}),
    answers: f.answers,
    themes: f.themes,
  };
}
