import { describe, expect, it } from 'vitest';
import { invoke, PEOPLE, type Person } from '../support/activities.js';
import { logAsActionFetch, logAsActionSubmit } from '../support/actions-activities.js';
import {
  anyValue,
  CANARY,
  cardLeaks,
  cardsIn,
  changesBetween,
  dialogNames,
  fc,
  inputsOf,
  MARKUP,
  mutated,
  ODATA,
  snapshotLists,
  startHostileBed,
  STRANGER,
  unentitled,
  unknownLeaks,
  userText,
  type Leak,
} from '../support/hostile.js';
import { useStarted } from '../support/use-test-bot.js';

/**
 * Dialogs (task modules: `task/fetch`, `task/submit`) and the "Log as action" message action
 * (`composeExtension/fetchTask`, `composeExtension/submitAction`) with hostile input: what their
 * real forms submit, mutated; message payloads with hostile HTML, mentions and links; forged
 * dialog names and command ids. From a partner and from someone outside the board: no 5xx, no
 * write they were not entitled to, no markup rendered from their text, and no link that is not a
 * web link stored in an action.
 */

const bed = useStarted(startHostileBed, (b) => b.close());
const answered: unknown[] = [];

async function send(activity: unknown): Promise<number> {
  const res = await bed.t.post(activity);
  answered.push(res.body);
  return res.status;
}

const as = <T extends { conversation: object; channelData: object }>(stranger: boolean, activity: T) =>
  stranger ? bed.asStranger(activity) : activity;
const sender = (stranger: boolean): Person => (stranger ? STRANGER : PEOPLE.partner);
const conversationsOf = (stranger: boolean) =>
  new Set(stranger ? [`a:personal-${STRANGER.aadObjectId}`] : ['19:general@thread.tacv2']);
/** Dialogs and message actions open from the channel: someone from elsewhere is a stranger only in a personal chat. */
const whereFor = (stranger: boolean) => (stranger ? bed.personal() : bed.channel());

