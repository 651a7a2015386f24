import { describe, expect, it } from 'vitest';
import type { ConsultAnswersData } from '../../cards/consult-verbs.js';
import {
  formPrint,
  historyText,
  planAnswerChange,
  readAnswers,
} from '../../bot/features/consultations/answers.js';
import { inviteeFor, keepsOrganisation, respondentKey } from '../../bot/features/consultations/anonymity.js';
import { readConsultIntent } from '../../bot/features/consultations/intents.js';
import {
  checkExportToken,
  exportToken,
  feedbackCsv,
  feedbackTable,
} from '../../bot/features/consultations/export.js';
import { linesOf, readNewConsultationForm } from '../../bot/features/consultations/form.js';
import type { Consultation, Feedback } from '../../bot/features/consultations/model.js';
import { countedIds } from '../../bot/features/consultations/views.js';
import { JAKE, THEMES } from '../fixtures/consult-seed.js';

const SECRET = 'a-test-secret-of-at-least-thirty-two-characters';
const NOW = new Date('2018-02-26T10:00:00Z');

const consultation = (extra: Partial<Consultation> = {}): Consultation => ({
  id: '1',
  etag: '"1"',
  ref: 'C-0001',
  title: 'Draft Community Strategy',
  summary: '',
  themes: THEMES.slice(0, 2),
  questions: ['One?', 'Two?'],
  closesAt: '2018-03-09T17:00:00.000Z',
  audience: 'channel',
  anonymity: 'Named',
  countPer: 'Person',
  status: 'Open',
  openedBy: 'Sonia Khan',
  invitees: [
    { aadObjectId: 'aad-jake', name: 'Jake Ferguson' },
    { aadObjectId: 'aad-rory', name: 'Rory McCallum' },
  ],
  ...extra,
});

const feedback = (extra: Partial<Feedback>): Feedback => ({
  id: '10',
  etag: '"1"',
  ref: 'C-0001',
  key: 'C-0001|aad-jake',
  name: 'Jake Ferguson',
  respondentId: 'aad-jake',
  answers: [
    { question: 'One?', answer: 'first' },
    { question: 'Two?', answer: '' },
  ],
  themes: [],
  history: [],
  submitted: true,
  answeredAt: '2018-02-27T09:00:00.000Z',
  ...extra,
});

describe('the "consult new" form', () => {
  const form = (extra: Record<string, string> = {}) => ({
    key: 'a1b2c3d4e5f6a7b8c9d0',
    title: 'Draft Community Strategy',
    questions: 'One?\nTwo?',
    themes: '1. Tackling poverty\n• Housing',
    closesOn: '2018-06-30',
    closesAt: '17:00',
    ...extra,
  });

  it('closes at the London time asked, in summer time too', () => {
    const read = readNewConsultationForm(form(), NOW);
    expect('draft' in read && read.draft.closesAt.toISOString()).toBe('2018-06-30T16:00:00.000Z');
    const winter = readNewConsultationForm(form({ closesOn: '2018-03-09' }), NOW);
    expect('draft' in winter && winter.draft.closesAt.toISOString()).toBe('2018-03-09T17:00:00.000Z');
  });

  it('reads lists as people paste them', () => {
    expect(linesOf('1. Tackling poverty\n\n• Housing\n- Safer  streets ')).toEqual([
      'Tackling poverty',
      'Housing',
      'Safer streets',
    ]);
  });

  it('names each problem once, against its field', () => {
    const read = readNewConsultationForm(
      form({ title: ' ', questions: '', closesOn: '2018-02-31', themes: 'A\na' }),
      NOW,
    );
    expect('problems' in read && Object.keys(read.problems).sort()).toEqual([
      'closesOn',
      'questions',
      'themes',
      'title',
    ]);
    const today = readNewConsultationForm(form({ closesOn: '2018-02-26', closesAt: '09:30' }), NOW);
    expect('problems' in today && today.problems.closesOn).toContain('have passed');
    const people = readNewConsultationForm(form({ audience: 'people', people: ' ; ' }), NOW);
    expect('problems' in people && people.problems.people).toContain('Name the people');
    const forged = readNewConsultationForm(form({ anonymity: 'Everybody sees', audience: 'everyone' }), NOW);
    expect('problems' in forged && Object.keys(forged.problems).sort()).toEqual(['anonymity', 'audience']);
  });
});

/** What an answer card carries: its inputs merged into the button's data. */
const carried = (inputs: Record<string, string>) =>
  ({ ref: 'C-0001', fp: 'abcdefabcdef', ...inputs }) as ConsultAnswersData;

