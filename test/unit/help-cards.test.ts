import { describe, expect, it } from 'vitest';
import { helpCard, helpTopicCard, roleCard } from '../../cards/help.js';
import { HELP_TOPICS } from '../../cards/verbs.js';
import { cardProblems, cardText, executeActions } from '../support/cards.js';

describe('help cards', () => {
  const board = 'Community Strategy Partnership Board';

  it('the help card validates and offers the common tasks', () => {
    const c = helpCard({ boardName: board });
    expect(cardProblems(c)).toEqual([]);
    expect(cardText(c)).toContain('Partnership Board');
    expect(executeActions(c).map((a) => a.title)).toEqual([
      'Actions',
      'Agenda packs',
      'Consultations',
      'My role',
    ]);
  });

  it('shows what was not understood as plain text, never as markup', () => {
    const c = helpCard({ boardName: board, notUnderstood: '**bold** [click](https://evil.example)' });
    const runs = JSON.stringify(c);
    expect(runs).toContain('"type":"TextRun","text":"**bold** [click](https://evil.example)"');
    expect(cardProblems(c)).toEqual([]);
  });

  it('cuts a very long unrecognised message', () => {
    const c = helpCard({ boardName: board, notUnderstood: 'x'.repeat(10_000) });
    expect(JSON.stringify(c).length).toBeLessThan(6_000);
  });

  it.each(HELP_TOPICS)('topic card %s validates and leads back to help', (topic) => {
    const c = helpTopicCard(topic);
    expect(cardProblems(c)).toEqual([]);
    expect(executeActions(c).map((a) => a.verb)).toContain('help.show');
  });

  it('role card names the role', () => {
    const c = roleCard({ boardName: board, roleDescription: 'a chair: you can ask about every action' });
    expect(cardProblems(c)).toEqual([]);
    expect(cardText(c)).toContain('you are a chair');
  });

  it('the validator catches a broken card', () => {
    const broken = {
      ...helpCard({ boardName: board }),
      actions: [{ type: 'Action.Execute', title: 'x', verb: 'no.such.verb' }],
    };
    expect(cardProblems(broken as never)).toContain('undeclared verb no.such.verb');
  });

  it("the validator refuses button data named 'key', which the Teams renderer swallows", () => {
    const withKey = {
      ...helpCard({ boardName: board }),
      actions: [{ type: 'Action.Submit', title: 'Save', data: { key: 'abc' } }],
    };
    expect(cardProblems(withKey as never).join()).toContain("field named 'key'");
  });
});
