import { readDateOnly } from '../../bot/sharepoint/dates.js';
import { beforeEach, describe, expect, it } from 'vitest';
import { plainText } from '../../bot/routing/text.js';
import type { AdaptiveCard } from '../../cards/adaptive.js';
import { PEOPLE, cardAction } from '../support/activities.js';
import { ACTIONS_ROSTER, cardOf, messageAt, textOf } from '../support/actions-activities.js';
import { useTestBot } from '../support/use-test-bot.js';
import { cardProblems, cardText, executeActions } from '../support/cards.js';

const AT = new Date('2018-02-26T12:00:00Z');
type InvokeBody = { type: string; value: AdaptiveCard | string };

const MINUTES = [
  'Action — Owner — By when',
  'LBH Policy Team to use all feedback on the strategy in the development of final version — Sonia Khan & Rachel Duke — end of June 2018',
  "LBH to share its new Procurement Strategy with Partners — Dara O'Brien — October 2018 (TBC)",
  'LBH to set up bilateral discussions about Employment and Opportunities work — Tim Shields & Stephen Haynes — autumn 2018',
  'Report back on the pilot — Jake Ferguson — 31/02/2019',
].join('\n');

describe('importing actions from minutes', () => {
  const t = useTestBot();
  beforeEach(() => {
    t.connector.reset();
    t.lists.setFaults({ rate: 0 });
    t.connector.setMembers(ACTIONS_ROSTER);
  });
  const where = () => ({ serviceUrl: t.connector.serviceUrl });
  const items = () => t.bot.lists.repos.Actions.all({});
  const preview = async (text: string, who = PEOPLE.officer) => {
    t.connector.reset();
    await t.post(messageAt(`actions import\n${text}`, who, where(), { at: AT }));
    const reply = t.connector.sent()[0];
    return { card: cardOf(reply) as AdaptiveCard | undefined, text: textOf(reply) };
  };
  const button = (card: AdaptiveCard | undefined, verb: string) =>
    executeActions(card).find((a) => a.verb === verb);

  it('previews what it understood, writes nothing, then Confirm creates them all; a second Confirm creates none', async () => {
    const before = (await items()).length;
    const { card } = await preview(MINUTES);
    expect(cardProblems(card!)).toEqual([]);
    const text = cardText(card);
    expect(text).toContain('Import 3 actions?');
    expect(text).toContain('Owner: Sonia Khan; Rachel Duke');
    expect(text).toContain('Saturday 30 June 2018');
    expect(text).toContain('1 line will not be imported');
    expect(text).toContain('Line 5');
    expect(await items()).toHaveLength(before);

    const confirm = button(card, 'actions.import');
    t.lists.resetStats();
    const done = (await t.post(cardAction('actions.import', confirm?.data ?? {}, PEOPLE.officer, where())))
      .body as InvokeBody;
    expect(cardProblems(done.value as AdaptiveCard)).toEqual([]);
    expect(cardText(done.value)).toContain('Imported 3 actions');
    expect(t.lists.stats().byRoute['POST /$batch']).toBe(1);

    const created = (await items()).slice(before);
    expect(created.map((i) => i.fields.Owners)).toEqual([
      'Sonia Khan; Rachel Duke',
      "Dara O'Brien",
      'Tim Shields; Stephen Haynes',
    ]);
    expect(created[0]?.fields).toMatchObject({
      DueText: 'end of June 2018',
      Tentative: false,
      LoggedBy: 'Sonia Khan',
      Status: 'Open',
    });
    expect(created[1]?.fields).toMatchObject({ OwnerIds: 'aad-dara-obrien', Tentative: true });
    expect(readDateOnly(created[2]?.fields.DueDate)).toBe('2018-11-30');
    expect(created[0]?.fields.Details).toContain('Sonia Khan: logged it from minutes (import)');
    expect(new Set(created.map((i) => i.fields.ActionRef)).size).toBe(3);

    const again = (await t.post(cardAction('actions.import', confirm?.data ?? {}, PEOPLE.officer, where())))
      .body as InvokeBody;
    expect(cardText(again.value)).toContain('Already imported');
    expect(await items()).toHaveLength(before + 3);
  });

  it('reads a table with an item-number column and a header row', async () => {
    const before = (await items()).length;
    const table = [
      'Item | Actions | Assigned | By when',
      '4 | Convene a meeting on evaluation approaches | Sonia Khan | 30/06/2018',
      '5 | Explore options with businesses | Tim Shields | September 2018',
    ].join('\n');
    const { card } = await preview(table);
    expect(cardText(card)).toContain('Import 2 actions?');
    await t.post(
      cardAction('actions.import', button(card, 'actions.import')?.data ?? {}, PEOPLE.officer, where()),
    );
    const created = (await items()).slice(before);
    expect(created.map((i) => [i.fields.Title, i.fields.Owners, readDateOnly(i.fields.DueDate)])).toEqual([
      ['Convene a meeting on evaluation approaches', 'Sonia Khan', '2018-06-30'],
      ['Explore options with businesses', 'Tim Shields', '2018-09-30'],
    ]);
  });

  // Teams sends a table pasted from Word as HTML; the edge's plainText() turns cells into tabs and
  // rows into lines, which the import reads.
  it('reads a table pasted from Word into Teams (an HTML table)', async () => {
    expect(plainText('<table><tr><td>a</td><td>b</td></tr></table>')).toContain('\t');
    const before = (await items()).length;
    const html =
      '<table><tr><th>Item</th><th>Actions</th><th>Assigned</th><th>By when</th></tr>' +
      '<tr><td>4</td><td>Convene a meeting on evaluation</td><td>Sonia Khan</td><td>30/06/2018</td></tr>' +
      '<tr><td>5</td><td>Explore options with businesses</td><td>Tim Shields</td><td>September 2018</td></tr></table>';
    const { card } = await preview(html);
    expect(cardText(card)).toContain('Import 2 actions?');
    await t.post(
      cardAction('actions.import', button(card, 'actions.import')?.data ?? {}, PEOPLE.officer, where()),
    );
    expect((await items()).slice(before).map((i) => i.fields.Owners)).toEqual(['Sonia Khan', 'Tim Shields']);
  });

  const hundred = (tag: string) =>
    Array.from(
      { length: 100 },
      (_, i) => `Follow up ${tag} ${i + 1} — Rachel Duke — ${(i % 28) + 1}/07/2018`,
    ).join('\n');

  it('imports a hundred in five $batch calls plus two reads', async () => {
    const before = (await items()).length;
    const { card } = await preview(hundred('calm'));
    expect(cardText(card)).toContain('Import 100 actions?');
    t.lists.resetStats();
    const result = (
      await t.post(
        cardAction('actions.import', button(card, 'actions.import')?.data ?? {}, PEOPLE.officer, where()),
      )
    ).body as InvokeBody;
    expect(cardText(result.value)).toContain('Imported 100 actions');
    const stats = t.lists.stats();
    expect(stats.byRoute['POST /$batch']).toBe(5);
    // The rows of this import already there, and the highest reference unless this process has read
    // it before (it then knows the next number).
    expect(stats.byRoute['GET /sites/{site}/lists/{list}/items']).toBeGreaterThanOrEqual(1);
    expect(stats.byRoute['GET /sites/{site}/lists/{list}/items']).toBeLessThanOrEqual(2);
    expect((await items()).slice(before)).toHaveLength(100);
  });

  it('with throttling on, a hundred still land once each', async () => {
    const before = (await items()).length;
    const { card } = await preview(hundred('throttled'));
    t.lists.setFaults({ rate: 0.3, status: 429, retryAfterSeconds: 0, seed: 11 });
    const result = (
      await t.post(
        cardAction('actions.import', button(card, 'actions.import')?.data ?? {}, PEOPLE.officer, where()),
      )
    ).body as InvokeBody;
    t.lists.setFaults({ rate: 0 });
    expect(cardText(result.value)).toContain('Imported 100 actions');
    const created = (await items()).slice(before);
    expect(created).toHaveLength(100);
    expect(new Set(created.map((i) => i.fields.SourceKey)).size).toBe(100);
    const refs = (await items()).map((i) => i.fields.ActionRef);
    expect(new Set(refs).size).toBe(refs.length);
  });

  it('Cancel saves nothing', async () => {
    const before = (await items()).length;
    const { card } = await preview('Book the room — Jake Ferguson — 1 March 2018');
    const cancel = button(card, 'actions.import.cancel');
    const body = (
      await t.post(cardAction('actions.import.cancel', cancel?.data ?? {}, PEOPLE.officer, where()))
    ).body as InvokeBody;
    expect(cardText(body.value)).toContain('Import cancelled');
    expect(await items()).toHaveLength(before);
  });

  it('only officers and chairs import; an empty paste gets instructions', async () => {
    expect((await preview(MINUTES, PEOPLE.partner)).text).toContain(
      'Only board officers and chairs can import actions from minutes',
    );
    const forged = (
      await t.post(
        cardAction(
          'actions.import',
          { key: 'a'.repeat(24), at: AT.toISOString(), text: 'x — y — June' },
          PEOPLE.partner,
          where(),
        ),
      )
    ).body as InvokeBody;
    expect(forged.value).toContain('Only board officers and chairs');
    t.connector.reset();
    await t.post(messageAt('actions import', PEOPLE.officer, where(), { at: AT }));
    expect(textOf(t.connector.sent()[0])).toContain('Paste the actions after "actions import"');
  });

  it('when the lists are down, Confirm says nothing was imported', async () => {
    const before = (await items()).length;
    const { card } = await preview('Send the pack — Sonia Khan — 2 March 2018');
    t.lists.setFaults({ rate: 1, status: 503, retryAfterSeconds: 0, seed: 1 });
    const body = (
      await t.post(
        cardAction('actions.import', button(card, 'actions.import')?.data ?? {}, PEOPLE.officer, where()),
      )
    ).body as InvokeBody;
    t.lists.setFaults({ rate: 0 });
    expect(body.value).toContain('NOT imported');
    expect(await items()).toHaveLength(before);
  });
});
