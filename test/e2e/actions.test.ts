import { join } from 'node:path';
import type { Locator } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../scripts/stack.js';
import { invokeVerb, type Playground, type PlaygroundActivity } from '../support/browser.js';
import { useE2eStack } from '../support/stack.js';

/**
 * The actions journey as people live it, in the Agents Playground: the officer logs an action in
 * the personal chat and corrects its due date from the card; the chair asks what is overdue and
 * marks it done from the list; the Actions list in SharePoint (the local lists service) is the
 * record that has to say so. In the channel, an action for two partners, and a double click that
 * must change the record once.
 */

const SCREENSHOTS = join(REPO_ROOT, 'docs', 'screenshots');
/** README pictures are retaken only on request (`UPDATE_SCREENSHOTS=1 npm run test:e2e`), so a test run leaves the tree clean. */
const UPDATE_SCREENSHOTS = process.env.UPDATE_SCREENSHOTS === '1';
const VIEWPORT = { width: 1280, height: 900 };

/** The fields of one item of the Actions list, as Graph returns them. */
interface ActionItem {
  ActionRef?: string;
  Title?: string;
  Details?: string;
  Owners?: string;
  DueDate?: string;
  DueText?: string;
  Tentative?: boolean;
  Status?: string;
  LoggedBy?: string;
  _UIVersionString?: string;
}

/** The Actions list item with `ref`, read over HTTP as any Graph client would. */
async function readAction(listsUrl: string, ref: string): Promise<ActionItem> {
  const res = await fetch(`${listsUrl}/v1.0/sites/root/lists/Actions/items?$expand=fields`);
  expect(res.status).toBe(200);
  const body = (await res.json()) as { value: { fields: ActionItem }[] };
  const found = body.value.map((item) => item.fields).filter((fields) => fields.ActionRef === ref);
  expect(found, `items with ActionRef ${ref}`).toHaveLength(1);
  return found[0]!;
}

/** The dated lines Details keeps below the action's text ("22 Nov 2026 09:02, Sonia Khan: …"). */
function historyOf(item: ActionItem): string[] {
  return (item.Details ?? '')
    .split('\n')
    .filter((line) => /^\d{1,2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}, /.test(line));
}

/** "22 Nov 2026": the day as Details writes it, in London. */
function londonDay(at: Date): string {
  const parts = new Intl.DateTimeFormat('en-GB', {
    timeZone: 'Europe/London',
    day: 'numeric',
    month: 'long',
    year: 'numeric',
  }).formatToParts(at);
  const part = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)?.value ?? '';
  return `${part('day')} ${part('month').slice(0, 3)} ${part('year')}`;
}

/** The four counts at the top of the chair's list card. */
function countsOf(cardText: string) {
  const m = /^(\d+)\nOpen\n(\d+)\nOverdue\n(\d+)\nDue this week\n(\d+)\nDone in the last 30 days$/m.exec(
    cardText,
  );
  expect(m, cardText).not.toBeNull();
  const [open, overdue, dueThisWeek, doneLast30Days] = m!.slice(1).map(Number);
  return { open, overdue, dueThisWeek, doneLast30Days };
}

const answeredInvoke = (verb: string) => (a: PlaygroundActivity) =>
  a.direction === 'toBot' && invokeVerb(a) === verb && a.status !== undefined;

/** The reference in a logged card's heading ("Action logged: A-0001"). */
async function refOf(pg: Playground, card: Locator): Promise<string> {
  const heading = /^Action logged: (A-\d{4,7})$/m.exec(await pg.cardText(card));
  expect(heading, 'the logged card names its reference').not.toBeNull();
  return heading![1]!;
}

