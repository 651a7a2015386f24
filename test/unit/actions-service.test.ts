import { describe, expect, it } from 'vitest';
import { composeDetails, type ActionRecord } from '../../bot/features/actions/model.js';
import { normaliseName } from '../../bot/people/roster.js';
import {
  isOwner,
  mayEditOrUndo,
  mayUpdate,
  newActionFields,
  ownerTest,
  planChange,
  validateChange,
  whoCanUpdate,
  type Change,
  type Who,
} from '../../bot/features/actions/service.js';

const at = new Date('2018-03-01T10:00:00Z');
const sonia: Who = { name: 'Sonia Khan', aadObjectId: 'aad-sonia', role: 'partner' };
const jake: Who = { name: 'Jake Ferguson', aadObjectId: 'aad-jake', role: 'partner' };
const officer: Who = { name: 'Polly Cziok', aadObjectId: 'aad-polly', role: 'officer' };
const chair: Who = { name: 'Mayor Philip Glanville', aadObjectId: 'aad-mayor', role: 'chair' };
const stranger: Who = { name: 'Sonia Khan', aadObjectId: 'aad-other', role: 'stranger' };

function action(extra: Partial<ActionRecord> = {}): ActionRecord {
  return {
    id: '7',
    etag: '"e,1"',
    ref: 'A-0042',
    title: 'Share the procurement strategy',
    details: composeDetails('Share the procurement strategy', [
      '26 Feb 2018 10:00, Jake Ferguson: logged it from chat',
    ]),
    owners: ['Sonia Khan', 'Rachel Duke'],
    ownerIds: ['aad-sonia'],
    status: 'Open',
    tentative: false,
    loggedBy: 'Jake Ferguson',
    ...extra,
  };
}

describe('who may change an action', () => {
  it('owners (by id or by name), officers and chairs update; others are told who can', () => {
    expect(mayUpdate(sonia, action())).toBe(true);
    expect(mayUpdate({ name: 'Rachel Duke', role: 'partner' }, action())).toBe(true);
    expect(mayUpdate({ name: 'someone', aadObjectId: 'AAD-SONIA', role: 'partner' }, action())).toBe(true);
    expect(mayUpdate(officer, action())).toBe(true);
    expect(mayUpdate(chair, action())).toBe(true);
    expect(mayUpdate(jake, action())).toBe(false);
    expect(mayUpdate(stranger, action())).toBe(false);
    expect(whoCanUpdate(action())).toContain('Sonia Khan and Rachel Duke (the owners)');
  });
  it('whoever logged it may also edit or undo it, and the refusal names them', () => {
    expect(mayEditOrUndo(jake, action())).toBe(true);
    expect(mayEditOrUndo({ name: 'Dara O’Brien', role: 'partner' }, action())).toBe(false);
    expect(
      planChange({ kind: 'undo' }, action(), { name: 'Dara O’Brien', role: 'partner' }, at).message,
    ).toBe(
      "Only Sonia Khan and Rachel Duke (the owners), Jake Ferguson (who logged it), the board's officers and chairs can edit or undo A-0042. Ask one of them, or mention them in the chat.",
    );
    expect(whoCanUpdate(action({ owners: ['Sonia Khan'] }))).toContain('Sonia Khan (the owner), ');
  });
  it('an owner test made once for a person answers as isOwner always did', () => {
    // isOwner as it was, preparing the person again for every action.
    const asBefore = (who: Who, a: ActionRecord) => {
      const id = who.aadObjectId?.toLowerCase();
      if (id && a.ownerIds.some((o) => o.toLowerCase() === id)) return true;
      const name = normaliseName(who.name);
      return name !== '' && a.owners.some((o) => normaliseName(o) === name);
    };
    const people: Who[] = [
      sonia,
      jake,
      { name: 'Dr Rachel Duke', role: 'partner' },
      { name: 'someone', aadObjectId: 'AAD-SONIA', role: 'partner' },
      { name: '', aadObjectId: '', role: 'partner' },
      { name: 'Siobhan OBrien', role: 'partner' },
    ];
    const actions = [
      action(),
      action({ owners: ['Siobhán O’Brien'], ownerIds: [] }),
      action({ owners: [], ownerIds: ['aad-jake'] }),
      action({ owners: [''], ownerIds: [''] }),
    ];
    for (const who of people) {
      const test = ownerTest(who);
      for (const a of actions) {
        expect(test(a), `${who.name} on ${a.owners.join()}`).toBe(asBefore(who, a));
        expect(isOwner(who, a)).toBe(asBefore(who, a));
      }
    }
    expect(ownerTest({ name: 'Siobhan OBrien' })(actions[1]!)).toBe(true);
    expect(ownerTest({ name: 'x', aadObjectId: 'AAD-Jake' })(actions[2]!)).toBe(true);
  });
  it('a refused change writes nothing', () => {
    const plan = planChange({ kind: 'done' }, action(), { name: 'Dara O’Brien', role: 'partner' }, at);
    expect(plan.write).toBeUndefined();
    expect(plan).toMatchObject({ outcome: 'refused' });
    expect(plan.message).toContain('Only Sonia Khan and Rachel Duke');
  });
});

