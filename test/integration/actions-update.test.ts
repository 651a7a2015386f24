import { readDateOnly } from '../../bot/sharepoint/dates.js';
import { beforeEach, describe, expect, it } from 'vitest';
import type { AdaptiveCard } from '../../cards/adaptive.js';
import { PEOPLE, cardAction } from '../support/activities.js';
import { ACTIONS_ROSTER, ROSTER_PEOPLE, cardOf, messageAt, textOf } from '../support/actions-activities.js';
import { useTestBot } from '../support/use-test-bot.js';
import { cardProblems, cardText, executeActions } from '../support/cards.js';

const AT = new Date('2018-02-26T10:00:00Z');
const CARD = 'application/vnd.microsoft.card.adaptive';
const MESSAGE = 'application/vnd.microsoft.activity.message';
type InvokeBody = { type: string; value: AdaptiveCard | string };

describe('keeping actions up to date', () => {
  const t = useTestBot();
  beforeEach(() => {
    t.connector.reset();
    t.lists.setFaults({ rate: 0 });
    t.connector.setMembers(ACTIONS_ROSTER);
  });
  const where = () => ({ serviceUrl: t.connector.serviceUrl });
  const item = async (ref: string) =>
    (await t.bot.lists.repos.Actions.all({})).find((i) => i.fields.ActionRef === ref);
  /** Jake logs an action owned by Jake (no owner named): returns its reference. */
  const logJakes = async (text = 'action write to the VCS partners') => {
    await t.post(messageAt(text, PEOPLE.partner, where(), { at: AT }));
    const ref = /A-\d{4}/.exec(cardText(cardOf(t.connector.sent().at(-1))))?.[0] ?? '';
    t.connector.reset();
    return ref;
  };
  const say = async (text: string, who = PEOPLE.partner) => {
    t.connector.reset();
    await t.post(messageAt(text, who, where(), { at: AT }));
    const reply = t.connector.sent()[0];
    return { text: textOf(reply), card: cardOf(reply) as AdaptiveCard | undefined };
  };
  const click = async (verb: string, data: Record<string, unknown>, who = PEOPLE.partner) =>
    (await t.post(cardAction(verb, data, who, where()))).body as InvokeBody;

  describe('by typing', () => {
    it('"action A-… done" marks it done with a dated line; saying it again writes nothing', async () => {
      const ref = await logJakes();
      const first = await say(`action ${ref} done`);
      expect(cardText(first.card)).toContain(`${ref} is done`);
      const done = await item(ref);
      expect(done?.fields.Status).toBe('Done');
      expect(done?.fields.Details).toContain('26 Feb 2018 10:00, Jake Ferguson: marked it done');
      const again = await say(`action ${ref} done`);
      expect(cardText(again.card)).toContain('already done');
      expect((await item(ref))?.etag).toBe(done?.etag);
    });

    it('"note …", "due …", "start", "reassign to …" and "drop …" each change it and say so', async () => {
      const ref = await logJakes();
      await say(`action ${ref} note sent the draft to Rachel`);
      await say(`action ${ref} due 30 June`);
      await say(`action ${ref} start`);
      const reassigned = await say(`action ${ref} reassign to Rachel Duke and Tim Shields`);
      expect(cardText(reassigned.card)).toContain('now belongs to Rachel Duke and Tim Shields');
      const after = await item(ref);
      expect(after?.fields).toMatchObject({
        Status: 'In progress',
        DueText: '30 June',
        Owners: 'Rachel Duke; Tim Shields',
        OwnerIds: 'aad-rachel-duke; aad-tim-shields',
      });
      expect(readDateOnly(after?.fields.DueDate)).toBe('2018-06-30');
      const lines = after?.fields.Details?.split('\n') ?? [];
      expect(lines.slice(-4)).toEqual([
        '26 Feb 2018 10:00, Jake Ferguson: note: sent the draft to Rachel',
        '26 Feb 2018 10:00, Jake Ferguson: changed the due date from no date to Saturday 30 June 2018',
        '26 Feb 2018 10:00, Jake Ferguson: started it (In progress)',
        '26 Feb 2018 10:00, Jake Ferguson: reassigned it from Jake Ferguson to Rachel Duke; Tim Shields',
      ]);
      // Jake no longer owns it: Rachel drops it.
      const refused = await say(`action ${ref} drop not needed`);
      expect(refused.text).toContain('Only Rachel Duke and Tim Shields (the owners)');
      await say(`action ${ref} drop superseded by the new strategy`, ROSTER_PEOPLE.rachel);
      expect((await item(ref))?.fields.Status).toBe('Dropped');
    });

    it.each([
      ['action A-9999 done', /can't find action A-9999/],
      ['action A-0001 due 31 February', /not a real date|31 February/],
      ['action A-0001 drop', /Say why/],
      ['action A-0001 note', /Write the note/],
      ['action A-0001 is lovely', /I know A-0001 but not/],
    ])('"%s" gets a clear message and changes nothing', async (text, message) => {
      if (!(await item('A-0001'))) await logJakes();
      const before = await item('A-0001');
      const reply = await say(text);
      expect(reply.text).toMatch(message);
      expect((await item('A-0001'))?.etag).toBe(before?.etag);
    });

    it("someone who is not an owner is told who can; officers and chairs can update anyone's", async () => {
      const ref = await logJakes();
      const refused = await say(`action ${ref} done`, PEOPLE.obrien);
      expect(refused.text).toBe(
        `Only Jake Ferguson (the owner), the board's officers and chairs can update ${ref}. Ask one of them, or mention them in the chat.`,
      );
      expect((await item(ref))?.fields.Status).toBe('Open');
      await say(`action ${ref} note chased by the officer`, PEOPLE.officer);
      await say(`action ${ref} done`, PEOPLE.chair);
      const after = await item(ref);
      expect(after?.fields.Status).toBe('Done');
      expect(after?.fields.Details).toContain('Sonia Khan: note: chased by the officer');
      expect(after?.fields.Details).toContain(`${PEOPLE.chair.name}: marked it done`);
    });

    it('"action A-…" shows it, with update buttons only for those who may', async () => {
      const ref = await logJakes();
      const owner = await say(`action ${ref}`);
      expect(cardProblems(owner.card!)).toEqual([]);
      expect(executeActions(owner.card).map((a) => a.verb)).toContain('actions.done');
      const other = await say(`action ${ref}`, PEOPLE.obrien);
      expect(executeActions(other.card)).toEqual([]);
      expect(cardText(other.card)).toContain("Only the action's owners");
    });
  });

  describe('by card buttons', () => {
    it('actions.show gives the action card', async () => {
      const ref = await logJakes();
      const body = await click('actions.show', { ref });
      expect(body.type).toBe(CARD);
      expect(cardProblems(body.value as AdaptiveCard)).toEqual([]);
      expect(cardText(body.value)).toContain(`${ref} · Open`);
    });

    it('actions.start, then actions.done twice: the second click writes nothing', async () => {
      const ref = await logJakes();
      expect(cardText((await click('actions.start', { ref })).value)).toContain('now in progress');
      expect((await item(ref))?.fields.Status).toBe('In progress');
      const done = await click('actions.done', { ref });
      expect(cardText(done.value)).toContain(`${ref} is done`);
      const etag = (await item(ref))?.etag;
      const again = await click('actions.done', { ref });
      expect(cardText(again.value)).toContain('already done');
      expect((await item(ref))?.etag).toBe(etag);
    });

    it('actions.drop needs a reason and keeps it', async () => {
      const ref = await logJakes();
      const none = await click('actions.drop', { ref, reason: '' });
      expect(none).toMatchObject({ type: MESSAGE });
      expect(none.value).toContain('Say why');
      expect((await item(ref))?.fields.Status).toBe('Open');
      await click('actions.drop', { ref, reason: 'the Board agreed it is no longer needed' });
      const after = await item(ref);
      expect(after?.fields.Status).toBe('Dropped');
      expect(after?.fields.Details).toContain('dropped it: the Board agreed it is no longer needed');
    });

    it('actions.note adds a note once, however many times it is clicked', async () => {
      const ref = await logJakes();
      await click('actions.note', { ref, note: 'Spoke to *HCVS* — see [notes](https://x.example)' });
      const again = await click('actions.note', {
        ref,
        note: 'Spoke to *HCVS* — see [notes](https://x.example)',
      });
      expect(cardText(again.value)).toContain('already on');
      const details = (await item(ref))?.fields.Details ?? '';
      expect(details.match(/note: Spoke to \*HCVS\*/g)).toHaveLength(1);
      expect((await click('actions.note', { ref, note: '   ' })).value).toContain('Write the note');
    });

    it('actions.due takes a date from the picker or a phrase, and refuses an impossible one', async () => {
      const ref = await logJakes();
      await click('actions.due', { ref, dueDate: '2018-07-31', dueText: '' });
      expect(readDateOnly((await item(ref))?.fields.DueDate)).toBe('2018-07-31');
      const card = (await click('actions.due', { ref, dueText: 'end of September 2018 (TBC)' })).value;
      expect(cardText(card)).toContain('Sunday 30 September 2018');
      expect((await item(ref))?.fields).toMatchObject({
        DueText: 'end of September 2018 (TBC)',
        Tentative: true,
      });
      const before = await item(ref);
      const bad = await click('actions.due', { ref, dueDate: '2019-02-31' });
      expect(bad.type).toBe(MESSAGE);
      expect(bad.value).toContain('not a date');
      expect((await item(ref))?.etag).toBe(before?.etag);
    });

    it('actions.reassign matches names to the roster', async () => {
      const ref = await logJakes();
      await click('actions.reassign', { ref, owners: "Dara O'Brien; LBH Policy Team" });
      expect((await item(ref))?.fields).toMatchObject({
        Owners: "Dara O'Brien; LBH Policy Team",
        OwnerIds: 'aad-dara-obrien',
      });
      const empty = await click('actions.reassign', { ref, owners: '' }, PEOPLE.officer);
      expect(empty.value).toContain('Name the new owners');
    });

    it('a button pressed on a list answers with the list again', async () => {
      const ref = await logJakes();
      const body = await click('actions.done', { ref, back: { scope: 'mine', view: 'open' } });
      expect(body.type).toBe(CARD);
      expect(cardText(body.value)).toContain('Your open actions');
      expect(cardText(body.value)).toContain(`${ref} is done`);
    });

    it('forged data changes nothing: unknown refs, wrong types, and someone else’s action', async () => {
      const ref = await logJakes();
      const before = await item(ref);
      const unknown = await click('actions.done', { ref: 'A-9999' });
      expect(unknown).toMatchObject({ type: MESSAGE });
      expect(unknown.value).toContain("can't find action A-9999");
      for (const data of [
        { ref: 7 },
        { ref: `${ref}' or 1 eq 1` },
        { ref, note: { $ne: 1 } },
        { ref, status: 'Done' },
      ]) {
        const body = await click('actions.done', data);
        expect(body.type).toBe(MESSAGE);
        expect(body.value).toContain('could not read');
      }
      const theirs = await click('actions.drop', { ref, reason: 'mischief' }, PEOPLE.obrien);
      expect(theirs.type).toBe(MESSAGE);
      expect(theirs.value).toContain('Only Jake Ferguson (the owner)');
      expect((await item(ref))?.etag).toBe(before?.etag);
    });
  });

  describe('at once, and with the lists unwell', () => {
    it('two people updating at once lose nothing (ETags)', async () => {
      const ref = await logJakes();
      await Promise.all([
        click('actions.note', { ref, note: 'first note from Jake' }),
        click('actions.note', { ref, note: 'note from the officer' }, PEOPLE.officer),
        click('actions.note', { ref, note: 'note from the chair' }, PEOPLE.chair),
        click('actions.start', { ref }, PEOPLE.officer),
      ]);
      const after = await item(ref);
      expect(after?.fields.Status).toBe('In progress');
      for (const line of [
        'note: first note from Jake',
        'note: note from the officer',
        'note: note from the chair',
        'started it',
      ])
        expect(after?.fields.Details).toContain(line);
    });

    it('with throttling, changes still land exactly once', async () => {
      const ref = await logJakes();
      t.lists.setFaults({ rate: 0.3, status: 429, retryAfterSeconds: 0, seed: 7 });
      await click('actions.note', { ref, note: 'throttled note' });
      await click('actions.done', { ref });
      t.lists.setFaults({ rate: 0 });
      const after = await item(ref);
      expect(after?.fields.Status).toBe('Done');
      expect(after?.fields.Details?.match(/throttled note/g)).toHaveLength(1);
    });

    it('when the lists are down, a button says nothing was changed', async () => {
      const ref = await logJakes();
      t.lists.setFaults({ rate: 1, status: 503, retryAfterSeconds: 0, seed: 2 });
      const body = await click('actions.done', { ref });
      t.lists.setFaults({ rate: 0 });
      expect(body.type).toBe(MESSAGE);
      expect(body.value).toContain('Nothing was changed');
      expect((await item(ref))?.fields.Status).toBe('Open');
    });
  });
});
