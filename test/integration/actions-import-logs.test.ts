import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import ExcelJS from 'exceljs';
import { beforeEach, describe, expect, it } from 'vitest';
import { readDateOnly } from '../../bot/sharepoint/dates.js';
import type { AdaptiveCard } from '../../cards/adaptive.js';
import { PEOPLE, cardAction, type Person } from '../support/activities.js';
import { ACTIONS_ROSTER, cardOf, messageAt, textOf } from '../support/actions-activities.js';
import { cardProblems, cardText, executeActions } from '../support/cards.js';
import { useStarted, useTestBot } from '../support/use-test-bot.js';

/**
 * Action logs brought in over HTTP, as boards keep them: read by their header in any order, with
 * initials, several owners, "All", status words and RAG colours, update notes; as pasted text and as
 * an attached workbook. The SharePoint items are checked, and so is importing the same log again.
 */

const SAM = { id: '29:sam', aadObjectId: 'aad-sam-king', name: 'Sam King' };
const KAREN = { id: '29:karen', aadObjectId: 'aad-karen-dunn', name: 'Karen Dunn' };
const MARK = { id: '29:mark', aadObjectId: 'aad-mark-mills', name: 'Mark Mills' };
const people = (extra: Person[] = []) => [
  ...ACTIONS_ROSTER,
  ...[KAREN, MARK, ...extra].map((p) => ({ id: p.id, name: p.name, aadObjectId: p.aadObjectId })),
];
const AT = new Date('2018-02-26T12:00:00Z');
type InvokeBody = { type: string; value: AdaptiveCard | string };

const NUMBERED = [
  'No.\tDate raised\tAction\tOwner\tBy when\tCompleted',
  '1\t12/01/2018\tCirculate the draft Community Strategy to partners\tKD, MM\t28/02/2018\t√',
  '2\t12/01/2018\tShare the procurement strategy\tSonia Khan & Rachel Duke\tend of June 2018\t',
  '3\t12/01/2018\tSend the top 3 strategic challenges to the policy team\tAll\t9 March 2018\t',
].join('\n');

const TRACKER = [
  '| Ref | Lead | Deadline | RAG | Update | Action |',
  '| --- | --- | --- | --- | --- | --- |',
  '| T-1 | TS | autumn 2018 | Red | Waiting for the employment data | Set up bilateral discussions on employment |',
  "| T-2 | Dara O'Brien | October 2018 (TBC) | Green | | Publish the social value guidance |",
  '| T-3 | LBH Policy Team | 30/04/2018 | Withdrawn | No longer required | Convene the evaluation group |',
].join('\n');

