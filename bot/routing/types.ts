import type { AdaptiveCard } from '../../cards/adaptive.js';
import type { ConversationType, OutgoingMessage } from '../conversation.js';

export type { ConversationType, OutgoingMessage } from '../conversation.js';

/**
 * What features see of a Teams turn: plain data and a few functions. The edge (bot/app.ts) builds a
 * Turn from botbuilder's TurnContext, so features and their tests never need a turn context.
 */

export type Role = 'officer' | 'chair' | 'partner' | 'stranger';

export interface Actor {
  /** Teams user id (29:…), used to address the person in Teams. */
  id: string;
  /** Entra object id, used in the record and for roles. */
  aadObjectId?: string;
  name: string;
  upn?: string;
  tenantId?: string;
  role: Role;
}

export interface Where {
  conversationId: string;
  type: ConversationType;
  teamId?: string;
  channelId?: string;
  tenantId?: string;
  serviceUrl: string;
}

export interface Mention {
  id: string;
  aadObjectId?: string;
  name: string;
}

export interface RosterMember {
  id: string;
  aadObjectId?: string;
  name: string;
  email?: string;
  upn?: string;
}

export interface IncomingAttachment {
  contentType?: string;
  name?: string;
  content?: unknown;
}

/** The board a turn acts on (issue 12): its team id and name. */
export interface TurnBoard {
  id: string;
  name: string;
}

export interface Turn {
  actor: Actor;
  where: Where;
  /** The board this turn works for; absent for a stranger, or before a person picks one of theirs. */
  board?: TurnBoard;
  /** For a stranger: why they are one, told with every refusal. */
  why?: string;
  /** Stable per delivery of a message: Teams re-sends with the same id, so writes key on it. */
  activityId?: string;
  /** When the person sent it: relative dates ("next Friday") count from here. */
  timestamp: Date;
  /** The text with the bot's @mention, markup and entities removed. */
  text: string;
  mentions: Mention[];
  /** The card a button was pressed on, when there is one. */
  replyToId?: string;
  /** Files and cards attached to the message (a file arrives as a download link). */
  attachments?: IncomingAttachment[];
  reply(message: OutgoingMessage): Promise<string | undefined>;
  update(activityId: string, message: OutgoingMessage): Promise<void>;
  /** Members of this team or chat, all pages. */
  roster(): Promise<RosterMember[]>;
}

/** What a card button does to the card it was pressed on. */
export type VerbOutcome =
  | { kind: 'card'; card: AdaptiveCard }
  | { kind: 'message'; message: string }
  | { kind: 'refused'; message: string };

export interface Dialog {
  title: string;
  card: AdaptiveCard;
  size?: 'small' | 'medium' | 'large';
}

export type DialogOutcome =
  | { kind: 'dialog'; dialog: Dialog }
  | { kind: 'message'; message: string }
  /** Close the dialog, optionally posting a message to the conversation. */
  | { kind: 'close'; post?: OutgoingMessage };

/**
 * A text command: `match` reads the text into the command's intent (undefined when the text is not
 * this command), and `handle` receives that intent, so nothing is parsed twice.
 */
export interface CommandDef<Intent = unknown> {
  name: string;
  match(text: string): Intent | undefined;
  handle(turn: Turn, intent: Intent): Promise<void>;
}

export interface DialogHandlers {
  fetch(data: Record<string, unknown>, turn: Turn): Promise<DialogOutcome>;
  submit(data: Record<string, unknown>, turn: Turn): Promise<DialogOutcome>;
}

/** The message a message action was started from. */
export interface SourceMessage {
  text: string;
  html?: string;
  from?: Mention;
  url?: string;
  id?: string;
  mentions?: Mention[];
  /** When it was posted: relative dates in it count from here, not from the click. */
  sentAt?: Date;
}

/** A message-extension action command (composeExtension/fetchTask + submitAction). */
export interface MessageActionHandlers {
  fetch(message: SourceMessage, turn: Turn): Promise<DialogOutcome>;
  submit(data: Record<string, unknown>, turn: Turn): Promise<DialogOutcome>;
}
