import { describe, expect, it } from 'vitest';
import { respondentKey } from '../../bot/features/consultations/anonymity.js';
import type { Consultation, Feedback } from '../../bot/features/consultations/model.js';
import { invitationDeliveries, statusView } from '../../bot/features/consultations/views.js';
import type { Delivery } from '../../bot/messaging/index.js';
import type { CardElement } from '../../cards/adaptive.js';
import { INVITATION_NAMES_MAX, statusCard, type StatusView } from '../../cards/consult-follow.js';
import type { ConsultationView } from '../../cards/consult.js';
import { cardProblems, cardText, executeActions } from '../support/cards.js';
import { THEMES } from '../fixtures/consult-seed.js';

/**
 * The officer's status card says which invitations may not have arrived, and offers to send just
 * those again: the view model from the delivery log, and the card as a pure function of it.
 */

const SECRET = 'a-test-secret-of-at-least-thirty-two-characters';
const NOW = new Date('2018-02-26T10:00:00Z');
const HOSTILE = '**Dara** [O’Brien](https://example.org/x) <at>_x_</at>';

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
    { aadObjectId: 'aad-dara', name: "Dara O'Brien" },
    { aadObjectId: 'aad-rory', name: 'Rory McCallum' },
    { aadObjectId: 'aad-melba', name: 'Melba Gomes' },
    { aadObjectId: 'aad-claire', name: 'Claire Crawley' },
  ],
  ...extra,
});

const delivery = (aad: string, status: Delivery['status']): Pick<Delivery, 'recipient' | 'status'> => ({
  recipient: { kind: 'user', aadObjectId: aad },
  status,
});

const submitted = (c: Consultation, aad: string, name: string): Feedback => {
  const respondentId = respondentKey(SECRET, c, aad);
  return {
    id: '10',
    etag: '"1"',
    ref: c.ref,
    key: `${c.ref}|${respondentId}`,
    name: c.anonymity === 'Anonymous to everyone' ? '' : name,
    respondentId,
    answers: [
      { question: 'One?', answer: 'first' },
      { question: 'Two?', answer: '' },
    ],
    themes: [],
    history: [],
    submitted: true,
    answeredAt: '2018-02-27T09:00:00.000Z',
  };
};

describe('the invitations in the status view model', () => {
  it('counts those delivered and names, in invitation order, those not arrived and those on their way', () => {
    const inv = invitationDeliveries(consultation(), [
      delivery('aad-jake', 'Sent'),
      delivery('AAD-Dara', 'Unconfirmed'),
      delivery('aad-rory', 'Failed'),
      delivery('aad-melba', 'Sending'),
    ]);
    // Claire is not on the log yet (the campaign is still being planned): on her way too.
    expect(inv).toEqual({
      delivered: 1,
      notArrived: ["Dara O'Brien", 'Rory McCallum'],
      sending: ['Melba Gomes', 'Claire Crawley'],
    });
  });

  it('ignores deliveries to anyone not invited, and a conversation recipient', () => {
    const inv = invitationDeliveries(consultation(), [
      delivery('aad-stranger', 'Failed'),
      { recipient: { kind: 'conversation', conversationId: '19:general' }, status: 'Failed' },
      ...['aad-jake', 'aad-dara', 'aad-rory', 'aad-melba', 'aad-claire'].map((a) => delivery(a, 'Sent')),
    ]);
    expect(inv).toEqual({ delivered: 5, notArrived: [], sending: [] });
  });

  it('a nameless invitee is "Someone"', () => {
    const c = consultation({ invitees: [{ aadObjectId: 'aad-x', name: '  ' }] });
    expect(invitationDeliveries(c, [delivery('aad-x', 'Failed')]).notArrived).toEqual(['Someone']);
  });

  it('is on the view only when the deliveries are given (an officer’s card), never for anyone else', () => {
    const c = consultation();
    expect(statusView(c, [], { now: NOW, secret: SECRET }).invitations).toBeUndefined();
    const withLog = statusView(c, [], {
      now: NOW,
      secret: SECRET,
      deliveries: [delivery('aad-dara', 'Failed')],
    });
    expect(withLog.invitations?.notArrived).toEqual(["Dara O'Brien"]);
  });

  it.each(['Named', 'Anonymous to partners', 'Anonymous to everyone'] as const)(
    '%s: answering changes nothing in it, so it cannot tell anyone who answered',
    (anonymity) => {
      const c = consultation({ anonymity });
      const log = [delivery('aad-jake', 'Sent'), delivery('aad-dara', 'Unconfirmed')];
      const before = statusView(c, [], { now: NOW, secret: SECRET, deliveries: log });
      const after = statusView(c, [submitted(c, 'aad-dara', "Dara O'Brien")], {
        now: NOW,
        secret: SECRET,
        deliveries: log,
      });
      expect(after.submitted).toBe(1);
      expect(after.invitations).toEqual(before.invitations);
      if (anonymity === 'Anonymous to everyone') {
        // The card still names nobody as answering; the only names are the invitees'.
        expect(after.people).toBeUndefined();
        expect(after.feedback.map((f) => f.who)).toEqual(['A partner']);
      }
    },
  );
});

