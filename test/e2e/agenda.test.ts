import { join } from 'node:path';
import type { Locator } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../scripts/stack.js';
import { BOARD, CHAIR, ITEMS, SUPPLEMENT, TIMES, VENUE } from '../fixtures/agenda-seed.js';
import { invokeVerb, type Playground, type PlaygroundActivity } from '../support/browser.js';
import { useE2eStack } from '../support/stack.js';

/**
 * The agenda pack journey in the Agents Playground. The officer, Sonia Khan, fills in the form for
 * the seed's meeting (the Community Strategy Partnership Board, Committee Room 102, Hackney Town
 * Hall, 10am to 12 noon, on the next Monday 26 February) in the General channel and publishes it;
 * she adds a supplementary paper and the posted card changes in place. Jake Ferguson sends
 * apologies; David Maher sends a substitute. The officer's attendance sheet says so, including
 * those who have not answered, and she records a decision. The lists are the record.
 *
 * The Playground starts afresh for each person signed in (its channel history goes with it), so
 * the supplement is checked against the posted card in the officer's first session, and the
 * partners open the pack by asking for it ("agenda").
 */

const SCREENSHOTS = join(REPO_ROOT, 'docs', 'screenshots');
const UPDATE_SCREENSHOTS = process.env.UPDATE_SCREENSHOTS === '1';
const VIEWPORT = { width: 1280, height: 1000 };
const REF = 'M-0001';

/** The seed's meeting fell on Monday 26 February; the next year it does again. */
function nextMonday26February(now = new Date()): string {
  for (let year = now.getUTCFullYear(); ; year++) {
    const day = new Date(Date.UTC(year, 1, 26, 12));
    if (day.getUTCDay() === 1 && day.getTime() > now.getTime()) return `${year}-02-26`;
  }
}

/** "22 November": how a supplement is dated on the card (London). */
function dayAndMonth(at: Date): string {
  return new Intl.DateTimeFormat('en-GB', {
    timeZone: 'Europe/London',
    day: 'numeric',
    month: 'long',
  }).format(at);
}

interface ListFields {
  [key: string]: unknown;
}

async function listItems(listsUrl: string, list: string): Promise<ListFields[]> {
  const res = await fetch(`${listsUrl}/v1.0/sites/root/lists/${list}/items?$expand=fields`);
  expect(res.status).toBe(200);
  return ((await res.json()) as { value: { fields: ListFields }[] }).value.map((i) => i.fields);
}

/** The names of a card's links (Action.OpenUrl: the papers), in order. */
async function linksOf(card: Locator): Promise<string[]> {
  return card.getByRole('link').evaluateAll((els) => els.map((e) => (e.textContent ?? '').trim()));
}

const answered = (verb: string) => (a: PlaygroundActivity) =>
  a.direction === 'toBot' && invokeVerb(a) === verb && a.status !== undefined;

/** The officer's form: the meeting, then one row per item of the seed. */
async function fillPackForm(pg: Playground, form: Locator, date: string): Promise<void> {
  await pg.fillCardDate(form, 'Date', date);
  await pg.fillCardField(form, 'Start time', '10am');
  await pg.fillCardField(form, 'Venue', VENUE);
  await pg.fillCardField(form, 'Chair', CHAIR);
  for (const [i, item] of ITEMS.entries()) {
    const k = i + 1;
    await pg.fillCardField(form, `Item ${k}: title`, item.title);
    await pg.fillCardField(form, `Item ${k}: presenter`, item.presenter);
    await pg.fillCardField(form, `Item ${k}: minutes`, String(item.minutes));
    if (item.purpose) await pg.chooseCardOption(form, `Item ${k}: purpose`, item.purpose);
    if (item.papers.length)
      await pg.fillCardField(
        form,
        `Item ${k}: papers (title and link, one a line)`,
        item.papers.map((p) => `${p.title} ${p.url}`).join('\n'),
      );
  }
}

