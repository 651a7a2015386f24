import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formPrint } from '../../bot/features/consultations/answers.js';
import { toConsultation } from '../../bot/features/consultations/model.js';
import { onTelemetryEvent, TELEMETRY_EVENTS, type TelemetryEventName } from '../../bot/telemetry.js';
import type { AdaptiveCard } from '../../cards/adaptive.js';
import { CHAIR, ITEMS, SUPPLEMENT } from '../fixtures/agenda-seed.js';
import {
  CHANNEL,
  MEMBERS as AGENDA_MEMBERS,
  ROSTER as AGENDA_ROSTER,
  cardLines,
  channel,
  click,
  formData,
  press,
  randomHex,
  until,
} from '../support/agenda-activities.js';
import {
  MEMBERS as CONSULT_MEMBERS,
  newForm,
  startConsultBot,
  type ConsultBot,
} from '../support/consult-harness.js';
import { JAKE, THEMES, TITLE } from '../fixtures/consult-seed.js';
import { PEOPLE, TENANT, cardAction, installed } from '../support/activities.js';
import {
  ROSTER_PEOPLE,
  cardOf,
  fromTenant,
  logAsActionFetch,
  logAsActionSubmit,
  messageAt,
  textOf,
  ACTIONS_ROSTER,
} from '../support/actions-activities.js';
import { useTestBot } from '../support/use-test-bot.js';
import { cardText, executeActions } from '../support/cards.js';

/**
 * What Application Insights would be told, heard through `onTelemetryEvent` while the whole bot runs
 * over HTTP: each action logged (chat, "Log as action", an import), a change, a pack published to the
 * channel and to each member, a supplement, a consultation opened and closed. Each happens once:
 * the same activity again, a repeated click, a refusal or a failure tracks nothing. No property
 * carries a person's name or what anyone wrote.
 */

type Heard = { name: TelemetryEventName; props: Record<string, string | number | boolean> };

const AT = new Date('2018-02-26T12:00:00Z');
const ACTION_TEXT = 'action Sonia Khan & Rachel Duke to share the procurement strategy by end of June 2018';
const MESSAGE_HTML = '<p>Tim Shields to circulate the safeguarding figures by 9 March 2018</p>';
const MINUTES = [
  'Action — Owner — By when',
  'LBH Policy Team to use all feedback on the strategy in the development of final version — Sonia Khan & Rachel Duke — end of June 2018',
  "LBH to share its new Procurement Strategy with Partners — Dara O'Brien — October 2018 (TBC)",
  'LBH to set up bilateral discussions about Employment and Opportunities work — Tim Shields — 30/11/2018',
].join('\n');

/** Every string a property may hold: references and a few fixed words. */
const REFERENCE = /^[AMC]-\d{4}$/;
const VOCABULARY = new Set([
  'chat',
  'messageAction',
  'import',
  'start',
  'done',
  'drop',
  'note',
  'due',
  'reassign',
  'edit',
  'undo',
  'Open',
  'In progress',
  'Done',
  'Dropped',
  'pack',
  'supplement',
  'channel',
  'partners',
  'Named',
  'Anonymous to officers',
  'Anonymous to everyone',
  'Person',
  'Organisation',
  'officer',
  'deadline',
]);

/** The vocabulary's own words ("messageAction" → message, action): ours, not anyone's. */
const VOCABULARY_WORDS = new Set(
  [...VOCABULARY].flatMap((v) => v.split(/(?=[A-Z])|\s+/).map((w) => w.toLowerCase())),
);