describe('planning a change from the action as it is now', () => {
  it('done appends a dated line with who; a second done writes nothing', () => {
    const plan = planChange({ kind: 'done' }, action(), sonia, at);
    expect(plan.write?.Status).toBe('Done');
    expect(plan.write?.Details?.endsWith('\n1 Mar 2018 10:00, Sonia Khan: marked it done')).toBe(true);
    expect(plan.write?.Details).toContain('Jake Ferguson: logged it from chat');
    const again = planChange({ kind: 'done' }, action({ status: 'Done' }), sonia, at);
    expect(again.write).toBeUndefined();
    expect(again.message).toContain('already done');
  });
  it('start moves Open to In progress, reopens a done action, and is a no-op when in progress', () => {
    expect(planChange({ kind: 'start' }, action(), sonia, at).write?.Status).toBe('In progress');
    expect(planChange({ kind: 'start' }, action({ status: 'Done' }), sonia, at).message).toContain(
      'open again',
    );
    expect(planChange({ kind: 'start' }, action({ status: 'In progress' }), sonia, at).write).toBeUndefined();
  });
  it('drop keeps the reason; dropping twice writes nothing', () => {
    const plan = planChange({ kind: 'drop', reason: 'superseded by the new plan' }, action(), officer, at);
    expect(plan.write?.Status).toBe('Dropped');
    expect(plan.write?.Details).toContain('Polly Cziok: dropped it: superseded by the new plan');
    expect(
      planChange({ kind: 'drop', reason: 'x' }, action({ status: 'Dropped' }), officer, at).write,
    ).toBeUndefined();
  });
  it('a note is appended once, even if the same note comes twice on a day', () => {
    const first = planChange({ kind: 'note', text: 'sent to partners' }, action(), sonia, at);
    const details = first.write?.Details as string;
    expect(details).toContain('Sonia Khan: note: sent to partners');
    const again = planChange(
      { kind: 'note', text: 'sent to partners' },
      action({ details }),
      sonia,
      new Date(at.getTime() + 60_000),
    );
    expect(again.write).toBeUndefined();
    const other = planChange({ kind: 'note', text: 'chased again' }, action({ details }), sonia, at);
    expect(other.write?.Details).toContain('note: sent to partners');
    expect(other.write?.Details).toContain('note: chased again');
  });
  it('a new due date says from and to; the same date writes nothing', () => {
    const plan = planChange(
      { kind: 'due', due: { date: '2018-06-30', text: '30 June', tentative: false } },
      action({ dueDate: '2018-05-31', dueText: 'end of May' }),
      sonia,
      at,
    );
    expect(plan.write).toMatchObject({ DueDate: '2018-06-30', DueText: '30 June', Tentative: false });
    expect(plan.write?.Details).toContain('from Thursday 31 May 2018 to Saturday 30 June 2018');
    const same = planChange(
      { kind: 'due', due: { date: '2018-06-30', text: '30 June', tentative: false } },
      action({ dueDate: '2018-06-30', dueText: '30 June' }),
      sonia,
      at,
    );
    expect(same.write).toBeUndefined();
  });
  it('reassign writes owners and their known ids', () => {
    const plan = planChange(
      {
        kind: 'reassign',
        owners: [
          { name: 'Tim Shields', id: 'aad-tim', kind: 'person' },
          { name: 'Policy team', kind: 'team' },
        ],
      },
      action(),
      officer,
      at,
    );
    expect(plan.write).toMatchObject({ Owners: 'Tim Shields; Policy team', OwnerIds: 'aad-tim' });
    expect(
      planChange(
        {
          kind: 'reassign',
          owners: [
            { name: 'rachel duke', kind: 'person' },
            { name: 'Sonia Khan', kind: 'person' },
          ],
        },
        action(),
        officer,
        at,
      ).write,
    ).toBeUndefined();
  });
  it('edit changes only what differs; undo drops it for the record', () => {
    const plan = planChange(
      { kind: 'edit', text: 'Share the NEW procurement strategy', meetingRef: 'M-0007' },
      action(),
      jake,
      at,
    );
    expect(plan.write).toMatchObject({ Title: 'Share the NEW procurement strategy', MeetingRef: 'M-0007' });
    expect(plan.write?.Details?.startsWith('Share the NEW procurement strategy\n\n')).toBe(true);
    expect(
      planChange({ kind: 'edit', text: 'Share the procurement strategy' }, action(), jake, at).write,
    ).toBeUndefined();
    // A new date picked while the old phrase stayed in the form drops the stale phrase.
    const redated = planChange(
      { kind: 'edit', due: { date: '2018-12-31', text: 'autumn 2018', tentative: true } },
      action({ dueDate: '2018-11-30', dueText: 'autumn 2018', tentative: true }),
      jake,
      at,
    );
    expect(redated.write).toMatchObject({
      DueDate: '2018-12-31',
      DueText: 'Monday 31 December 2018',
      Tentative: false,
    });
    const sameAgain = planChange(
      { kind: 'edit', due: { date: '2018-11-30', text: 'autumn 2018', tentative: true } },
      action({ dueDate: '2018-11-30', dueText: 'autumn 2018', tentative: true }),
      jake,
      at,
    );
    expect(sameAgain.write).toBeUndefined();
    const undo = planChange({ kind: 'undo' }, action(), jake, at);
    expect(undo.write?.Status).toBe('Dropped');
    expect(planChange({ kind: 'undo' }, action({ status: 'Done' }), jake, at).write).toBeUndefined();
  });
});

