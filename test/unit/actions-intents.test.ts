import { describe, expect, it } from 'vitest';
import { readIntent } from '../../bot/features/actions/intents.js';

describe('reading what a message about actions asks for', () => {
  it.each([
    'action Sonia Khan to circulate the draft by end of June',
    'action: Sonia Khan to circulate the draft',
    'ACTION - Policy team to write to partners',
    'Action – Jake to book the room',
    'action:',
    'action',
  ])('"%s" logs an action', (text) => {
    expect(readIntent(text)).toEqual({ kind: 'log' });
  });

  it.each([
    ['action A-0042 done', { kind: 'done' }],
    ['action A-0042 DONE.', { kind: 'done' }],
    ['action a-42 completed', { kind: 'done' }],
    ['A-0042 done', { kind: 'done' }],
    ['action A-0042 mark as done', { kind: 'done' }],
    ['action A-0042 start', { kind: 'start' }],
    ['action A-0042 in progress', { kind: 'start' }],
    ['action A-0042 undo', { kind: 'undo' }],
    ['action A-0042 note sent to partners on Friday', { kind: 'note', text: 'sent to partners on Friday' }],
    ['action A-0042 note: O’Brien has the papers', { kind: 'note', text: 'O’Brien has the papers' }],
    ['action A-0042 due 30 June', { kind: 'due', phrase: '30 June' }],
    ['action A-0042 due: end of July (TBC)', { kind: 'due', phrase: 'end of July (TBC)' }],
    ['action A-0042 drop no longer needed', { kind: 'drop', reason: 'no longer needed' }],
    ['action A-0042 dropped because the Cabinet decided', { kind: 'drop', reason: 'the Cabinet decided' }],
    ['action A-0042 drop', { kind: 'drop', reason: '' }],
    [
      'action A-0042 reassign to Sonia Khan and Rachel Duke',
      { kind: 'reassign', owners: 'Sonia Khan and Rachel Duke' },
    ],
  ])('"%s" changes A-0042', (text, change) => {
    const intent = readIntent(text);
    expect(intent?.kind).toBe('change');
    expect(intent).toMatchObject({ change });
    expect((intent as { ref: string }).ref).toMatch(/^A-00\d\d$/);
  });

  it('shows one action by its reference, and names an unknown change rather than logging it', () => {
    expect(readIntent('action A-0042')).toEqual({ kind: 'show', ref: 'A-0042' });
    expect(readIntent('actions A-7')).toEqual({ kind: 'show', ref: 'A-0007' });
    expect(readIntent('action A-0042 is brilliant')).toEqual({
      kind: 'unknownChange',
      ref: 'A-0042',
      rest: 'is brilliant',
    });
  });

  it.each([
    ['actions', 'all', 'open', undefined],
    ['Actions open', 'all', 'open', undefined],
    ["what's open?", 'all', 'open', undefined],
    ['actions overdue', 'all', 'overdue', undefined],
    ["What's overdue?", 'all', 'overdue', undefined],
    ['what’s overdue', 'all', 'overdue', undefined],
    ['anything overdue?', 'all', 'overdue', undefined],
    ['actions mine', 'mine', 'open', undefined],
    ['my actions', 'mine', 'open', undefined],
    ['what do I owe?', 'mine', 'open', undefined],
    ['actions for Sonia', 'person', 'open', 'Sonia'],
    ["actions for Dara O'Brien", 'person', 'open', "Dara O'Brien"],
    ['actions for o’brien', 'person', 'open', "o'brien"],
    ['what does Sonia owe?', 'person', 'open', 'Sonia'],
    ['What does Cllr Nicholson owe', 'person', 'open', 'Cllr Nicholson'],
    ["show me Jake's actions", 'person', 'open', 'Jake'],
    ["Dara O'Brien's actions", 'person', 'open', "Dara O'Brien"],
    ["what's overdue for Sonia?", 'person', 'overdue', 'Sonia'],
    ['actions overdue for Rachel Duke', 'person', 'overdue', 'Rachel Duke'],
    ['actions for me', 'mine', 'open', undefined],
  ])('"%s" asks for %s/%s', (text, scope, view, name) => {
    const intent = readIntent(text);
    expect(intent).toEqual({ kind: 'query', query: { scope, view, ...(name ? { name } : {}) } });
  });

  it('asks for the actions from a meeting', () => {
    expect(readIntent('actions from M-0007')).toEqual({
      kind: 'query',
      query: { scope: 'meeting', view: 'all', meeting: 'M-0007' },
    });
    expect(readIntent('actions from the meeting Feb-2018')).toEqual({
      kind: 'query',
      query: { scope: 'meeting', view: 'all', meeting: 'Feb-2018' },
    });
  });

  it('takes a pasted table after "actions import"', () => {
    expect(readIntent('actions import\nA — Sonia — June\nB — Jake — July')).toEqual({
      kind: 'import',
      text: 'A — Sonia — June\nB — Jake — July',
    });
    expect(readIntent('actions import')).toEqual({ kind: 'import', text: '' });
  });

  it('leaves other messages to other features, and refuses a message far over 10 KB', () => {
    expect(readIntent('help')).toBeUndefined();
    expect(readIntent('agenda new')).toBeUndefined();
    expect(readIntent('transactions are late')).toBeUndefined();
    expect(readIntent(`action ${'x'.repeat(25_000)}`)).toEqual({ kind: 'tooLong' });
  });
});