/** The people these tests name, and the longer words of what they wrote (less the vocabulary's). */
const NAMES = [
  ...Object.values(PEOPLE),
  ...Object.values(ROSTER_PEOPLE),
  ...Object.values(AGENDA_MEMBERS),
  ...CONSULT_MEMBERS,
].map((p) => p.name);
const WRITTEN = [
  ACTION_TEXT,
  MESSAGE_HTML,
  MINUTES,
  ...ITEMS.flatMap((i) => [i.title, i.presenter]),
  CHAIR,
  SUPPLEMENT.title,
  SUPPLEMENT.note,
  TITLE,
  ...THEMES,
  JAKE.q1,
  JAKE.organisation,
];
const WORDS = [
  ...new Set(
    WRITTEN.join(' ')
      .replace(/<[^>]+>/g, ' ')
      .split(/[^\p{L}']+/u)
      .filter((w) => w.length >= 5)
      .map((w) => w.toLowerCase()),
  ),
].filter((w) => !VOCABULARY_WORDS.has(w));

function expectNothingPersonal(heard: readonly Heard[]): void {
  expect(heard.length).toBeGreaterThan(0);
  for (const { name, props } of heard) {
    for (const [key, value] of Object.entries(props)) {
      if (typeof value !== 'string') continue;
      expect(REFERENCE.test(value) || VOCABULARY.has(value), `${name}.${key} = ${value}`).toBe(true);
    }
    // The values, not the property names: "version" and "themes" are words of the minutes too.
    const said = JSON.stringify(Object.values(props)).toLowerCase();
    for (const n of NAMES) expect(said, `${name} names ${n}`).not.toContain(n.toLowerCase());
    for (const n of NAMES.flatMap((x) => x.split(' ')).filter((x) => x.length >= 4))
      expect(said, `${name} has "${n}"`).not.toContain(n.toLowerCase());
    for (const w of WORDS) expect(said, `${name} has "${w}"`).not.toContain(w);
  }
}

/** Listens from the start of a describe block to its end. */
function listen(): { heard: Heard[]; named(name: TelemetryEventName): Heard['props'][]; stop(): void } {
  const heard: Heard[] = [];
  const stop = onTelemetryEvent((name, props) => heard.push({ name, props }));
  return { heard, named: (name) => heard.filter((h) => h.name === name).map((h) => h.props), stop };
}

describe('custom events: actions and agenda packs', () => {
  const t = useTestBot({ env: { MicrosoftAppTenantId: TENANT } });
  let events: ReturnType<typeof listen>;
  let chatRef = '';

  beforeAll(async () => {
    events = listen();
  });
  afterAll(async () => {
    events?.stop();
  });

  const personal = () => ({ serviceUrl: t.connector.serviceUrl });
  const actionsChannel = () => ({ serviceUrl: t.connector.serviceUrl, type: 'channel' as const });
  const since = (n: number) => events.heard.slice(n);

  it('an action logged in chat is one ActionLogged; the same activity delivered again is none', async () => {
    t.connector.setMembers(ACTIONS_ROSTER);
    const activity = messageAt(ACTION_TEXT, PEOPLE.partner, personal(), { at: AT });
    const before = events.heard.length;
    await t.post(activity);
    chatRef = /A-\d{4}/.exec(cardText(cardOf(t.connector.sent().at(-1))))?.[0] ?? '';
    expect(chatRef).toMatch(/^A-\d{4}$/);
    await t.post(activity);
    expect(since(before)).toEqual([
      {
        name: TELEMETRY_EVENTS.actionLogged,
        props: { source: 'chat', ref: chatRef, count: 1, owners: 2, tentative: false },
      },
    ]);
  });

  it('a refused or failed log tracks nothing', async () => {
    const before = events.heard.length;
    t.connector.reset();
    await t.post(
      fromTenant(
        messageAt('action Sonia Khan to share the data', PEOPLE.obrien, personal(), { at: AT }),
        'tenant-elsewhere',
      ),
    );
    expect(textOf(t.connector.sent()[0])).toMatch(
      /^Only board officers, chairs and partners can log actions/,
    );
    t.lists.setFaults({ rate: 1, status: 503, retryAfterSeconds: 0, seed: 3 });
    await t.post(messageAt('action Sonia Khan to chase the CCG', PEOPLE.officer, personal(), { at: AT }));
    t.lists.setFaults({ rate: 0 });
    expect(textOf(t.connector.sent().at(-1))).toContain('NOT saved');
    expect(since(before)).toEqual([]);
  });

  it('"Log as action" on a message is one ActionLogged; the same message logged again is none', async () => {
    const open = async (from = PEOPLE.partner) => {
      const res = await t.post(
        logAsActionFetch(from, actionsChannel(), { id: 'telemetry-message-1', html: MESSAGE_HTML }),
      );
      const card = (res.body as { task: { value: { card: { content: AdaptiveCard } } } }).task.value.card
        .content;
      const values: Record<string, unknown> = {};
      for (const el of card.body) if ('id' in el && el.id && 'value' in el) values[el.id] = el.value ?? '';
      return { ...(card.actions?.[0] as unknown as { data: Record<string, unknown> }).data, ...values };
    };
    const before = events.heard.length;
    await t.post(logAsActionSubmit(PEOPLE.partner, actionsChannel(), await open()));
    const ref = /A-\d{4}/.exec(cardText(cardOf(t.connector.sent().at(-1))))?.[0];
    await t.post(logAsActionSubmit(PEOPLE.officer, actionsChannel(), await open(PEOPLE.officer)));
    expect(cardText(cardOf(t.connector.sent().at(-1)))).toContain('Already logged as');
    expect(since(before)).toEqual([
      {
        name: TELEMETRY_EVENTS.actionLogged,
        props: { source: 'messageAction', ref, count: 1, owners: 1, tentative: false },
      },
    ]);
  });

  it('an import of minutes is one ActionLogged with counts, not one per action; Confirm again is none', async () => {
    t.connector.reset();
    await t.post(messageAt(`actions import\n${MINUTES}`, PEOPLE.officer, personal(), { at: AT }));
    const confirm = executeActions(cardOf(t.connector.sent()[0])).find((a) => a.verb === 'actions.import');
    expect(confirm).toBeDefined();
    const before = events.heard.length;
    const press = () => t.post(cardAction('actions.import', confirm?.data ?? {}, PEOPLE.officer, personal()));
    expect(cardText((await press()).body)).toContain('Imported 3 actions');
    expect(cardText((await press()).body)).toContain('Already imported');
    expect(since(before)).toEqual([
      {
        name: TELEMETRY_EVENTS.actionLogged,
        props: { source: 'import', count: 3, already: 0, failed: 0, owners: 4, unowned: 0, tentative: 1 },
      },
    ]);
  });

  it('a change is one ActionUpdated with the status; the same change again, or a refused one, is none', async () => {
    const before = events.heard.length;
    await t.post(messageAt(`action ${chatRef} done`, PEOPLE.partner, personal(), { at: AT }));
    expect(textOf(t.connector.sent().at(-1))).toContain(`Only Sonia Khan and Rachel Duke (the owners)`);
    await t.post(messageAt(`action ${chatRef} done`, PEOPLE.officer, personal(), { at: AT }));
    await t.post(messageAt(`action ${chatRef} done`, PEOPLE.officer, personal(), { at: AT }));
    expect(cardText(cardOf(t.connector.sent().at(-1)))).toContain('already done');
    expect(since(before)).toEqual([
      {
        name: TELEMETRY_EVENTS.actionUpdated,
        props: { ref: chatRef, change: 'done', status: 'Done', previousStatus: 'Open' },
      },
    ]);
  });

  it('publishing the seed pack is one AgendaPackSent for the channel and one for the personal copies; Publish again is none', async () => {
    t.connector.setMembers(AGENDA_ROSTER);
    await t.post(installed(PEOPLE.officer, channel(t)));
    const at = new Date('2018-02-12T09:30:00Z');
    const created = await press(
      t,
      click('agenda.create', formData({ key: randomHex() }), PEOPLE.officer, channel(t), at),
    );
    const ref = /agenda pack (M-\d{4})/.exec(cardLines(created.value))?.[1] ?? '';
    expect(ref).toMatch(/^M-\d{4}$/);
    const before = events.heard.length;
    t.connector.reset();
    const publish = click('agenda.publish', { ref, members: true }, PEOPLE.officer, channel(t), at);
    expect(cardLines((await press(t, publish)).value)).toContain(`Published: version 1 of ${ref}`);
    await until(() => events.named(TELEMETRY_EVENTS.packSent).some((e) => e.to === 'partners'));
    expect(cardLines((await press(t, publish)).value)).toContain('was already published');
    await until(async () => {
      const copies = await t.bot.messaging.deliveries.forCampaign(`agenda:${ref}:members`);
      return copies.length === 5 && copies.every((d) => d.status === 'Sent');
    });

    // The pack's cards: the one in the channel and any item cards of a long pack in its thread.
    const cards = t.connector.calls.filter(
      (c) => c.method === 'POST' && (c.conversationId ?? '').startsWith(CHANNEL),
    ).length;
    expect(cards).toBeGreaterThanOrEqual(1);
    const base = { meetingRef: ref, version: 1, kind: 'pack' };
    expect(since(before)).toEqual([
      { name: TELEMETRY_EVENTS.packSent, props: { ...base, to: 'channel', cards, partners: 5 } },
      { name: TELEMETRY_EVENTS.packSent, props: { ...base, to: 'partners', cards: 1, partners: 5 } },
    ]);

    // A supplement: one more, for its notice; the same click again sends nothing.
    const supplement = click(
      'agenda.supplement',
      {
        ref,
        form: 'c'.repeat(24),
        item: SUPPLEMENT.item,
        paperTitle: SUPPLEMENT.title,
        paperUrl: SUPPLEMENT.url,
        note: SUPPLEMENT.note,
      },
      PEOPLE.officer,
      channel(t),
      at,
    );
    const mid = events.heard.length;
    expect(cardLines((await press(t, supplement)).value)).toContain('Supplement 1 published');
    expect(cardLines((await press(t, supplement)).value)).toContain('Supplement 1 was already published');
    expect(since(mid)).toEqual([
      {
        name: TELEMETRY_EVENTS.packSent,
        props: {
          meetingRef: ref,
          version: 2,
          kind: 'supplement',
          supplement: 1,
          to: 'channel',
          cards: 1,
          partners: 5,
        },
      },
    ]);
  });

  it('no property carries a name or what anyone wrote', () => {
    expectNothingPersonal(events.heard);
  });
});

describe('custom events: consultations', () => {
  let t: ConsultBot;
  let events: ReturnType<typeof listen>;

  beforeAll(async () => {
    t = await startConsultBot();
    events = listen();
  });
  afterAll(async () => {
    events?.stop();
    await t?.close();
  });

  it('opening is one ConsultationOpened; the deadline closing it is one ConsultationClosed with the counts', async () => {
    const open = () =>
      t.press('consult.open', newForm(t.clock.now), PEOPLE.officer, 'channel', 'form-card-1');
    expect(cardText((await open()).value)).toContain('Personal invitations are on their way to 5 people.');
    expect(cardText((await open()).value)).toContain('already open');
    await t.bot.consultations.service.settled();
    const stored = toConsultation((await t.bot.lists.repos.Consultations.all({}))[0]!);
    const ref = stored.ref;
    expect(events.heard).toEqual([
      {
        name: TELEMETRY_EVENTS.consultationOpened,
        props: {
          consultationRef: ref,
          invited: 5,
          questions: 3,
          themes: THEMES.length,
          anonymity: 'Named',
          countPer: 'Person',
        },
      },
    ]);

    const fp = formPrint(stored);
    await t.press('consult.submit', { ref, fp, org: JAKE.organisation, q1: JAKE.q1 }, PEOPLE.partner);
    await t.press('consult.save', { ref, fp, q1: 'a draft, not yet sent' }, CONSULT_MEMBERS[4]!);
    t.clock.now = new Date(Date.parse(stored.closesAt) + 60_000);
    expect((await t.bot.consultations.service.tick()).closed).toEqual([ref]);
    await t.bot.consultations.service.settled();
    expect((await t.bot.consultations.service.tick()).closed).toEqual([]);
    expect(
      ((await t.say(`consult close ${ref}`, PEOPLE.officer)).at(-1) as { text?: string }).text,
    ).toContain('already closed');
    await t.bot.consultations.service.settled();
    expect(events.heard.slice(1)).toEqual([
      {
        name: TELEMETRY_EVENTS.consultationClosed,
        props: { consultationRef: ref, by: 'deadline', invited: 5, answered: 1, drafts: 1 },
      },
    ]);
    expectNothingPersonal(events.heard);
  });
});
