import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readDateOnly } from '../../bot/sharepoint/dates.js';
import { REPO_ROOT } from '../../scripts/stack.js';
import type { Playground } from '../support/browser.js';
import { useE2eStack } from '../support/stack.js';

/**
 * An officer brings the board's action log into the app, in the Agents Playground: "actions import"
 * with the log pasted under it (a table with its header row, initials, several owners, "All", status
 * words), the preview shows the columns it recognised and what it made of each row, Confirm saves it,
 * and the Actions list (the local lists service, read over HTTP as any Graph client would) says so.
 * Then the choices on the preview, as Microsoft's renderer sends them: a column changed and read
 * again, and an action of the minutes unticked before Confirm.
 */

const VIEWPORT = { width: 1280, height: 1000 };
/** The README's picture is retaken only on request (`UPDATE_SCREENSHOTS=1`), so a run leaves the tree clean. */
const UPDATE_SCREENSHOTS = process.env.UPDATE_SCREENSHOTS === '1';

const LOG = [
  '| Ref | Date raised | Action | Lead | Deadline | Status | Update |',
  '| 1 | 26/02/2018 | Map the VCS premises across the borough | JF | 30/04/2018 | Ongoing | Survey sent to partners |',
  '| 2 | 26/02/2018 | Share the safeguarding dashboard with partners | MG, DM | end of May 2018 | √ | |',
  '| 3 | 26/02/2018 | Send the top 3 strategic challenges to the policy team | All | 9 March 2018 | Red | |',
];

interface ActionItem {
  ActionRef?: string;
  Title?: string;
  Details?: string;
  Owners?: string;
  DueDate?: string;
  Status?: string;
  LogRef?: string;
}

async function readActions(listsUrl: string): Promise<ActionItem[]> {
  const res = await fetch(`${listsUrl}/v1.0/sites/root/lists/Actions/items?$expand=fields`);
  expect(res.status).toBe(200);
  const body = (await res.json()) as { value: { fields: ActionItem }[] };
  return body.value.map((item) => item.fields);
}

/**
 * Posts in the board's channel, @mentioning the bot, with the command and the log pasted under it as
 * an officer pastes a table copied from a document (a paste event carrying the text). In the channel
 * the bot knows the board's members, so initials can be read against them.
 */
async function postPasted(pg: Playground, lines: string[]): Promise<void> {
  await pg.openChannel();
  const box = pg.newPostBox();
  await box.click();
  await pg.page.keyboard.type('@Partne');
  await pg.page.locator('#typeahead-menu').getByRole('menuitem', { name: 'Partnership Board' }).click();
  await pg.page.keyboard.type(' ');
  await box.evaluate((el, text) => {
    const data = new DataTransfer();
    data.setData('text/plain', text);
    el.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
  }, lines.join('\n'));
  await pg.page.getByRole('button', { name: 'Post', exact: true }).click();
}