describe('answers', () => {
  it('keeps text exactly as typed and names what is too long', () => {
    const c = consultation();
    const read = readAnswers(
      c,
      carried({ q1: '  *as typed*\n<b>x</b>  ', q2: 'y'.repeat(3001), r1: 'partly' }),
      true,
    );
    expect(read.set.answers[0]?.answer).toBe('*as typed*\n<b>x</b>');
    expect(read.set.themes[0]?.rating).toBe('Partly');
    expect(read.problems).toEqual([
      'Your answer to question 2 is 3,001 characters; the limit is 3,000 (about 500 words). Shorten it, or link a document in it for the rest.',
    ]);
    expect(readAnswers(c, carried({ r2: 'Brilliant' }), false).problems[0]).toContain(
      'Choose helps, partly or does not help',
    );
    expect(readAnswers(c, carried({}), true).problems).toEqual([
      'There is nothing to submit yet: answer at least one question.',
    ]);
  });

  it('a change moves the earlier version to History; the same answers again write nothing', () => {
    const current = feedback({});
    const same = { answers: current.answers, themes: [] };
    expect(planAnswerChange(current, same, true, NOW)).toBeUndefined();
    const patch = planAnswerChange(
      current,
      {
        answers: [
          { question: 'One?', answer: 'second' },
          { question: 'Two?', answer: '' },
        ],
        themes: [],
      },
      true,
      NOW,
    )!;
    expect(JSON.parse(patch.History as string)[0].answers[0].answer).toBe('first');
    expect(JSON.parse(patch.Answers as string)[0].answer).toBe('second');
  });

  it('History keeps the newest versions that fit the column', () => {
    const big = Array.from({ length: 40 }, (_, i) => ({
      at: String(i),
      submitted: true,
      answers: [{ question: 'q', answer: 'z'.repeat(3000) }],
      themes: [],
    }));
    const kept = JSON.parse(historyText(big)) as { at: string }[];
    expect(kept.at(-1)?.at).toBe('39');
    expect(kept.length).toBeLessThan(40);
  });

  it('a form fingerprint changes with the questions or themes', () => {
    expect(formPrint(consultation())).not.toBe(formPrint(consultation({ questions: ['One?'] })));
    expect(formPrint(consultation())).not.toBe(formPrint(consultation({ ref: 'C-0002' })));
  });
});

describe('anonymity', () => {
  it('anonymous to everyone keeps only a keyed hash, and the bot alone can find the person', () => {
    const c = consultation({ anonymity: 'Anonymous to everyone' });
    const key = respondentKey(SECRET, c, 'AAD-Jake');
    expect(key).toMatch(/^anon:[a-f0-9]{48}$/);
    expect(key).not.toBe(respondentKey(SECRET, { ...c, ref: 'C-0002' }, 'aad-jake'));
    expect(key).not.toBe(respondentKey('another-secret-of-thirty-two-characters!!', c, 'aad-jake'));
    expect(inviteeFor(SECRET, c, key)?.name).toBe('Jake Ferguson');
    expect(respondentKey(SECRET, consultation(), 'AAD-Jake')).toBe('aad-jake');
    expect(keepsOrganisation(c)).toBe(false);
    expect(keepsOrganisation({ ...c, countPer: 'Organisation' })).toBe(true);
  });

  it('per organisation, the latest submitted answer of each organisation counts', () => {
    const c = consultation({ countPer: 'Organisation' });
    const items = [
      feedback({ id: '1', organisation: 'HCVS', answeredAt: '2018-02-27T09:00:00Z' }),
      feedback({ id: '2', organisation: 'h.c.v.s.', answeredAt: '2018-02-28T09:00:00Z' }),
      feedback({ id: '3', organisation: 'NHS', submitted: false }),
      feedback({ id: '4', organisation: 'Police' }),
    ];
    expect([...countedIds(c, items)].sort()).toEqual(['2', '4']);
    expect([...countedIds(consultation(), items)].sort()).toEqual(['1', '2', '4']);
  });
});

describe('exports', () => {
  it('links are signed and expire; anything altered is not found', () => {
    const token = exportToken(SECRET, 'C-0001', NOW.getTime() + 1000);
    expect(token.length).toBeLessThan(100);
    expect(checkExportToken(SECRET, token, NOW.getTime())).toEqual({ ok: true, ref: 'C-0001' });
    expect(checkExportToken(SECRET, token, NOW.getTime() + 2000)).toMatchObject({ ok: false, status: 410 });
    expect(checkExportToken(SECRET, token.replace('C-0001', 'C-0002'), NOW.getTime())).toMatchObject({
      status: 404,
    });
    expect(checkExportToken('another-secret-of-thirty-two-characters!!', token, NOW.getTime())).toMatchObject(
      { status: 404 },
    );
    expect(checkExportToken(SECRET, 'x', NOW.getTime())).toMatchObject({ status: 404 });
  });

  it('names respondents only when Named, and defuses formulas in the CSV', () => {
    const items = [
      feedback({
        organisation: 'HCVS',
        answers: [
          { question: 'One?', answer: '=HYPERLINK("https://evil.example")' },
          { question: 'Two?', answer: JAKE.q1 },
        ],
      }),
    ];
    expect(feedbackTable(consultation(), items).headers).toContain('Respondent');
    const anonymous = feedbackTable(consultation({ anonymity: 'Anonymous to partners' }), items);
    expect(anonymous.headers).not.toContain('Respondent');
    expect(JSON.stringify(anonymous.rows)).not.toContain('Jake Ferguson');
    const csv = feedbackCsv(consultation(), items).toString('utf8');
    expect(csv).toContain(`"'=HYPERLINK(""https://evil.example"")"`);
    expect(csv).toContain('"1) Shrinking resources');
  });
});

describe('consult commands', () => {
  it.each([
    ['consult new', { kind: 'new' }],
    ['Consult status C-3', { kind: 'status', ref: 'C-0003' }],
    ['consultation close', { kind: 'close' }],
    ['consult export c-0012.', { kind: 'export', ref: 'C-0012' }],
    ['consult remind', { kind: 'remind' }],
    ['consult you said, we did', { kind: 'weDid' }],
    ['consultations', { kind: 'show' }],
    ['consult C-0002', { kind: 'show', ref: 'C-0002' }],
    ['consult frobnicate', { kind: 'unknown', rest: 'frobnicate' }],
  ])('"%s"', (text, intent) => {
    expect(readConsultIntent(text)).toEqual(intent);
  });

  it('leaves other words alone', () => {
    expect(readConsultIntent('consultant to review')).toBeUndefined();
    expect(readConsultIntent('action consult partners')).toBeUndefined();
  });
});
