import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import ExcelJS from 'exceljs';
import type { Locator } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { PEOPLE, renderPlaygroundConfig, type PersonKey } from '../../scripts/board-fixture.js';
import { REPO_ROOT } from '../../scripts/stack.js';
import { openPlayground, type Playground } from '../support/browser.js';
import { useE2eStack } from '../support/stack.js';
import { INITIAL_RESPONSE, JAKE, THEMES, TITLE } from '../fixtures/consult-seed.js';

/**
 * A consultation round in the Agents Playground. Each person has their own Teams client, so Jake
 * Ferguson gets a Playground of his own beside the officer's (one Playground signs in one person
 * and keeps its chats in memory): the bot sends his invitation to his personal chat there, as
 * Teams would. The officer opens the consultation in the General channel; Jake answers from the
 * invitation and changes an answer; the officer sees the status, responds, closes and downloads
 * the export; the Feedback list holds exactly what Jake said.
 */

const SCREENSHOTS = join(REPO_ROOT, 'docs', 'screenshots');
const UPDATE_SCREENSHOTS = process.env.UPDATE_SCREENSHOTS === '1';
const VIEWPORT = { width: 1280, height: 1000 };
const PLAYGROUND_CLI = join(REPO_ROOT, 'node_modules/@microsoft/m365agentsplayground/cli.js');

/** A second Playground, signed in as `user`, pointed at the same bot; stopped by `stop()`. */
async function startPlaygroundFor(
  user: PersonKey,
  messagesUrl: string,
): Promise<{ url: string; stop(): Promise<void> }> {
  const dir = mkdtempSync(join(tmpdir(), `board-e2e-${user}-`));
  const config = join(dir, `${user}.m365agentsplayground.yml`);
  writeFileSync(config, renderPlaygroundConfig(user));
  const child: ChildProcess = spawn(
    process.execPath,
    [PLAYGROUND_CLI, '-e', messagesUrl, '-c', 'msteams', '--disable-telemetry', '-p', '0'],
    {
      cwd: REPO_ROOT,
      env: {
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? dir,
        TEAMSAPPTESTER_BROWSER: 'none',
        M365_AGENTS_PLAYGROUND_CONFIG_PATH: config,
        M365_AGENTS_PLAYGROUND_LOGFILE: join(dir, 'playground.log'),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    }
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    const port = await new Promise<number>((resolve, reject) => {
      const lines = createInterface({ input: child.stdout! });
      lines.on('line', (line) => {
        const m = /Listening on (\d+)/.exec(line);
        if (m) resolve(Number(m[1]));
      });
      void exited.then(() => reject(new Error(`${user}'s Playground exited before it listened`)));
    });
    const url = `http://127.0.0.1:${port}`;
    for (let i = 0; i < 300; i++) {
      const ok = await fetch(`${url}/`)
        .then((r) => r.ok)
        .catch(() => false);
      if (ok) return { url, stop };
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`${user}'s Playground did not answer`);
  } catch (err) {
    await stop();
    throw err;
  }
}

interface ListItem<F> {
  id: string;
  fields: F;
}

async function listItems<F>(listsUrl: string, list: string): Promise<ListItem<F>[]> {
  const res = await fetch(`${listsUrl}/v1.0/sites/root/lists/${list}/items?$expand=fields`);
  expect(res.status).toBe(200);
  return ((await res.json()) as { value: ListItem<F>[] }).value;
}

const londonDayAfterNextWeek = () =>
  new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London' }).format(
    new Date(Date.now() + 7 * 86_400_000),
  );

async function fill(card: Locator, name: string | RegExp, value: string, nth = 0): Promise<void> {
  await card.getByRole('textbox', { name }).nth(nth).fill(value);
}