const view: ConsultationView = {
  ref: 'C-0001',
  title: 'Draft Community Strategy',
  summary: '',
  themes: THEMES.slice(0, 2),
  questions: ['One?'],
  closes: 'Friday 9 March 2018 at 17:00',
  anonymity: 'Named',
  countPer: 'Person',
  openedBy: 'Sonia Khan',
};

const vm = (extra: Partial<StatusView> = {}): StatusView => ({
  consultation: view,
  open: true,
  invited: 5,
  submitted: 1,
  drafts: 0,
  notYet: 4,
  themes: [],
  feedback: [],
  moreFeedback: 0,
  anonymousToEveryone: false,
  limits: { response: 2000 },
  ...extra,
});

const resendButtons = (card: unknown) => executeActions(card).filter((a) => a.verb === 'consult.resend');

/** Every TextBlock (markdown) text in a card. */
function markdownTexts(node: unknown): string[] {
  const found: string[] = [];
  const walk = (n: unknown): void => {
    if (Array.isArray(n)) return n.forEach(walk);
    if (!n || typeof n !== 'object') return;
    const o = n as { type?: string; text?: unknown };
    if (o.type === 'TextBlock' && typeof o.text === 'string') found.push(o.text);
    Object.values(o).forEach(walk);
  };
  walk(node);
  return found;
}

