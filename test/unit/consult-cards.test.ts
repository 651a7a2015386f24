import { describe, expect, it } from 'vitest';
import { answerFormCard, invitationCard, receiptCard, type ConsultationView } from '../../cards/consult.js';
import { cardBytes, CARD_BUDGET_BYTES } from '../../cards/adaptive.js';
import { cardProblems, cardText, executeActions } from '../support/cards.js';
import { entries } from '../fixtures/gallery/consultations.js';
import { MARKUP, THEMES, TITLE } from '../fixtures/consult-seed.js';

const view: ConsultationView = {
  ref: 'C-0001',
  title: TITLE,
  summary: MARKUP,
  themes: THEMES,
  questions: ['Q one?', 'Q two?', 'Q three?'],
  closes: 'Friday 9 March 2018 at 17:00',
  anonymity: 'Named',
  countPer: 'Person',
  openedBy: 'Sonia Khan',
};

describe('consultation cards', () => {
  it.each(entries.map((e) => [e.id, e] as const))('%s validates, within budget', (_id, entry) => {
    expect(cardProblems(entry.card)).toEqual([]);
    expect(cardBytes(entry.card)).toBeLessThan(CARD_BUDGET_BYTES);
  });

  it('the gallery has the seven cards the issue names, and more', () => {
    const ids = entries.map((e) => e.id);
    for (const id of [
      'consult-card',
      'consult-invitation',
      'consult-answer-form',
      'consult-receipt',
      'consult-status',
      'consult-summary',
      'consult-you-said-we-did',
    ])
      expect(ids).toContain(id);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('what people typed is shown in TextRuns, never as markdown', () => {
    const c = invitationCard(view);
    expect(JSON.stringify(c)).toContain(JSON.stringify({ type: 'TextRun', text: MARKUP }));
    expect(cardProblems(c)).toEqual([]);
  });

  it('invitations refresh per person; forms never carry a refresh that could replace them', () => {
    expect(invitationCard({ ...view, refreshFor: ['29:jake'] }).refresh?.userIds).toEqual(['29:jake']);
    const form = answerFormCard({
      consultation: view,
      print: 'abcdef012345',
      askOrganisation: true,
      limits: { answer: 3000, comment: 600, organisation: 100 },
    });
    expect(form.refresh).toBeUndefined();
    expect(executeActions(form).map((a) => a.verb)).toEqual(['consult.submit', 'consult.save']);
  });

  it('a closed invitation is read-only and says when it closed', () => {
    const c = invitationCard({ ...view, closed: 'Closed on Friday 9 March 2018 at 17:00' });
    expect(cardText(c)).toContain('Closed on Friday 9 March 2018 at 17:00');
    expect(executeActions(c).filter((a) => a.verb !== 'consult.refresh')).toEqual([]);
  });

  it('a receipt of very long answers in a script of three-byte characters stays under 40 KB', () => {
    const long = '漢'.repeat(3000);
    const six = { ...view, questions: ['1?', '2?', '3?', '4?', '5?', '6?'] };
    const c = receiptCard({
      consultation: six,
      submitted: true,
      when: 'now',
      answers: {
        answers: six.questions.map((question) => ({ question, answer: long })),
        themes: THEMES.map((theme) => ({ theme, comment: '字'.repeat(600) })),
      },
    });
    expect(cardBytes(c)).toBeLessThanOrEqual(CARD_BUDGET_BYTES);
    expect(cardText(c)).toContain('shortened here; all of it is saved');
    expect(cardProblems(c)).toEqual([]);
  });
});
