import { VERBS, verbByName, type VerbData, type VerbKey } from '../../cards/verbs.js';
import { refusal, EVERYONE } from './roles.js';
import type {
  CommandDef,
  DialogHandlers,
  DialogOutcome,
  MessageActionHandlers,
  Role,
  Turn,
  VerbOutcome,
} from './types.js';

/**
 * Routes per activity family, as plain TypeScript: text commands, card verbs, dialogs and message
 * actions. Features register here (bot/features/<name>/index.ts); the edge only translates activities.
 * Every entry names the roles it allows, and the router refuses anyone else before a handler runs.
 */

type Guarded<T> = T & { allow: readonly Role[]; what: string };

export type VerbHandler<K extends VerbKey> = (data: VerbData<K>, turn: Turn) => Promise<VerbOutcome>;

export class Router {
  private readonly commands: Guarded<CommandDef>[] = [];
  private readonly verbs = new Map<
    string,
    Guarded<{ handle: (data: unknown, turn: Turn) => Promise<VerbOutcome> }>
  >();
  private readonly dialogs = new Map<string, Guarded<DialogHandlers>>();
  private readonly messageActions = new Map<string, Guarded<MessageActionHandlers>>();
  private unknownText: (turn: Turn) => Promise<void> = async (turn) => {
    await turn.reply({ text: 'Sorry, I didn\'t understand that. Type "help" to see what I can do.' });
  };

  command(def: CommandDef, guard: { allow?: readonly Role[]; what?: string } = {}): this {
    this.commands.push({ ...def, allow: guard.allow ?? EVERYONE, what: guard.what ?? `use "${def.name}"` });
    return this;
  }

  verb<K extends VerbKey>(
    key: K,
    handle: VerbHandler<K>,
    guard: { allow?: readonly Role[]; what?: string } = {},
  ): this {
    const name = VERBS[key].name;
    if (this.verbs.has(name)) throw new Error(`Card verb ${name} has two handlers`);
    this.verbs.set(name, {
      handle: (data, turn) => handle(data as VerbData<K>, turn),
      allow: guard.allow ?? EVERYONE,
      what: guard.what ?? VERBS[key].description.toLowerCase(),
    });
    return this;
  }

  dialog(
    name: string,
    handlers: DialogHandlers,
    guard: { allow?: readonly Role[]; what?: string } = {},
  ): this {
    this.dialogs.set(name, {
      ...handlers,
      allow: guard.allow ?? EVERYONE,
      what: guard.what ?? `open ${name}`,
    });
    return this;
  }

  messageAction(
    commandId: string,
    handlers: MessageActionHandlers,
    guard: { allow?: readonly Role[]; what?: string } = {},
  ): this {
    this.messageActions.set(commandId, {
      ...handlers,
      allow: guard.allow ?? EVERYONE,
      what: guard.what ?? `use ${commandId}`,
    });
    return this;
  }

  onUnknownText(handler: (turn: Turn) => Promise<void>): this {
    this.unknownText = handler;
    return this;
  }

  /** Registered verb names, for the test that checks every declared verb has a handler. */
  verbNames(): string[] {
    return [...this.verbs.keys()];
  }

  commandNames(): string[] {
    return this.commands.map((c) => c.name);
  }

  async handleText(turn: Turn): Promise<void> {
    for (const cmd of this.commands) {
      const args = cmd.match(turn.text);
      if (!args) continue;
      if (!cmd.allow.includes(turn.actor.role)) {
        await turn.reply({ text: refusal(cmd.allow, cmd.what) });
        return;
      }
      await cmd.handle(turn, args);
      return;
    }
    await this.unknownText(turn);
  }

  async handleVerb(verbName: unknown, rawData: unknown, turn: Turn): Promise<VerbOutcome> {
    const def = typeof verbName === 'string' ? verbByName(verbName) : undefined;
    const entry = def ? this.verbs.get(def.name) : undefined;
    if (!def || !entry) {
      return {
        kind: 'message',
        message:
          'That button is from an older version of this card and no longer does anything. Type "help" for a fresh one.',
      };
    }
    if (!entry.allow.includes(turn.actor.role))
      return { kind: 'refused', message: refusal(entry.allow, entry.what) };
    const parsed = def.data.safeParse(stripCardNoise(rawData));
    if (!parsed.success) {
      return {
        kind: 'message',
        message:
          'That card sent something I could not read, so nothing was changed. Please try again from a fresh card.',
      };
    }
    return entry.handle(parsed.data, turn);
  }

  async handleDialog(
    phase: 'fetch' | 'submit',
    name: unknown,
    data: Record<string, unknown>,
    turn: Turn,
  ): Promise<DialogOutcome> {
    const entry = typeof name === 'string' ? this.dialogs.get(name) : undefined;
    if (!entry)
      return { kind: 'message', message: 'That form is not available any more. Type "help" to start again.' };
    if (!entry.allow.includes(turn.actor.role))
      return { kind: 'message', message: refusal(entry.allow, entry.what) };
    return entry[phase](data, turn);
  }

  async handleMessageAction(
    phase: 'fetch' | 'submit',
    commandId: unknown,
    payload: Parameters<MessageActionHandlers['fetch']>[0] | Record<string, unknown>,
    turn: Turn,
  ): Promise<DialogOutcome> {
    const entry = typeof commandId === 'string' ? this.messageActions.get(commandId) : undefined;
    if (!entry)
      return {
        kind: 'message',
        message: 'I don\'t know that message action. Type "help" to see what I can do.',
      };
    if (!entry.allow.includes(turn.actor.role))
      return { kind: 'message', message: refusal(entry.allow, entry.what) };
    return phase === 'fetch'
      ? entry.fetch(payload as Parameters<MessageActionHandlers['fetch']>[0], turn)
      : entry.submit(payload as Record<string, unknown>, turn);
  }
}

/** Card payloads may carry our `verb` (Action.Submit fallback) and Teams' `msteams` block: not data. */
function stripCardNoise(raw: unknown): unknown {
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return raw ?? {};
  const { verb: _verb, msteams: _msteams, ...rest } = raw as Record<string, unknown>;
  return rest;
}