describe('consultations, in the Agents Playground', () => {
  const e2e = useE2eStack();
  const stops: (() => Promise<void>)[] = [];
  afterAll(async () => {
    for (const stop of stops.splice(0)) await stop();
  });

  it('an officer opens a consultation; a partner answers from the invitation and changes it; the officer follows up, closes and exports', async () => {
    // ── Jake Ferguson's own Teams client: his personal chat with the bot exists before the invitation ──
    const jakesPlayground = await startPlaygroundFor('jake', e2e.stack.messagesUrl);
    stops.push(jakesPlayground.stop);
    const jake: Playground = await openPlayground(e2e.browser, jakesPlayground.url, { viewport: VIEWPORT });
    stops.push(() => jake.close());

    // ── the officer, Sonia Khan, in the General channel ──
    const officer = await e2e.open({ viewport: VIEWPORT });
    const thread = await officer.postInChannel('consult new');
    const form = await officer.waitForCard({ heading: 'New consultation', within: thread });
    await fill(form, /^Title/, TITLE);
    await fill(form, /^Themes/, THEMES.join('\n'));
    await officer.fillCardDate(form, 'Closing date', londonDayAfterNextWeek());
    if (UPDATE_SCREENSHOTS) await officer.screenshot(join(SCREENSHOTS, 'consult-new.png'));
    const opened = await officer.clickAndWaitForCard(form, 'Open consultation', {
      heading: 'Consultation C-0001',
      within: thread,
    });
    const openedText = await officer.cardText(opened);
    expect(openedText).toContain('Personal invitations are on their way to 5 people.');
    expect(openedText).toContain(TITLE);

    // ── Jake answers from his personal invitation ──
    const invitation = await jake.waitForCard({ heading: 'Your views are invited' }, 30_000);
    expect(await jake.cardText(invitation)).toContain(TITLE);
    const answerForm = await jake.clickAndWaitForCard(invitation, 'Answer', {
      heading: 'Your answers · C-0001',
    });
    await fill(answerForm, /^Your organisation/, JAKE.organisation);
    await fill(answerForm, 'Answer to question 1', JAKE.q1);
    await fill(answerForm, 'Answer to question 2', JAKE.q2);
    await fill(answerForm, 'Answer to question 3', JAKE.q3);
    await jake.selectCardChoice(answerForm, `Does "${THEMES[0]}" help?`, 'Partly');
    await fill(answerForm, 'Comment (optional)', JAKE.povertyComment, 0);
    if (UPDATE_SCREENSHOTS) await jake.screenshot(join(SCREENSHOTS, 'consult-answer.png'));
    const receipt = await jake.clickAndWaitForCard(answerForm, 'Submit', {
      heading: 'Your answers are recorded',
    });
    const receiptText = await jake.cardText(receipt);
    expect(receiptText).toContain('Shrinking resources available to VCS');
    expect(receiptText).toContain(JAKE.q3);

    // …then changes his answer to question 3.
    const again = await jake.clickAndWaitForCard(receipt, 'Change my answers', {
      heading: 'Your answers · C-0001',
    });
    expect(await again.getByRole('textbox', { name: 'Answer to question 3' }).inputValue()).toBe(JAKE.q3);
    await fill(again, 'Answer to question 3', JAKE.q3Changed);
    const changed = await jake.clickAndWaitForCard(again, 'Submit', { text: 'Your changes are recorded' });
    expect(await jake.cardText(changed)).toContain(JAKE.q3Changed);

    // ── the officer: status, an initial response, close, export ──
    const status = await officer.expectNewCard({ heading: 'Status · C-0001' }, () =>
      officer.sendPersonal('consult status'),
    );
    const statusText = await officer.cardText(status);
    expect(statusText).toMatch(/^5\nInvited\n1\nAnswered\n0\nDraft saved\n4\nNot yet$/m);
    expect(statusText).toContain(`${PEOPLE.jake.name} (HCVS)`);
    await officer.clickCardButton(status, 'Respond');
    await status.getByRole('textbox', { name: /^Initial response to/ }).fill(INITIAL_RESPONSE);
    if (UPDATE_SCREENSHOTS) await officer.screenshot(join(SCREENSHOTS, 'consult-status.png'));
    const responded = await officer.clickAndWaitForCard(status, 'Send response', {
      text: 'Your initial response was sent',
    });
    expect(await officer.cardText(responded)).toContain(INITIAL_RESPONSE);
    const toJake = await jake.waitForCard({ heading: 'Initial response from Sonia Khan' });
    expect(await jake.cardText(toJake)).toContain(INITIAL_RESPONSE);

    // ── an invitation that may not have arrived: named on the officer's card, sent again once ──
    // (Jake's: the Playground answers sends only to the people signed in to it.)
    const invitationOf = async (aadObjectId: string) =>
      (
        await listItems<{ Campaign: string; Status: string; RecipientId?: string }>(
          e2e.stack.listsUrl!,
          'Deliveries',
        )
      ).find(
        (d) => d.fields.Campaign === 'consultation:C-0001:invitation' && d.fields.RecipientId === aadObjectId,
      );
    const jakes = await invitationOf(PEOPLE.jake.aadObjectId);
    expect(jakes?.fields.Status).toBe('Sent');
    const marked = await fetch(
      `${e2e.stack.listsUrl}/v1.0/sites/root/lists/Deliveries/items/${jakes!.id}/fields`,
      {
        method: 'PATCH',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ Status: 'Unconfirmed', LastError: 'The bot stopped while sending this.' }),
      },
    );
    expect(marked.status).toBe(200);
    const troubled = await officer.expectNewCard({ heading: 'Status · C-0001' }, () =>
      officer.sendPersonal('consult status'),
    );
    expect(await officer.cardText(troubled)).toMatch(/may not have arrived: .*Jake Ferguson/);
    const resent = await officer.clickAndWaitForCard(troubled, 'Send their invitations again', {
      text: /Sending \d+ invitations? again, once each\./,
    });
    expect(await officer.cardText(resent)).toContain('Sending');
    // Sent again through the Playground's connector, and recorded so.
    await expect
      .poll(async () => {
        const d = await invitationOf(PEOPLE.jake.aadObjectId);
        return `${d?.fields.Status} ${(d?.fields as { Attempts?: number } | undefined)?.Attempts}`;
      })
      .toBe('Sent 1');

    await officer.sendPersonal('consult close');
    await officer.waitForText(/C-0001 is closed\./);
    const summary = await officer.expectNewCard({ heading: 'Consultation closed · C-0001' }, () =>
      officer.openChannel(),
    );
    expect(await officer.cardText(summary)).toContain('1 response from 1 organisation (5 invited).');

    const exportCard = await officer.expectNewCard({ heading: 'Export · C-0001' }, () =>
      officer.sendPersonal('consult export'),
    );
    expect(await officer.cardText(exportCard)).toContain('1 response');
    const sent = [...officer.activities]
      .reverse()
      .find((a) => a.direction === 'fromBot' && JSON.stringify(a.activity ?? {}).includes('Download Excel'));
    const link = /"url":"([^"]+\.xlsx)"/.exec(JSON.stringify(sent?.activity ?? {}))?.[1];
    expect(link, 'the export card carries the .xlsx link').toBeTruthy();
    const download = await fetch(link!);
    expect(download.status).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.from(await download.arrayBuffer()) as never);
    const rows = wb.getWorksheet('Feedback')!.getSheetValues() as unknown[][];
    const jakesRow = rows.find((r) => Array.isArray(r) && r.includes(PEOPLE.jake.name))!;
    expect(jakesRow).toContain(JAKE.q1);
    expect(jakesRow).toContain(JAKE.q3Changed);
    expect(jakesRow.some((v) => typeof v === 'string' && v.includes(INITIAL_RESPONSE))).toBe(true);

    // ── the record holds exactly what was said ──
    const [consultation] = await listItems<{
      ConsultationRef: string;
      Status: string;
      Title: string;
      Themes: string;
    }>(e2e.stack.listsUrl!, 'Consultations');
    expect(consultation?.fields).toMatchObject({ ConsultationRef: 'C-0001', Status: 'Closed', Title: TITLE });
    expect(JSON.parse(consultation!.fields.Themes)).toEqual(THEMES);
    const feedback = await listItems<{
      Title: string;
      Organisation: string;
      Answers: string;
      ThemeRatings: string;
      History: string;
      OfficerResponse: string;
      Submitted: boolean;
    }>(e2e.stack.listsUrl!, 'Feedback');
    expect(feedback).toHaveLength(1);
    const f = feedback[0]!.fields;
    expect(f.Title).toBe(PEOPLE.jake.name);
    expect(f.Organisation).toBe('HCVS');
    expect(f.Submitted).toBe(true);
    expect((JSON.parse(f.Answers) as { answer: string }[]).map((a) => a.answer)).toEqual([
      JAKE.q1,
      JAKE.q2,
      JAKE.q3Changed,
    ]);
    expect((JSON.parse(f.ThemeRatings) as { rating?: string; comment: string }[])[0]).toMatchObject({
      rating: 'Partly',
      comment: JAKE.povertyComment,
    });
    const history = JSON.parse(f.History) as { answers: { answer: string }[] }[];
    expect(history.map((h) => h.answers[2]?.answer)).toEqual([JAKE.q3]);
    expect(f.OfficerResponse.endsWith(`: ${INITIAL_RESPONSE}`)).toBe(true);
    expect(f.OfficerResponse).toMatch(/^Initial response from Sonia Khan \(/);
  });
});
