import { describe, expect, it } from 'vitest';
import { LIST_NAMES } from '../../bot/sharepoint/schema.js';
import { useE2eStack } from '../support/stack.js';

describe('help, in the Agents Playground', () => {
  const e2e = useE2eStack();

  it('the stack `npm run dev` starts serves the eight lists, as Graph would list them', async () => {
    const res = await fetch(`${e2e.stack.listsUrl}/v1.0/sites/root/lists`);
    expect(res.status).toBe(200);
    const { value } = (await res.json()) as { value: { displayName?: string; name?: string }[] };
    expect(value.map((l) => l.displayName ?? l.name).sort()).toEqual([...LIST_NAMES].sort());
  });

  it('answers "help" in the personal chat with the help card, and opens a topic in place', async () => {
    const pg = await e2e.open();

    const help = await pg.expectNewCard({ heading: 'Partnership Board' }, () => pg.sendPersonal('help'));
    expect(await pg.cardButtons(help)).toEqual(['Actions', 'Agenda packs', 'Consultations', 'My role']);

    const helpCards = await pg.cards({ heading: 'Partnership Board' }).count();
    const topic = await pg.clickAndWaitForCard(help, 'Actions', { heading: 'Actions' });
    const text = await pg.cardText(topic);
    expect(text).toMatch(/log an action/i);
    expect(text).toMatch(/overdue/i);
    // Action.Execute replaced the help card in place rather than adding a message.
    expect(await pg.cards({ heading: 'Partnership Board' }).count()).toBe(helpCards - 1);

    // And back again.
    await pg.clickAndWaitForCard(topic, 'Back to help', { heading: 'Partnership Board' });
  });

  it('tells the officer they are an officer (the dev roles reach the bot)', async () => {
    const pg = await e2e.open();
    const help = await pg.expectNewCard({ heading: 'Partnership Board' }, () => pg.sendPersonal('help'));
    const role = await pg.clickAndWaitForCard(help, 'My role', { heading: 'Your role' });
    expect(await pg.cardText(role)).toMatch(/you are an officer/i);
  });

  it('answers an @mention in the General channel in the thread, and ignores a post without one', async () => {
    const pg = await e2e.open();
    const quiet = await pg.postInChannel('morning all, papers to follow', { mention: false });
    const thread = await pg.postInChannel('help');
    const help = await pg.waitForCard({ heading: 'Partnership Board', within: thread });
    expect(await pg.cardText(help)).toMatch(/@mention me/i);
    // Only the mentioned post was answered.
    expect(await pg.cards({ within: quiet }).count()).toBe(0);
  });
});

describe('roles, signed in as someone else', () => {
  const e2e = useE2eStack({ user: 'jake' });

  it('tells a partner, then the chair, their role', async () => {
    const partner = await e2e.open();
    const help = await partner.expectNewCard({ heading: 'Partnership Board' }, () =>
      partner.sendPersonal('help'),
    );
    const role = await partner.clickAndWaitForCard(help, 'My role', { heading: 'Your role' });
    expect(await partner.cardText(role)).toMatch(/you are a partner/i);

    const chair = await e2e.openAs('chair');
    const help2 = await chair.expectNewCard({ heading: 'Partnership Board' }, () =>
      chair.sendPersonal('help'),
    );
    const role2 = await chair.clickAndWaitForCard(help2, 'My role', { heading: 'Your role' });
    expect(await chair.cardText(role2)).toMatch(/you are a chair/i);
  });
});