describe('agenda packs, in the Agents Playground', () => {
  const e2e = useE2eStack();

  it('an officer publishes the seed meeting, adds a supplement in place; partners answer; the sheet and decisions are right', async () => {
    const date = nextMonday26February();
    const listsUrl = e2e.stack.listsUrl!;

    // ── the officer creates the pack in the General channel ──
    const officer = await e2e.openAs('officer', { viewport: VIEWPORT });
    const thread = await officer.postInChannel('agenda new');
    const form = await officer.waitForCard({ heading: 'New agenda pack', within: thread });
    await fillPackForm(officer, form, date);
    const draft = await officer.clickAndWaitForCard(form, 'Save draft', {
      heading: `Draft agenda pack ${REF}`,
    });
    const draftText = await officer.cardText(draft);
    expect(draftText).toContain(`Saved as draft ${REF}`);
    expect(draftText).toMatch(/^When\nMonday 26 February \d{4}, 10:00 to 12:00$/m);
    for (const [i, item] of ITEMS.entries()) {
      expect(draftText).toContain(`${item.number}. ${item.title}`);
      expect(draftText).toContain(`${TIMES[i]} · ${item.minutes} minutes · ${item.presenter}`);
    }
    expect(await officer.cardButtons(draft)).toEqual(
      expect.arrayContaining([
        'Publish to this channel',
        'Publish and send to each member',
        'Edit',
        'Discard',
      ]),
    );

    const mine = await officer.clickAndWaitForCard(draft, 'Publish to this channel', {
      heading: `Agenda pack ${REF}`,
      text: 'Published: version 1',
    });
    expect(await officer.cardText(mine)).toContain(
      `Published: version 1 of ${REF} is posted in this channel.`,
    );
    // The pack the members see: posted in the channel, with their buttons.
    const posted = await officer.waitForCard({ heading: `Agenda pack ${REF}`, text: 'Will you attend?' });
    const postedText = await officer.cardText(posted);
    expect(postedText).toContain(BOARD);
    expect(postedText).toContain(VENUE);
    expect(postedText).toMatch(/^Attending 0 · Apologies 0 · Not answered 5$/m);
    expect(postedText).toContain('3. Introduction to the new draft Community Strategy and its key themes');
    expect(await officer.cardButtons(posted)).toEqual(['Attending', 'Apologies', 'Sending a substitute']);
    // The papers open as links.
    expect(await linksOf(posted)).toEqual([
      'Draft Community Strategy',
      'Draft Community Strategy',
      'Table of draft policy commitments',
    ]);
    await posted.scrollIntoViewIfNeeded();
    if (UPDATE_SCREENSHOTS) await officer.screenshot(join(SCREENSHOTS, 'agenda-pack.png'));

    // ── a supplementary paper: the posted card changes in place ──
    const packs = await officer.cards({ heading: `Agenda pack ${REF}` }).count();
    await officer.clickCardButton(mine, 'Add a supplementary paper');
    await officer.fillCardField(mine, 'Item number', SUPPLEMENT.item);
    await officer.fillCardField(mine, 'Paper title', SUPPLEMENT.title);
    await officer.fillCardField(mine, 'Link to the paper', SUPPLEMENT.url);
    await officer.fillCardField(mine, 'What it adds (optional)', SUPPLEMENT.note);
    const before = officer.activities.filter(answered('agenda.supplement')).length;
    await officer.clickCardButton(mine, 'Publish supplement');
    await officer.waitForActivities(answered('agenda.supplement'), before + 1);
    const line = `Supplement 1, published ${dayAndMonth(new Date())}: ${SUPPLEMENT.note}`;
    const updated = await officer.waitForCard({ heading: `Agenda pack ${REF}`, text: 'Will you attend?' });
    await expect.poll(() => officer.cardText(updated)).toContain(line);
    expect(await officer.cardText(updated)).toContain('Version 2: the pack with 1 supplement.');
    expect(await linksOf(updated)).toContain(`${SUPPLEMENT.title} (supplement 1)`);
    // Changed in place: no new pack card, and a short notice below it in the thread.
    expect(await officer.cards({ heading: `Agenda pack ${REF}` }).count()).toBe(packs);
    const notice = await officer.waitForCard({ heading: `Supplement 1 to agenda pack ${REF}` });
    expect(await officer.cardText(notice)).toContain(line);
    await updated.scrollIntoViewIfNeeded();
    if (UPDATE_SCREENSHOTS) await officer.screenshot(join(SCREENSHOTS, 'agenda-supplement.png'));

    const meetings = await listItems(listsUrl, 'Meetings');
    expect(meetings).toHaveLength(1);
    expect(meetings[0]).toMatchObject({
      MeetingRef: REF,
      Status: 'Published',
      Version: 2,
      Board: BOARD,
      Venue: VENUE,
      Chair: CHAIR,
    });
    expect(new Date(String(meetings[0]!.StartsAt)).toISOString()).toBe(`${date}T10:00:00.000Z`);
    const versions = JSON.parse(String(meetings[0]!.Versions)) as { v: number; note?: string }[];
    expect(versions.map((v) => [v.v, v.note ?? ''])).toEqual([
      [1, ''],
      [2, SUPPLEMENT.note],
    ]);
    const item3 = (await listItems(listsUrl, 'AgendaItems')).find((i) => i.ItemNumber === '3');
    expect((JSON.parse(String(item3?.Papers)) as { title: string }[]).map((p) => p.title)).toEqual([
      'Draft Community Strategy',
      SUPPLEMENT.title,
    ]);

    // ── Jake Ferguson sends apologies, from his personal chat ──
    const jake = await e2e.openAs('jake', { viewport: VIEWPORT });
    // Jake sits on both of the fixture's boards, so his personal chat names the one he means.
    const jakesPack = await jake.expectNewCard({ heading: `Agenda pack ${REF}` }, () =>
      jake.sendPersonal(`agenda for ${BOARD}`),
    );
    expect(await jake.cardText(jakesPack)).toContain(line);
    const sorry = await jake.clickAndWaitForCard(jakesPack, 'Apologies', {
      heading: `Agenda pack ${REF}`,
      text: 'Your answer',
    });
    expect(await jake.cardText(sorry)).toMatch(/^Your answer: apologies$/m);
    expect(await jake.cardText(sorry)).toMatch(/^Attending 0 · Apologies 1 · Not answered 4$/m);

    // ── David Maher sends a substitute, from the channel ──
    const david = await e2e.openAs('david', { viewport: VIEWPORT });
    const davidsThread = await david.postInChannel('agenda');
    const davidsPack = await david.waitForCard({ heading: `Agenda pack ${REF}`, within: davidsThread });
    await david.clickCardButton(davidsPack, 'Sending a substitute');
    await david.fillCardField(davidsPack, 'Who will attend on your behalf?', 'Rory McCallum');
    await david.fillCardField(
      davidsPack,
      'Their organisation and role',
      'Senior Professional Advisor, City & Hackney CCG',
    );
    const sub = await david.clickAndWaitForCard(davidsPack, 'Send substitute', {
      heading: `Agenda pack ${REF}`,
      text: 'Your answer',
    });
    expect(await david.cardText(sub)).toContain(
      'Your answer: apologies, with Rory McCallum, Senior Professional Advisor, City & Hackney CCG attending on your behalf',
    );
    expect(await david.cardText(sub)).toMatch(
      /^Attending 0 · Apologies 2 \(1 sending a substitute\) · Not answered 3$/m,
    );

    // ── the officer's attendance sheet, and a decision ──
    const back = await e2e.openAs('officer', { viewport: VIEWPORT });
    const sheetThread = await back.postInChannel('agenda attendance');
    const sheet = await back.waitForCard({ heading: `Attendance sheet ${REF}`, within: sheetThread });
    const sheetText = await back.cardText(sheet);
    expect(sheetText).toMatch(/^Attending 0 · Apologies 2 \(1 sending a substitute\) · Not answered 3$/m);
    const rows = sheetText.split('\n');
    const after = (name: string) => rows.slice(rows.indexOf(name) + 1, rows.indexOf(name) + 3);
    expect(after('Jake Ferguson')[0]).toBe('Apologies');
    expect(after('David Maher')).toEqual([
      'Apologies',
      'Rory McCallum, Senior Professional Advisor, City & Hackney CCG',
    ]);
    for (const name of ['Claire Crawley', 'Melba Gomes']) expect(after(name)[0]).toBe('No answer yet');
    expect(after('Chair Philip Glanville')[0]).toBe('No answer yet');
    expect(sheetText).toContain('In attendance as advisers to the Board');
    expect(after('Sonia Khan')[0]).toBe('Expected');
    await sheet.scrollIntoViewIfNeeded();
    if (UPDATE_SCREENSHOTS) await back.screenshot(join(SCREENSHOTS, 'agenda-attendance.png'));

    const decisionsThread = await back.postInChannel('agenda decisions');
    const decisions = await back.waitForCard({ heading: `Decisions ${REF}`, within: decisionsThread });
    const form2 = await back.clickAndWaitForCard(decisions, 'Record decisions', {
      heading: `Record decisions ${REF}`,
    });
    const resolved =
      'RESOLVED: To note the feedback on the draft Community Strategy, to be used in the final version.';
    await back.fillCardField(form2, 'Item 6: Taking all this forward', resolved);
    const saved = await back.clickAndWaitForCard(form2, 'Save decisions', {
      heading: `Decisions ${REF}`,
      text: 'Saved',
    });
    expect(await back.cardText(saved)).toContain(resolved);
    expect(await back.cardText(saved)).toContain('1 of 7 items have a decision recorded.');

    // ── the record ──
    const answers = await listItems(listsUrl, 'Attendance');
    expect(
      answers
        .map((a) => [a.Title, a.Response, a.SubstituteName ?? '', a.SubstituteOrganisation ?? ''])
        .sort(),
    ).toEqual([
      ['David Maher', 'Substitute', 'Rory McCallum', 'Senior Professional Advisor, City & Hackney CCG'],
      ['Jake Ferguson', 'Apologies', '', ''],
    ]);
    const six = (await listItems(listsUrl, 'AgendaItems')).find((i) => i.ItemNumber === '6');
    expect(six?.Decision).toBe(resolved);
  });
});
