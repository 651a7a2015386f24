import { describe, expect, it } from 'vitest';
import { useE2eStack } from '../support/stack.js';

describe('help, in the Agents Playground', () => {
  const e2e = useE2eStack();

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