describe('importing action logs', () => {
  const t = useTestBot();
  const served = new Map<string, Uint8Array>();
  // Where the attached files are downloaded from, as Teams' download links point.
  const files = useStarted(
    async () => {
      const server = createServer((req, res) => {
        const body = served.get(req.url ?? '');
        res.statusCode = body ? 200 : 404;
        res.setHeader('content-type', 'application/octet-stream');
        res.end(body ? Buffer.from(body) : undefined);
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
    },
    ({ server }) => new Promise<void>((resolve) => server.close(() => resolve())),
  );
  beforeEach(() => {
    t.connector.reset();
    t.lists.setFaults({ rate: 0 });
    t.connector.setMembers(people());
  });
  const where = () => ({ serviceUrl: t.connector.serviceUrl });
  const items = () => t.bot.lists.repos.Actions.all({});
  const preview = async (text: string, extra: Record<string, unknown> = {}) => {
    t.connector.reset();
    await t.post({ ...messageAt(`actions import\n${text}`, PEOPLE.officer, where(), { at: AT }), ...extra });
    const reply = t.connector.sent()[0];
    return { card: cardOf(reply) as AdaptiveCard | undefined, text: textOf(reply) };
  };
  const button = (card: AdaptiveCard | undefined, verb: string) =>
    executeActions(card).find((a) => a.verb === verb);
  const press = async (
    card: AdaptiveCard | undefined,
    verb: string,
    inputs: Record<string, unknown> = {},
  ) => {
    const data = { ...(button(card, verb)?.data ?? {}), ...inputs };
    const body = (await t.post(cardAction(verb, data, PEOPLE.officer, where()))).body as InvokeBody;
    return body.value;
  };

  it('a numbered log with date raised, initials, several owners, All and a ticked Completed column', async () => {
    const before = (await items()).length;
    const { card } = await preview(NUMBERED);
    expect(cardProblems(card!)).toEqual([]);
    const shown = cardText(card);
    expect(shown).toContain('Import 3 actions?');
    expect(shown).toContain('Columns I recognised');
    expect(shown).toContain(
      'Owner: Karen Dunn; Mark Mills · Due: Wednesday 28 February 2018 (28/02/2018) · Status: Done',
    );
    expect(shown).toContain('Owner: All members · Due: Friday 9 March 2018 (9 March 2018) · Status: Open');
    expect(await items()).toHaveLength(before);

    const done = await press(card, 'actions.import');
    expect(cardText(done)).toContain('Imported 3 actions');
    const created = (await items()).slice(before);
    expect(
      created.map((i) => [
        i.fields.LogRef,
        i.fields.Owners,
        i.fields.OwnerIds,
        readDateOnly(i.fields.DueDate),
        i.fields.Status,
      ]),
    ).toEqual([
      ['1', 'Karen Dunn; Mark Mills', 'aad-karen-dunn; aad-mark-mills', '2018-02-28', 'Done'],
      [
        '2',
        'Sonia Khan; Rachel Duke',
        `${PEOPLE.officer.aadObjectId}; aad-rachel-duke`,
        '2018-06-30',
        'Open',
      ],
      ['3', 'All members', undefined, '2018-03-09', 'Open'],
    ]);
    expect(created[0]?.fields.Details).toContain('Sonia Khan: logged it from the action log (import)');
    expect(created[0]?.fields.Details).toContain('raised 12/01/2018 (as the log says)');
    expect(created[0]?.fields.Details).toContain('status in the log: Done');

    // The same log again, in a new message: the preview says so, and Confirm changes nothing.
    const again = await preview(NUMBERED);
    expect(cardText(again.card)).toContain(`Already in the list as ${created[0]?.fields.ActionRef}`);
    expect(cardText(again.card)).toContain('All 3 actions are already in the list');
    expect(button(again.card, 'actions.import')).toBeUndefined();
    // A second Confirm on the first preview (a double click, or Teams sending it again) changes nothing.
    const second = await press(card, 'actions.import');
    expect(cardText(second)).toContain('Already imported');
    expect(await items()).toHaveLength(before + 3);
  });

  it('a reference already in the list with other wording is pointed out before Confirm', async () => {
    const first = await preview(
      ['Ref | Action | Owner', 'R-9 | Draft the volunteering charter | JF'].join('\n'),
    );
    await press(first.card, 'actions.import');
    const ref = (await items()).find((i) => i.fields.LogRef === 'R-9')?.fields.ActionRef;
    const reworded = await preview(
      ['Ref | Action | Owner', 'R-9 | Draft and consult on the volunteering charter | JF'].join('\n'),
    );
    expect(cardText(reworded.card)).toContain(
      `${ref} also has the log's reference R-9, worded differently: check this is not the same action before you Confirm.`,
    );
  });

  it('a tracker in its own order: reference, lead, deadline, RAG, update, action', async () => {
    const before = (await items()).length;
    const { card } = await preview(TRACKER);
    expect(cardText(card)).toContain('Status: In progress (Red: at risk)');
    await press(card, 'actions.import');
    const created = (await items()).slice(before);
    expect(
      created.map((i) => [
        i.fields.LogRef,
        i.fields.Title,
        i.fields.Owners,
        i.fields.Status,
        i.fields.Tentative,
      ]),
    ).toEqual([
      ['T-1', 'Set up bilateral discussions on employment', 'Tim Shields', 'In progress', true],
      ['T-2', 'Publish the social value guidance', "Dara O'Brien", 'In progress', true],
      ['T-3', 'Convene the evaluation group', 'LBH Policy Team', 'Dropped', false],
    ]);
    expect(created[0]?.fields.Details).toMatch(/RAG status Red in the log: at risk/);
    expect(created[0]?.fields.Details).toMatch(/update in the log: Waiting for the employment data/);
    expect(created[2]?.fields.Details).toMatch(/status in the log: Dropped/);
  });

  it('the officer changes what a column means, reads it again, then confirms that reading', async () => {
    const before = (await items()).length;
    const log = ['Action\tOwner\tDate', 'Refresh the JSNA chapter on poverty\tMM\t30/03/2018'].join('\n');
    const { card } = await preview(log);
    expect(cardText(card)).toContain('Due: no due date');
    const colDate = (card?.body ?? []).find((e) => 'id' in e && e.id === 'col_2');
    expect(colDate).toMatchObject({ type: 'Input.ChoiceSet', value: 'raised' });
    // Confirm with a changed column but without reading again shows the new reading first.
    const unread = await press(card, 'actions.import', { col_2: 'due' });
    expect(cardText(unread)).toContain('Due: Friday 30 March 2018');
    expect(await items()).toHaveLength(before);
    const reread = await press(card, 'actions.import.read', { col_2: 'due' });
    expect(cardProblems(reread as AdaptiveCard)).toEqual([]);
    expect(cardText(reread)).toContain('Due: Friday 30 March 2018');
    await press(reread as AdaptiveCard, 'actions.import');
    const created = (await items()).slice(before);
    expect(created.map((i) => [i.fields.Owners, readDateOnly(i.fields.DueDate)])).toEqual([
      ['Mark Mills', '2018-03-30'],
    ]);
  });

  it('initials that fit two members are shown to choose from; the choice is saved', async () => {
    t.connector.setMembers(people([SAM]));
    const before = (await items()).length;
    const { card } = await preview(
      ['Action — Owner — Due', 'Chase the CCG about the pilot — SK — 16 March 2018'].join('\n'),
    );
    expect(cardText(card)).toContain('Initials that fit more than one member');
    expect(cardText(card)).toContain('Owner: SK ·');
    const reread = await press(card, 'actions.import.read', { who_SK: 'aad-sam-king' });
    expect(cardText(reread)).toContain('Owner: Sam King ·');
    await press(reread as AdaptiveCard, 'actions.import');
    const created = (await items()).slice(before);
    expect(created.map((i) => [i.fields.Owners, i.fields.OwnerIds])).toEqual([['Sam King', 'aad-sam-king']]);
  });

  it('a log attached as an .xlsx workbook reads the same way', async () => {
    const before = (await items()).length;
    const wb = new ExcelJS.Workbook();
    wb.addWorksheet('Cover').addRow(['Community Strategy Partnership Board']);
    const sheet = wb.addWorksheet('Actions');
    sheet.addRow(['Ref', 'Action', 'Assigned to', 'Target date', 'Status', 'Notes']);
    sheet.addRow([
      'X1',
      'Map the VCS premises',
      'JF',
      new Date(Date.UTC(2018, 4, 31)),
      'Ongoing',
      'Survey out',
    ]);
    sheet.addRow(['X2', 'Invite businesses to the next board', 'All partners', '', 'Not started', '']);
    served.set('/log.xlsx', new Uint8Array(await wb.xlsx.writeBuffer()));
    const url = `${files.url}/log.xlsx`;
    const attachment = (name: string, downloadUrl: string) => ({
      attachments: [
        {
          contentType: 'application/vnd.microsoft.teams.file.download.info',
          name,
          content: { downloadUrl, fileType: 'xlsx' },
        },
      ],
    });
    const { card } = await preview('', attachment('log.xlsx', url));
    expect(cardText(card)).toContain('Import 2 actions?');
    await press(card, 'actions.import');
    const created = (await items()).slice(before);
    expect(
      created.map((i) => [i.fields.LogRef, i.fields.Owners, readDateOnly(i.fields.DueDate), i.fields.Status]),
    ).toEqual([
      ['X1', 'Jake Ferguson', '2018-05-31', 'In progress'],
      ['X2', 'All members', undefined, 'Open'],
    ]);

    // A workbook with no table in it says so, and nothing is written.
    const empty = new ExcelJS.Workbook();
    empty.addWorksheet('Sheet1').addRow(['Notes only']);
    served.set('/empty.xlsx', new Uint8Array(await empty.xlsx.writeBuffer()));
    const none = await preview('', attachment('empty.xlsx', url.replace('log.xlsx', 'empty.xlsx')));
    expect(none.text).toContain('"empty.xlsx" has no sheet with a table of actions in it');
    expect(none.text).toContain('Nothing was saved.');
    expect(await items()).toHaveLength(before + 2);
  });

  it('bad input gets a clear message and changes nothing', async () => {
    const before = (await items()).length;
    expect((await preview('')).text).toContain('There is nothing to import.');
    const headerOnly = await preview('No\tAction\tOwner\tDue\tStatus');
    expect(headerOnly.text).toBe(
      'That table has its header row (No, Action, Owner, Due, Status) but no actions under it. Paste the rows as well. Nothing was saved.',
    );
    const huge = await preview(
      ['Action\tOwner', `${'word '.repeat(2100)}\tSonia Khan`, 'Short one\tSK'].join('\n'),
    );
    expect(cardText(huge.card)).toContain('Import 1 action?');
    expect(cardText(huge.card)).toContain('the action is over 10 KB');
    const tooMuch = await preview('x'.repeat(24_001));
    expect(tooMuch.text).toContain('That is too much to import at once');
    expect(await items()).toHaveLength(before);
  });
});
