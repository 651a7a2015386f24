import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../bot/config.js';
import { buildRouter } from '../../bot/index.js';
import { silentLogger } from '../../bot/logger.js';
import { createListsLayer } from '../../bot/sharepoint/index.js';
import { LOG_AS_ACTION_COMMAND } from '../../cards/actions-dialogs.js';
import { buildPackage, settingsFromEnv } from '../../manifest/build.js';
import { BOT_SCOPES, manifestCommands } from '../../manifest/validate.js';
import { fakeTurn } from '../support/turns.js';

/**
 * Every command the manifest offers in Teams' command menu, and its message action, reach a
 * handler in the composed bot (not the "I didn't recognise this" help). Turns come from a stranger,
 * whom the router refuses before any handler touches the lists, so nothing here does I/O.
 */

const manifest = buildPackage(settingsFromEnv({}, '0.1.0').settings).manifest;
const commands = manifestCommands(manifest);

function composedRouter() {
  const config = loadConfig({});
  const router = buildRouter(config, createListsLayer(config.graph, silentLogger));
  const unknown: string[] = [];
  router.onUnknownText(async (turn) => void unknown.push(turn.text));
  return { router, unknown };
}

const strangerTurn = (text: string) =>
  fakeTurn({ text, role: 'stranger', actor: { id: '29:stranger', name: 'Someone Else' } });

describe('the manifest command lists', () => {
  it('offer the same five commands in every scope', () => {
    for (const scope of BOT_SCOPES)
      expect(commands.get(scope)).toEqual(['help', 'action', 'actions', 'agenda', 'consult']);
  });

  const { router } = composedRouter();
  const registered = new Set(router.commandNames().map((n) => n.split(' ')[0]!.toLowerCase()));
  const titles = [...new Set([...commands.values()].flat())];

  it('name only features that are registered', () => {
    expect(titles.filter((t) => !registered.has(t))).toEqual([]);
  });

  for (const title of titles) {
    // Teams puts the title in the compose box; sent as it is, the bot must answer it.
    it(`"${title}" reaches a command`, async () => {
      expect(registered.has(title)).toBe(true);
      const { router: r, unknown } = composedRouter();
      const turn = strangerTurn(title);
      await r.handleText(turn);
      expect(unknown).toEqual([]);
      expect(turn.sent.length).toBeGreaterThan(0);
    });
  }

  it('and the message action is the one the bot handles', async () => {
    const ext = (manifest.composeExtensions as { commands: { id: string }[] }[])[0]!;
    expect(ext.commands.map((c) => c.id)).toEqual([LOG_AS_ACTION_COMMAND]);
    const outcome = await router.handleMessageAction(
      'fetch',
      LOG_AS_ACTION_COMMAND,
      { text: 'Sonia Khan to share the procurement strategy' },
      strangerTurn(''),
    );
    expect(outcome).not.toEqual(
      expect.objectContaining({ message: expect.stringContaining("don't know that message action") }),
    );
    expect(outcome.kind).toBe('message');
  });
});