describe('the invitations on the status card', () => {
  it('says nothing when every invitation was delivered, or when it is not an officer’s card', () => {
    for (const c of [
      statusCard(vm({ invitations: { delivered: 5, notArrived: [], sending: [] } })),
      statusCard(vm()),
    ]) {
      expect(cardProblems(c)).toEqual([]);
      expect(cardText(c)).not.toMatch(/invitation/i);
      expect(resendButtons(c)).toEqual([]);
    }
  });

  it('names those whose invitation failed or may not have arrived, with the button to send theirs again', () => {
    const c = statusCard(
      vm({ invitations: { delivered: 3, notArrived: ["Dara O'Brien", 'Sonia Khan'], sending: [] } }),
    );
    expect(cardProblems(c)).toEqual([]);
    expect(cardText(c)).toContain("2 invitations may not have arrived: Dara O'Brien, Sonia Khan.");
    expect(cardText(c)).toContain('3 of 5 invitations delivered.');
    expect(resendButtons(c)).toEqual([
      { verb: 'consult.resend', title: 'Send their invitations again', data: { ref: 'C-0001' } },
    ]);
    // The card's own buttons are as they were, the Remind count included.
    expect(c.actions?.map((a) => a.title)).toEqual(['Remind (4)', 'Close now', 'Export', 'Refresh']);
  });

  it('one is "1 invitation"', () => {
    const c = statusCard(vm({ invitations: { delivered: 4, notArrived: ['Rory McCallum'], sending: [] } }));
    expect(cardText(c)).toContain('1 invitation may not have arrived: Rory McCallum.');
  });

  it('names go in a TextRun exactly as Teams gave them, never as markdown', () => {
    const c = statusCard(vm({ invitations: { delivered: 4, notArrived: [HOSTILE], sending: [HOSTILE] } }));
    expect(cardProblems(c)).toEqual([]);
    expect(JSON.stringify(c)).toContain(
      JSON.stringify({
        type: 'TextRun',
        text: `1 invitation may not have arrived: ${HOSTILE}.`,
        weight: 'Bolder',
        color: 'Attention',
      }),
    );
    expect(markdownTexts(c).filter((t) => t.includes('Dara'))).toEqual([]);
  });

  it(`a long list shows the first ${INVITATION_NAMES_MAX} names and how many more`, () => {
    const many = Array.from({ length: 23 }, (_, i) => `Partner ${i + 1}`);
    const c = statusCard(
      vm({ invited: 30, invitations: { delivered: 7, notArrived: many, sending: many.slice(0, 12) } }),
    );
    expect(cardProblems(c)).toEqual([]);
    const said = cardText(c);
    expect(said).toContain(
      `23 invitations may not have arrived: ${many.slice(0, 10).join(', ')} and 13 more.`,
    );
    expect(said).not.toContain('Partner 11,');
    expect(said).toContain(`12 invitations still being sent: ${many.slice(0, 10).join(', ')} and 2 more.`);
    expect(resendButtons(c)).toHaveLength(1);
  });

  it('exactly ten names are all shown, with no "more"', () => {
    const ten = Array.from({ length: 10 }, (_, i) => `Partner ${i + 1}`);
    const c = statusCard(vm({ invited: 10, invitations: { delivered: 0, notArrived: ten, sending: [] } }));
    expect(cardText(c)).toContain(`10 invitations may not have arrived: ${ten.join(', ')}.`);
    expect(cardText(c)).not.toContain('more');
  });

  it('invitations still on their way are a quiet line with no button', () => {
    const c = statusCard(
      vm({ invitations: { delivered: 3, notArrived: [], sending: ['Melba Gomes', 'Rory'] } }),
    );
    expect(cardProblems(c)).toEqual([]);
    expect(cardText(c)).toContain('2 invitations still being sent: Melba Gomes, Rory.');
    expect(cardText(c)).not.toContain('may not have arrived');
    expect(resendButtons(c)).toEqual([]);
  });

  it('once it has closed: those that never arrived are still named, but there is no button', () => {
    const c = statusCard(
      vm({
        open: false,
        consultation: { ...view, closed: 'Closed on Friday 9 March 2018 at 17:00' },
        invitations: { delivered: 3, notArrived: ["Dara O'Brien"], sending: ['Melba Gomes'] },
      }),
    );
    expect(cardProblems(c)).toEqual([]);
    expect(cardText(c)).toContain("1 invitation may not have arrived: Dara O'Brien.");
    expect(cardText(c)).not.toContain('still being sent');
    expect(resendButtons(c)).toEqual([]);
    // Nothing at all when only some were on their way.
    const quiet = statusCard(
      vm({ open: false, invitations: { delivered: 4, notArrived: [], sending: ['Melba Gomes'] } }),
    );
    expect(cardText(quiet)).not.toMatch(/invitation/i);
  });

  it('sits under the counts, before the names by state', () => {
    const c = statusCard(
      vm({
        people: [{ label: 'Jake Ferguson', state: 'submitted' }],
        invitations: { delivered: 4, notArrived: ["Dara O'Brien"], sending: [] },
      }),
    );
    const types = c.body.map((e: CardElement) => e.type);
    const counts = types.indexOf('ColumnSet');
    const said = cardText(c.body[counts + 1]);
    expect(said).toContain('may not have arrived');
    expect(cardText(c).indexOf('may not have arrived')).toBeLessThan(cardText(c).indexOf('Answered (1)'));
  });
});