describe('input judged before anything is read', () => {
  it.each<[Change, RegExp]>([
    [{ kind: 'drop', reason: '  ' }, /Say why/],
    [{ kind: 'note', text: '' }, /Write the note/],
    [{ kind: 'note', text: 'x'.repeat(2001) }, /under 2000/],
    [{ kind: 'due', due: { date: '2019-02-31', tentative: false } }, /not a date/],
    [{ kind: 'due', due: { tentative: false } }, /Give the new due date/],
    [{ kind: 'reassign', owners: [] }, /Name the new owners/],
    [{ kind: 'edit', text: ' ' }, /needs some text/],
  ])('%o is refused', (change, message) => {
    expect(validateChange(change)).toMatch(message);
  });
  it('good input passes', () => {
    expect(validateChange({ kind: 'due', due: { date: '2018-06-30', tentative: false } })).toBeUndefined();
    expect(validateChange({ kind: 'done' })).toBeUndefined();
  });
});

describe('a new action', () => {
  it('with no owner named belongs to whoever logged it (chat), or nobody (import)', () => {
    const base = {
      draft: { title: 'Book the room', text: 'Book the room', owners: [] },
      who: sonia,
      at,
      sourceKey: 'msg:1',
      how: 'from chat',
    };
    expect(newActionFields(base)).toMatchObject({
      Owners: 'Sonia Khan',
      OwnerIds: 'aad-sonia',
      Status: 'Open',
      LoggedBy: 'Sonia Khan',
    });
    expect(newActionFields({ ...base, noOwner: 'nobody' }).Owners).toBeUndefined();
  });
  it('keeps the full text in Details and the due phrase as written', () => {
    const text = `LBH Policy Team to use all feedback ${'on the strategy '.repeat(40)}`;
    const fields = newActionFields({
      draft: {
        title: text,
        text,
        owners: [{ name: 'LBH Policy Team', kind: 'team' }],
        due: { date: '2018-11-30', text: 'autumn 2018', tentative: true },
      },
      who: officer,
      at,
      sourceKey: 'msg:2',
      how: 'from chat',
    });
    expect(fields.Title.length).toBeLessThanOrEqual(255);
    expect(fields.Details?.startsWith(text.trim())).toBe(true);
    expect(fields).toMatchObject({
      DueDate: '2018-11-30',
      DueText: 'autumn 2018',
      Tentative: true,
      Owners: 'LBH Policy Team',
    });
    expect(fields.OwnerIds).toBeUndefined();
  });
});