describe('actions, in the Agents Playground', () => {
  const e2e = useE2eStack();

  it('logs an action, moves its due date from the card, and the chair marks it done from the overdue list', async () => {
    const days = new Set([londonDay(new Date())]);

    // ── the officer, Sonia Khan, in the personal chat ──
    const officer = await e2e.openAs('officer', { viewport: VIEWPORT });
    const typed = 'action Sonia Khan to circulate the draft strategy by end of June';
    const logged = await officer.expectNewCard({ heading: 'Action logged' }, () =>
      officer.sendPersonal(typed),
    );
    const ref = await refOf(officer, logged);
    // The first action in this file's fresh Actions list.
    expect(ref).toBe('A-0001');
    const loggedText = await officer.cardText(logged);
    expect(loggedText).toContain('Sonia Khan to circulate the draft strategy by end of June');
    expect(loggedText).toMatch(/^Owner\nSonia Khan$/m);
    expect(loggedText).toMatch(/^Due\n\w+day 30 June \d{4} \(as written: end of June\)$/m);
    expect(loggedText).toMatch(/^Status\nOpen$/m);
    expect(loggedText).not.toMatch(/overdue/i);
    expect(await officer.cardButtons(logged)).toEqual(['Edit', 'Undo']);
    await logged.scrollIntoViewIfNeeded();
    if (UPDATE_SCREENSHOTS) await officer.screenshot(join(SCREENSHOTS, 'actions-logged.png'));

    // Edit opens the form under the card; a date in the past makes the action overdue.
    await officer.clickCardButton(logged, 'Edit');
    await officer.fillCardDate(logged, 'Due date', '2018-03-01');
    const edited = await officer.clickAndWaitForCard(logged, 'Save', {
      heading: `Action logged: ${ref}`,
      text: `${ref} updated: due date from`,
    });
    const editedText = await officer.cardText(edited);
    expect(editedText).toMatch(
      new RegExp(`${ref} updated: due date from \\w+day 30 June \\d{4} to Thursday 1 March 2018\\.`),
    );
    expect(editedText).toMatch(/^Due\nThursday 1 March 2018 · Overdue$/m);
    expect(editedText).toMatch(/^Status\nOpen$/m);
    // Replaced in place: still one card for this action in the chat.
    expect(await officer.cards({ heading: `Action logged: ${ref}` }).count()).toBe(1);

    // ── the chair, Philip Glanville, asks what is overdue ──
    const chair = await e2e.openAs('chair', { viewport: VIEWPORT });
    const list = await chair.expectNewCard({ heading: 'Overdue actions' }, () =>
      chair.sendPersonal("what's overdue?"),
    );
    const listText = await chair.cardText(list);
    expect(listText).toMatch(/^Overdue actions\n/);
    expect(countsOf(listText)).toEqual({ open: 1, overdue: 1, dueThisWeek: 0, doneLast30Days: 0 });
    // The list shows the title (the full text, in Details, stays on the server for lists).
    expect(listText).toMatch(new RegExp(`^${ref} · Sonia Khan to circulate the draft strategy$`, 'm'));
    expect(listText).toMatch(/^Owner: Sonia Khan$/m);
    expect(listText).toMatch(/^Due: Thursday 1 March 2018 · Overdue · Open$/m);
    const row = chair.cardSection(list, `${ref} ·`);
    expect(await chair.cardButtons(row)).toEqual(['Done', 'Start', 'Open']);
    await list.scrollIntoViewIfNeeded();
    if (UPDATE_SCREENSHOTS) await chair.screenshot(join(SCREENSHOTS, 'actions-overdue.png'));

    const after = await chair.clickAndWaitForCard(row, 'Done', {
      heading: 'Overdue actions',
      text: `${ref} is done.`,
    });
    const afterText = await chair.cardText(after);
    expect(afterText).toContain(`${ref} is done. Thank you.`);
    expect(countsOf(afterText)).toEqual({ open: 0, overdue: 0, dueThisWeek: 0, doneLast30Days: 1 });
    expect(afterText).toMatch(/^Nothing is overdue\.$/m);
    // Done is no longer overdue: the row has gone from the list.
    expect(afterText).not.toContain(`${ref} ·`);
    expect(await chair.cardSection(after, `${ref} ·`).count()).toBe(0);

    // ── the record ──
    days.add(londonDay(new Date()));
    const item = await readAction(e2e.stack.listsUrl!, ref);
    expect(item.Status).toBe('Done');
    expect(item.DueDate).toMatch(/^2018-03-01(T|$)/);
    expect(item.Owners).toBe('Sonia Khan');
    expect(item.LoggedBy).toBe('Sonia Khan');
    const history = historyOf(item);
    expect(history, item.Details).toHaveLength(3);
    const [loggedLine, dueLine, doneLine] = history.map((line) => {
      const m = /^(\d{1,2} [A-Z][a-z]{2} \d{4}) \d{2}:\d{2}, ([^:]+): (.+)$/.exec(line);
      expect(m, line).not.toBeNull();
      expect([...days], `${line} is dated today`).toContain(m![1]);
      return { who: m![2], what: m![3] };
    });
    expect(loggedLine).toEqual({ who: 'Sonia Khan', what: 'logged it from chat' });
    expect(dueLine?.who).toBe('Sonia Khan');
    expect(dueLine?.what).toMatch(/^edited due date from \w+day 30 June \d{4} to Thursday 1 March 2018$/);
    expect(doneLine).toEqual({ who: 'Philip Glanville', what: 'marked it done' });
  });

  it('logs an action for two partners from the channel, and a double click on Undo changes the record once', async () => {
    const pg = await e2e.openAs('officer', { viewport: VIEWPORT });
    const thread = await pg.postInChannel(
      'action: Jake Ferguson and Claire Crawley to review the safe haven scheme by mid-November (TBC)',
    );
    const logged = await pg.waitForCard({ heading: 'Action logged', within: thread });
    const ref = await refOf(pg, logged);
    const text = await pg.cardText(logged);
    expect(text).toContain('Jake Ferguson and Claire Crawley to review the safe haven scheme');
    expect(text).toMatch(/^Owners\nJake Ferguson; Claire Crawley$/m);
    expect(text).toMatch(/^Due\n\w+day 15 November \d{4} \(as written: mid-November \(TBC\)\) · tentative$/m);

    const created = await readAction(e2e.stack.listsUrl!, ref);
    expect(created.Owners).toBe('Jake Ferguson; Claire Crawley');
    expect(created.Tentative).toBe(true);
    expect(created.DueText).toBe('mid-November (TBC)');
    expect(created.Status).toBe('Open');

    // Two clicks before the first answer replaces the card: two invokes reach the bot.
    const undos = pg.activities.filter(answeredInvoke('actions.undo')).length;
    await logged.getByRole('button', { name: 'Undo', exact: true }).dblclick();
    const answered = await pg.waitForActivities(answeredInvoke('actions.undo'), undos + 2);
    expect(answered.slice(undos).map((a) => a.status)).toEqual([200, 200]);
    const dropped = await pg.waitForCard({ heading: `${ref} · Dropped`, within: thread });
    expect(await pg.cardText(dropped)).toMatch(/^Status\nDropped$/m);
    // Dropped: nothing left to click on the card.
    expect(await pg.cardButtons(dropped)).toEqual([]);

    const item = await readAction(e2e.stack.listsUrl!, ref);
    expect(item.Status).toBe('Dropped');
    const undone = historyOf(item).filter((line) =>
      line.endsWith(', Sonia Khan: undid it (logged by mistake)'),
    );
    expect(undone, item.Details).toHaveLength(1);
    // One write after the one that created it.
    expect(item._UIVersionString).toBe(`${Number.parseInt(created._UIVersionString ?? '', 10) + 1}.0`);
  });
});