describe('importing an action log, in the Agents Playground', () => {
  const e2e = useE2eStack();

  it('pastes a log, reads the preview, confirms, and the Actions list holds each row as the log says', async () => {
    const officer = await e2e.openAs('officer', { viewport: VIEWPORT });
    const preview = await officer.expectNewCard({ heading: 'Import 3 actions?' }, () =>
      postPasted(officer, ['actions import', ...LOG]),
    );
    const text = await officer.cardText(preview);
    expect(text).toContain('Columns I recognised');
    expect(text).toContain('Map the VCS premises across the borough');
    expect(text).toMatch(
      /Owner: Jake Ferguson · Due: Monday 30 April 2018 \(30\/04\/2018\) · Status: In progress/,
    );
    expect(text).toMatch(
      /Owner: Melba Gomes; David Maher · Due: Thursday 31 May 2018 \(end of May 2018\) · Status: Done/,
    );
    expect(text).toMatch(
      /Owner: All members · Due: Friday 9 March 2018 \(9 March 2018\) · Status: In progress \(Red: at risk\)/,
    );
    expect(text).toContain('Update: Survey sent to partners');
    // Nothing is saved before Confirm.
    expect(await readActions(e2e.stack.listsUrl!)).toEqual([]);
    await preview.scrollIntoViewIfNeeded();
    if (UPDATE_SCREENSHOTS)
      await officer.screenshot(join(REPO_ROOT, 'docs', 'screenshots', 'actions-import.png'));

    const done = await officer.clickAndWaitForCard(preview, 'Confirm (3)', { heading: 'Imported 3 actions' });
    const doneText = await officer.cardText(done);
    expect(doneText).toMatch(/A-0001 Map the VCS premises across the borough/);

    const items = await readActions(e2e.stack.listsUrl!);
    expect(
      items
        .map((i) => [i.LogRef, i.Title, i.Owners, readDateOnly(i.DueDate), i.Status])
        .sort((a, b) => String(a[0]).localeCompare(String(b[0]))),
    ).toEqual([
      ['1', 'Map the VCS premises across the borough', 'Jake Ferguson', '2018-04-30', 'In progress'],
      [
        '2',
        'Share the safeguarding dashboard with partners',
        'Melba Gomes; David Maher',
        '2018-05-31',
        'Done',
      ],
      [
        '3',
        'Send the top 3 strategic challenges to the policy team',
        'All members',
        '2018-03-09',
        'In progress',
      ],
    ]);
    const first = items.find((i) => i.LogRef === '1');
    expect(first?.Details).toMatch(/Sonia Khan: update in the log: Survey sent to partners/);
    const third = items.find((i) => i.LogRef === '3');
    expect(third?.Details).toMatch(/Sonia Khan: RAG status Red in the log: at risk/);

    // The same log pasted again: the preview says every action is there already, and offers no Confirm.
    const again = await officer.expectNewCard({ heading: 'All 3 actions are already in the list' }, () =>
      postPasted(officer, ['actions import', ...LOG]),
    );
    expect(await officer.cardButtons(again)).not.toContain('Confirm (3)');
    expect(await readActions(e2e.stack.listsUrl!)).toHaveLength(3);
  });

  it('the officer says a column is the due date and reads it again; from minutes, unticks one action', async () => {
    const officer = await e2e.openAs('officer', { viewport: VIEWPORT });
    const before = (await readActions(e2e.stack.listsUrl!)).length;
    const first = await officer.expectNewCard({ heading: 'Import 1 action?' }, () =>
      postPasted(officer, [
        'actions import',
        '| Action | Owner | Date |',
        '| Refresh the JSNA chapter on poverty | DM | 30/03/2018 |',
      ]),
    );
    expect(await officer.cardText(first)).toMatch(/Owner: David Maher · Due: no due date · Status: Open/);
    await officer.selectCardChoice(first, 'Column 3: "Date"', 'Due');
    const reread = await officer.clickAndWaitForCard(first, 'Read again', {
      heading: 'Import 1 action?',
      text: 'Due: Friday 30 March 2018',
    });
    await officer.clickAndWaitForCard(reread, 'Confirm (1)', { heading: 'Imported 1 action' });
    const jsna = (await readActions(e2e.stack.listsUrl!)).find(
      (i) => i.Title === 'Refresh the JSNA chapter on poverty',
    );
    expect(readDateOnly(jsna?.DueDate)).toBe('2018-03-30');
    expect(jsna?.Owners).toBe('David Maher');

    const minutes = await officer.expectNewCard({ heading: '2 actions in the minutes' }, () =>
      postPasted(officer, [
        'actions import Minutes:',
        '4.1 Apologies for absence were received from Rory McCallum.',
        '4.2 The Board discussed the VCS strategy. CC to share the community safety data with partners by 20 April 2018.',
        '4.3 Members asked whether the survey had closed. It was agreed that the survey results be brought back to the next meeting.',
      ]),
    );
    const minutesText = await officer.cardText(minutes);
    expect(minutesText).toContain(
      '4.2. CC to share the community safety data with partners by 20 April 2018',
    );
    expect(minutesText).toMatch(
      /Owner: Claire Crawley · Due: Friday 20 April 2018 \(20 April 2018\) · Status: Open/,
    );
    expect(minutesText).toContain('Apologies in the minutes (1):');
    // Untick 4.3, then confirm the one left.
    await minutes.getByRole('checkbox', { name: 'Keep this action' }).nth(1).uncheck();
    await officer.clickAndWaitForCard(minutes, 'Confirm (2)', { heading: 'Imported 1 action' });
    const after = await readActions(e2e.stack.listsUrl!);
    expect(after).toHaveLength(before + 2);
    const cc = after.find((i) => i.LogRef === '4.2');
    expect(cc?.Owners).toBe('Claire Crawley');
    expect(readDateOnly(cc?.DueDate)).toBe('2018-04-20');
    expect(after.some((i) => i.LogRef === '4.3')).toBe(false);
  });
});
