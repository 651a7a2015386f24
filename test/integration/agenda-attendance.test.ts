import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { AdaptiveCard } from '../../cards/adaptive.js';
import { PEOPLE, TENANT, installed } from '../support/activities.js';
import { cardOf, fromTenant, textOf } from '../support/actions-activities.js';
import { useTestBot } from '../support/use-test-bot.js';
import { cardProblems, executeActions } from '../support/cards.js';
import { AFTER, BEFORE, OUTLINE } from '../fixtures/agenda-seed.js';
import {
  CARD,
  CHANNEL,
  MEMBERS,
  MESSAGE,
  ROSTER,
  cardLines,
  channel,
  click,
  personal,
  press,
  publishedPack,
  say,
  until,
} from '../support/agenda-activities.js';

/**
 * Publishing and attendance over HTTP: the channel post and the personal copies (each at most once),
 * a long pack as a summary and item cards, members' answers (one current answer each, changeable
 * until the meeting), live counts on the posted card, and the attendance sheet.
 */

describe('publishing and attendance', () => {
  // The council's tenant: someone signed in elsewhere, outside the board's team, is a stranger.
  const t = useTestBot({ env: { MicrosoftAppTenantId: TENANT } });
  beforeAll(async () => {
    t.connector.setMembers(ROSTER);
    await t.post(installed(PEOPLE.officer, channel(t)));
  });
  beforeEach(() => {
    t.connector.reset();
    t.lists.setFaults({ rate: 0 });
  });

  const meeting = async (ref: string) =>
    (await t.bot.lists.repos.Meetings.all({})).find((m) => m.fields.MeetingRef === ref);
  const answers = async (ref: string) =>
    (await t.bot.lists.repos.Attendance.all({})).filter((a) => a.fields.MeetingRef === ref);
  const answer = async (ref: string, memberId: string) =>
    (await answers(ref)).find((a) => a.fields.MemberId === memberId);

  describe('publishing', () => {
    it('posts to the channel and each member once, however often it is pressed', async () => {
      const ref = await publishedPack(t, { members: true });
      const m = await meeting(ref);
      expect(m?.fields).toMatchObject({ Status: 'Published', Version: 1, ConversationId: CHANNEL });
      expect(JSON.parse(m?.fields.Invited ?? '[]')).toHaveLength(5);
      const campaign = `agenda:${ref}:members`;
      await until(
        async () =>
          (await t.bot.messaging.deliveries.forCampaign(campaign)).filter((d) => d.status === 'Sent')
            .length === 5,
      );
      const personalCopies = t.connector.calls.filter(
        (c) => c.method === 'POST' && c.conversationId?.startsWith('a:proactive'),
      );
      expect(personalCopies).toHaveLength(5);
      const copy = cardOf(personalCopies[0]?.body) as AdaptiveCard;
      expect(cardProblems(copy)).toEqual([]);
      expect(cardLines(copy)).toContain('The papers for your next meeting are published.');

      t.connector.reset();
      const again = await press(
        t,
        click('agenda.publish', { ref, members: true }, PEOPLE.officer, channel(t), BEFORE),
      );
      expect(again.value).toBeDefined();
      expect(cardLines(again.value)).toContain('was already published (version 1); it was not posted again.');
      await until(async () =>
        (await t.bot.messaging.deliveries.forCampaign(campaign)).every((d) => d.status === 'Sent'),
      );
      expect(t.connector.sent()).toEqual([]);
    });

    it('a long pack goes out as a summary card and item cards in its thread, none over 40 KB', async () => {
      const items = Array.from(
        { length: 60 },
        (_, i) =>
          `${i + 1}. Partnership report ${i + 1} on the Community Strategy priorities (Tim Shields) (5 minutes) to note — Report https://example.org/hackney/r/${i + 1}.pdf, Appendix https://example.org/hackney/r/${i + 1}-a.pdf`,
      );
      const outline = `Long Board\nDate: Monday 26 February 2018, 10am\nVenue: Committee Room 102\n${items.join('\n')}`;
      await t.post(say(`agenda import\n${outline}`, PEOPLE.officer, channel(t), BEFORE));
      const draft = cardOf(t.connector.sent()[0]);
      const ref = /M-\d{4}/.exec(cardLines(draft))?.[0] ?? '';
      expect(cardProblems(draft as AdaptiveCard)).toEqual([]);
      t.connector.reset();
      const body = await press(
        t,
        click('agenda.publish', { ref, members: false }, PEOPLE.officer, channel(t), BEFORE),
      );
      expect(cardLines(body.value)).toMatch(/as a summary with \d+ item cards in its thread/);
      const posts = t.connector.calls.filter((c) => c.method === 'POST' && c.conversationId);
      const summary = cardOf(posts[0]?.body) as AdaptiveCard;
      expect(cardLines(summary)).toContain(
        'This pack is long: the items, with presenters, purposes and papers, follow in this thread.',
      );
      expect(posts.length).toBeGreaterThan(2);
      for (const post of posts) {
        const card = cardOf(post.body) as AdaptiveCard;
        expect(cardProblems(card)).toEqual([]);
        expect(Buffer.byteLength(JSON.stringify(post.body))).toBeLessThan(40 * 1024);
      }
      const itemCards = posts.slice(1).map((p) => cardLines(cardOf(p.body)));
      expect(itemCards.join('\n')).toContain('60. Partnership report 60');
      // The item cards are addressed to the summary's thread (the stand-in's ids are not Teams' numbers,
      // so it shows them in the channel).
      const activityId = (await meeting(ref))!.fields.ActivityId;
      const part = (await t.bot.messaging.deliveries.forCampaign(`agenda:${ref}:part:1`))[0];
      expect(part?.recipient).toEqual({
        kind: 'conversation',
        conversationId: `${CHANNEL};messageid=${activityId}`,
      });
      expect(part?.status).toBe('Sent');

      // Shown on request, the summary opens its item cards with buttons.
      const shown = await press(t, click('agenda.show', { ref }, MEMBERS.jake, channel(t), BEFORE));
      const parts = executeActions(shown.value).filter((a) => a.verb === 'agenda.items');
      expect(parts.length).toBeGreaterThan(1);
      const second = await press(t, click('agenda.items', parts[1]!.data!, MEMBERS.jake, channel(t), BEFORE));
      expect(cardProblems(second.value as AdaptiveCard)).toEqual([]);
      expect(cardLines(second.value)).toMatch(/items \d+–\d+/);
      const none = await press(t, click('agenda.items', { ref, part: 99 }, MEMBERS.jake, channel(t), BEFORE));
      expect(none.type).toBe(MESSAGE);
    });

    it('a pack published to the channel only can be sent to each member later, from anywhere', async () => {
      const ref = await publishedPack(t);
      const body = await press(
        t,
        click('agenda.publish', { ref, members: true }, PEOPLE.officer, personal(t), BEFORE),
      );
      expect(cardLines(body.value)).toContain('It is going to 5 members personally too (once each).');
      await until(
        async () =>
          (await t.bot.messaging.deliveries.forCampaign(`agenda:${ref}:members`)).filter(
            (d) => d.status === 'Sent',
          ).length === 5,
      );
    });

    it('refuses a partner, and a pack already started; a draft is not shown to members', async () => {
      await t.post(
        say(
          `agenda import\n${OUTLINE.replace('Community Strategy Partnership Board', 'Draft Board')}`,
          PEOPLE.officer,
          channel(t),
          BEFORE,
        ),
      );
      const ref = /M-\d{4}/.exec(cardLines(cardOf(t.connector.sent()[0])))?.[0] ?? '';
      const partner = await press(
        t,
        click('agenda.publish', { ref, members: false }, MEMBERS.jake, channel(t), BEFORE),
      );
      expect(partner.value).toContain('Only board officers can publish agenda packs.');
      const hidden = await press(t, click('agenda.show', { ref }, MEMBERS.jake, channel(t), BEFORE));
      expect(hidden.value).toBe(`The pack for ${ref} is not published yet.`);
      const officer = await press(t, click('agenda.show', { ref }, PEOPLE.officer, channel(t), BEFORE));
      expect(cardLines(officer.value)).toContain(`Draft agenda pack ${ref}`);
      const late = await press(
        t,
        click('agenda.publish', { ref, members: false }, PEOPLE.officer, channel(t), AFTER),
      );
      expect(late.value).toContain('has already started');
      expect((await meeting(ref))?.fields.Status).toBe('Draft');
    });

    it('"agenda" shows the next pack to members, with their answer', async () => {
      t.connector.reset();
      await t.post(say('agenda', MEMBERS.david, personal(t), BEFORE));
      const card = cardOf(t.connector.sent()[0]) as AdaptiveCard;
      expect(cardProblems(card)).toEqual([]);
      expect(cardLines(card)).toMatch(/^Agenda pack M-\d{4}$/m);
      t.connector.reset();
      await t.post(say('agenda M-9999', MEMBERS.david, personal(t), BEFORE));
      expect(textOf(t.connector.sent()[0])).toContain("I can't find meeting M-9999");
    });
  });

  describe('attendance', () => {
    let ref: string;
    beforeAll(async () => {
      ref = await publishedPack(t);
    });

    it('attending, then apologies: one current answer, and the posted card counts it', async () => {
      const first = await press(t, click('agenda.attend', { ref }, MEMBERS.david, channel(t), BEFORE));
      expect(cardLines(first.value)).toContain("Thank you: you're down as attending.");
      expect(cardLines(first.value)).toContain('Your answer: attending');
      const changed = await press(t, click('agenda.apologies', { ref }, MEMBERS.david, channel(t), BEFORE));
      expect(cardLines(changed.value)).toContain('Your answer: apologies');
      expect(
        (await answers(ref)).filter((a) => a.fields.MemberId === MEMBERS.david.aadObjectId),
      ).toHaveLength(1);
      expect((await answer(ref, MEMBERS.david.aadObjectId))?.fields.Response).toBe('Apologies');
      const posted = t.connector.updated().at(-1);
      expect(cardLines(cardOf(posted))).toContain('Attending 0 · Apologies 1 · Not answered 4');
      const activityId = (await meeting(ref))!.fields.ActivityId;
      expect(t.connector.calls.filter((c) => c.method === 'PUT').map((c) => c.activityId)).toEqual([
        activityId,
        activityId,
      ]);
    });

    it('a second click changes nothing and says so', async () => {
      await press(t, click('agenda.attend', { ref }, MEMBERS.claire, channel(t), BEFORE));
      const before = await answer(ref, MEMBERS.claire.aadObjectId);
      t.connector.reset();
      const again = await press(t, click('agenda.attend', { ref }, MEMBERS.claire, channel(t), BEFORE));
      expect(cardLines(again.value)).toContain('You were already down as attending; nothing changed.');
      expect((await answer(ref, MEMBERS.claire.aadObjectId))?.etag).toBe(before?.etag);
      expect(t.connector.updated()).toEqual([]);
    });

    it('a substitute needs a name; with one, name and organisation are kept', async () => {
      const none = await press(
        t,
        click(
          'agenda.substitute',
          { ref, substituteName: '  ', substituteOrganisation: 'Met Police' },
          MEMBERS.jim,
          channel(t),
          BEFORE,
        ),
      );
      expect(none).toMatchObject({
        type: MESSAGE,
        value: 'Give the name of the colleague who will attend on your behalf. Nothing was changed.',
      });
      expect(await answer(ref, MEMBERS.jim.aadObjectId)).toBeUndefined();
      const sub = await press(
        t,
        click(
          'agenda.substitute',
          {
            ref,
            substituteName: 'Rory McCallum',
            substituteOrganisation: "Senior Professional Advisor to the Children's Safeguarding Board",
          },
          MEMBERS.jim,
          channel(t),
          BEFORE,
        ),
      );
      expect(sub.type).toBe(CARD);
      expect(cardLines(sub.value)).toContain(
        "Your answer: apologies, with Rory McCallum, Senior Professional Advisor to the Children's Safeguarding Board attending on your behalf",
      );
      expect((await answer(ref, MEMBERS.jim.aadObjectId))?.fields).toMatchObject({
        Title: 'Jim Gamble',
        Response: 'Substitute',
        SubstituteName: 'Rory McCallum',
        SubstituteOrganisation: "Senior Professional Advisor to the Children's Safeguarding Board",
      });
      // Back to attending: the substitute is cleared.
      await press(t, click('agenda.attend', { ref }, MEMBERS.jim, channel(t), BEFORE));
      const back = (await answer(ref, MEMBERS.jim.aadObjectId))?.fields;
      expect(back?.Response).toBe('Attending');
      expect(back?.SubstituteName ?? '').toBe('');
    });

    it('cannot change once the meeting has started', async () => {
      const before = await answer(ref, MEMBERS.david.aadObjectId);
      const late = await press(t, click('agenda.attend', { ref }, MEMBERS.david, channel(t), AFTER));
      expect(late.value).toBe(
        "The meeting started at 10:00 on Monday 26 February 2018, so attendance can no longer be changed here. Please tell the board's officer. Nothing was changed.",
      );
      expect((await answer(ref, MEMBERS.david.aadObjectId))?.etag).toBe(before?.etag);
    });

    it('someone outside the board is told who can answer', async () => {
      const outsider = fromTenant(
        click(
          'agenda.attend',
          { ref },
          { id: '29:x', aadObjectId: 'aad-x', name: 'Visitor' },
          personal(t),
          BEFORE,
        ),
        'other-tenant',
      );
      const body = await press(t, outsider);
      expect(body.value).toContain('Only board officers, chairs and partners can answer attendance.');
    });

    it('the sheet: officers and chairs, from the channel roster or the list of those invited', async () => {
      t.connector.reset();
      await t.post(say(`agenda attendance ${ref}`, PEOPLE.officer, channel(t), BEFORE));
      const sheet = cardOf(t.connector.sent()[0]) as AdaptiveCard;
      expect(cardProblems(sheet)).toEqual([]);
      const lines = cardLines(sheet).split('\n');
      expect(lines).toEqual(
        expect.arrayContaining([
          `Chair ${PEOPLE.chair.name} | No answer yet`,
          'Jake Ferguson | No answer yet',
          'David Maher | Apologies',
          'Claire Crawley | Attending',
          'Jim Gamble | Attending',
          'Sonia Khan | Expected',
          'In attendance as advisers to the Board | Expected / apologies | Attending on their behalf',
        ]),
      );
      const byChair = await press(t, click('agenda.sheet', { ref }, PEOPLE.chair, personal(t), BEFORE));
      expect(cardLines(byChair.value)).toContain('Jake Ferguson | No answer yet');
      const partner = await press(t, click('agenda.sheet', { ref }, MEMBERS.jake, channel(t), BEFORE));
      expect(partner.value).toContain('Only board officers and chairs can see the attendance sheet.');
    });

    it('when the lists fail, nothing is recorded and the member is told', async () => {
      t.lists.setFaults({ rate: 1, status: 503, retryAfterSeconds: 0, seed: 3 });
      const body = await press(t, click('agenda.apologies', { ref }, MEMBERS.jake, channel(t), BEFORE));
      t.lists.setFaults({ rate: 0 });
      expect(body).toMatchObject({ type: MESSAGE, value: expect.stringContaining('Nothing was changed') });
      expect(await answer(ref, MEMBERS.jake.aadObjectId)).toBeUndefined();
    });

    it('with some faults, the answer still lands (retried)', async () => {
      t.lists.setFaults({ rate: 0.3, status: 429, retryAfterSeconds: 0, seed: 11 });
      const body = await press(t, click('agenda.apologies', { ref }, MEMBERS.jake, channel(t), BEFORE));
      t.lists.setFaults({ rate: 0 });
      expect(cardLines(body.value)).toContain('Your answer: apologies');
      expect((await answer(ref, MEMBERS.jake.aadObjectId))?.fields.Response).toBe('Apologies');
    });
  });
});