async function checkEntitled(stranger: boolean, work: () => Promise<void>) {
  const before = await snapshotLists(bed.t.bot.lists);
  await work();
  const changes = changesBetween(before, await snapshotLists(bed.t.bot.lists));
  expect(unentitled(changes, PEOPLE.partner, { stranger, conversations: conversationsOf(stranger) })).toEqual(
    [],
  );
  // Whatever was logged links back only to web pages.
  const actions = await bed.t.bot.lists.repos.Actions.all({ select: ['SourceUrl'] });
  for (const a of actions) if (a.fields.SourceUrl) expect(a.fields.SourceUrl).toMatch(/^https?:\/\//);
}

describe('dialogs (task modules)', () => {
  const names = () => [...new Set([...dialogNames(bed.t.bot.router), ...bed.dialogs.keys()])];

  it('finds the dialogs the features register', () => {
    // The agenda form opens as a dialog today; any dialog registered later is attacked too.
    expect(names().length).toBeGreaterThan(0);
  });

  it('every dialog, fetched and submitted with its real form mutated each fixed way', async () => {
    for (const stranger of [false, true])
      await checkEntitled(stranger, async () => {
        for (const name of [...names(), 'no-such-dialog', "agenda.new' or 1 eq 1", '__proto__']) {
          const real = { ...(bed.dialogs.get(name) ?? {}), dialog: name };
          const forms: unknown[] = [
            real,
            { dialog: name },
            Object.fromEntries(
              Object.entries(real).map(([k, v]) => [
                k,
                typeof v === 'string' && k !== 'dialog' ? MARKUP.join(' ') : v,
              ]),
            ),
            Object.fromEntries(
              Object.entries(real).map(([k, v]) => [
                k,
                typeof v === 'string' && k !== 'dialog' ? ODATA.join(' ') : v,
              ]),
            ),
            Object.fromEntries(Object.entries(real).map(([k]) => [k, k === 'dialog' ? name : 42])),
            { ...real, rows: 100_000, more: 'yes', key: '../../etc', msteams: { type: 'task/submit' } },
            null,
            [real],
          ];
          for (const data of forms)
            for (const phase of ['fetch', 'submit'] as const) {
              const status = await send(
                as(stranger, invoke(`task/${phase}`, { data }, sender(stranger), whereFor(stranger))),
              );
              expect(status, `${name} ${phase} ${JSON.stringify(data).slice(0, 80)}`).toBeLessThan(500);
            }
        }
      });
  });

  it('as an officer, who may use them, hostile forms still get no 5xx', async () => {
    for (const name of names()) {
      const real = { ...(bed.dialogs.get(name) ?? {}), dialog: name };
      const forms = fc.sample(mutated(real, fc.constantFrom(...bed.forgedRefs)), { numRuns: 25, seed: 12 });
      for (const data of forms)
        for (const phase of ['fetch', 'submit'] as const)
          expect(await send(invoke(`task/${phase}`, { data }, PEOPLE.officer, bed.channel()))).toBeLessThan(
            500,
          );
    }
  });

  it('random dialog submissions (property)', async () => {
    const run = fc.record({
      stranger: fc.boolean(),
      phase: fc.constantFrom('fetch', 'submit'),
      data: fc
        .constantFrom(...names())
        .chain((name) =>
          mutated({ ...(bed.dialogs.get(name) ?? {}), dialog: name }, fc.constantFrom(...bed.forgedRefs)),
        ),
    });
    await fc.assert(
      fc.asyncProperty(run, async ({ stranger, phase, data }) => {
        await checkEntitled(stranger, async () => {
          const status = await send(
            as(stranger, invoke(`task/${phase}`, { data }, sender(stranger), whereFor(stranger))),
          );
          expect(status).toBeLessThan(500);
        });
      }),
      { numRuns: 60, seed: 11, endOnFailure: true },
    );
  });
});

describe('"Log as action" (a message action)', () => {
  /** A message payload as Teams sends it, with parts replaced by hostile ones. */
  const payload = fc.record(
    {
      id: fc.oneof(fc.string({ maxLength: 20 }), fc.constantFrom(...ODATA), fc.constant('1700000000001')),
      html: fc.oneof(
        userText(),
        fc.constantFrom(
          `<p>Jake to <b>${CANARY}</b> by 30 June 2031</p><script>alert(1)</script>`,
          `<at>Rachel Duke</at> and <at>${MARKUP[0]}</at> to send it`,
          '<table><tr><td>Send the minutes</td><td>Sonia Khan</td><td>30 June 2031</td></tr></table>',
          `${'<div>'.repeat(2_000)}deep${'</div>'.repeat(2_000)}`,
          '&#0; &#x110000; &#55296; &amp;lt;script&amp;gt;',
        ),
      ),
      linkToMessage: fc.constantFrom(
        'javascript:alert(1)',
        'data:text/html,<script>alert(1)</script>',
        'https://teams.microsoft.com/l/message/19:x/1?context=%7B%7D',
        `https://example.org/${'x'.repeat(3_000)}`,
        "https://example.org/' or 1 eq 1",
        'not a url',
      ),
      author: fc.constantFrom(PEOPLE.officer, PEOPLE.chair, STRANGER),
    },
    { requiredKeys: ['html'] },
  );

  it('fetch with hostile messages, then submit what the dialog offers (property)', async () => {
    const run = fc.record({ stranger: fc.boolean(), message: payload });
    await fc.assert(
      fc.asyncProperty(run, async ({ stranger, message }) => {
        await checkEntitled(stranger, async () => {
          const res = await bed.t.post(
            as(stranger, logAsActionFetch(sender(stranger), whereFor(stranger), message)),
          );
          answered.push(res.body);
          expect(res.status).toBeLessThan(500);
          const card = cardsIn(res.body)[0];
          if (!card) return;
          const values = { ...bed.logAsAction, ...inputsOf(card) };
          expect(
            await send(as(stranger, logAsActionSubmit(sender(stranger), whereFor(stranger), values))),
          ).toBeLessThan(500);
        });
      }),
      { numRuns: 50, seed: 5, endOnFailure: true },
    );
  });

  it('submits with forged and mutated data (property)', async () => {
    const run = fc.record({
      stranger: fc.boolean(),
      data: mutated(
        bed.logAsAction,
        fc.oneof(
          fc.constantFrom(...bed.forgedRefs),
          fc.constantFrom('javascript:alert(1)', 'data:,x', 'ftp://x'),
        ),
      ),
    });
    await fc.assert(
      fc.asyncProperty(run, async ({ stranger, data }) => {
        await checkEntitled(stranger, async () => {
          const status = await send(
            as(
              stranger,
              logAsActionSubmit(sender(stranger), whereFor(stranger), data as Record<string, unknown>),
            ),
          );
          expect(status).toBeLessThan(500);
        });
      }),
      { numRuns: 80, seed: 6, endOnFailure: true },
    );
  });

  it('unknown, forged and malformed command ids and payloads get no 5xx', async () => {
    await checkEntitled(false, async () => {
      for (const commandId of [
        'nope',
        "logAsAction' or 1 eq 1",
        '__proto__',
        42,
        null,
        ['logAsAction'],
        { id: 'logAsAction' },
      ])
        for (const name of ['composeExtension/fetchTask', 'composeExtension/submitAction'])
          for (const value of [
            {
              commandId,
              commandContext: 'message',
              messagePayload: { body: { content: MARKUP.join(' ') } },
              data: {},
            },
            { commandId },
            { commandId: 'logAsAction', messagePayload: anyValueSample(), data: anyValueSample() },
            {
              commandId: 'logAsAction',
              messagePayload: {
                body: { content: 42 },
                mentions: 'x',
                from: { user: 7 },
                createdDateTime: 'yesterday',
              },
            },
          ])
            expect(await send(invoke(name, value, PEOPLE.partner, bed.channel()))).toBeLessThan(500);
    });
  });
});

/** A few hostile values, fixed so the table above is the same every run. */
function anyValueSample(): unknown {
  return fc.sample(anyValue(), { numRuns: 1, seed: 3 })[0];
}

describe('after all of that', () => {
  it('never rendered anyone’s text as markup in a card or dialog', () => {
    const leaks: Leak[] = [];
    let cards = 0;
    for (const body of [...answered, ...bed.t.connector.calls.map((c) => c.body)])
      for (const card of cardsIn(body)) {
        cards++;
        leaks.push(...cardLeaks(card));
      }
    expect(cards).toBeGreaterThan(50);
    expect(unknownLeaks(leaks)).toEqual([]);
  });

  it('keeps serving', async () => {
    const res = await bed.t.post(
      invoke('task/fetch', { data: { dialog: names()[0] } }, PEOPLE.officer, bed.channel()),
    );
    expect(res.status).toBe(200);
  });
  const names = () => [...new Set([...dialogNames(bed.t.bot.router), ...bed.dialogs.keys()])];
});
