/**
 * Typed builders for the Adaptive Card 1.5 elements Partnership Board uses. Card modules compose
 * these; nothing else writes card JSON by hand, so every card is the same shape of object.
 */

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

export type TextSize = 'Small' | 'Default' | 'Medium' | 'Large' | 'ExtraLarge';
export type TextWeight = 'Lighter' | 'Default' | 'Bolder';
export type TextColor = 'Default' | 'Dark' | 'Light' | 'Accent' | 'Good' | 'Warning' | 'Attention';
export type Spacing = 'None' | 'Small' | 'Default' | 'Medium' | 'Large' | 'ExtraLarge' | 'Padding';

interface ElementBase {
  id?: string;
  spacing?: Spacing;
  separator?: boolean;
  isVisible?: boolean;
}

export interface TextBlock extends ElementBase {
  type: 'TextBlock';
  text: string;
  wrap?: boolean;
  size?: TextSize;
  weight?: TextWeight;
  color?: TextColor;
  isSubtle?: boolean;
  maxLines?: number;
  style?: 'default' | 'heading';
}

export interface TextRun {
  type: 'TextRun';
  text: string;
  size?: TextSize;
  weight?: TextWeight;
  color?: TextColor;
  isSubtle?: boolean;
  italic?: boolean;
}

export interface RichTextBlock extends ElementBase {
  type: 'RichTextBlock';
  inlines: TextRun[];
}

export interface FactSet extends ElementBase {
  type: 'FactSet';
  facts: { title: string; value: string }[];
}

export interface Column {
  type: 'Column';
  width?: 'auto' | 'stretch' | string;
  items: CardElement[];
  verticalContentAlignment?: 'Top' | 'Center' | 'Bottom';
}

export interface ColumnSet extends ElementBase {
  type: 'ColumnSet';
  columns: Column[];
}

export interface Container extends ElementBase {
  type: 'Container';
  items: CardElement[];
  style?: 'default' | 'emphasis' | 'good' | 'attention' | 'warning' | 'accent';
}

export interface ActionSet extends ElementBase {
  type: 'ActionSet';
  actions: CardAction[];
}

export interface InputText extends ElementBase {
  type: 'Input.Text';
  id: string;
  label?: string;
  placeholder?: string;
  value?: string;
  isMultiline?: boolean;
  maxLength?: number;
  isRequired?: boolean;
  errorMessage?: string;
  regex?: string;
}

export interface InputDate extends ElementBase {
  type: 'Input.Date';
  id: string;
  label?: string;
  value?: string;
  min?: string;
  max?: string;
  isRequired?: boolean;
  errorMessage?: string;
}

export interface InputChoiceSet extends ElementBase {
  type: 'Input.ChoiceSet';
  id: string;
  label?: string;
  choices: { title: string; value: string }[];
  value?: string;
  style?: 'compact' | 'expanded';
  isMultiSelect?: boolean;
  isRequired?: boolean;
  errorMessage?: string;
}

export interface InputToggle extends ElementBase {
  type: 'Input.Toggle';
  id: string;
  title: string;
  label?: string;
  value?: 'true' | 'false';
  valueOn?: string;
  valueOff?: string;
}

export type CardElement =
  | TextBlock
  | RichTextBlock
  | FactSet
  | ColumnSet
  | Container
  | ActionSet
  | InputText
  | InputDate
  | InputChoiceSet
  | InputToggle;

export interface ExecuteAction {
  type: 'Action.Execute';
  title: string;
  verb: string;
  data?: { [key: string]: Json };
  style?: 'default' | 'positive' | 'destructive';
  associatedInputs?: 'auto' | 'none';
  tooltip?: string;
}

/** Dialogs (task modules) submit with Action.Submit; cards in chat use Action.Execute. */
export interface SubmitAction {
  type: 'Action.Submit';
  title: string;
  data?: { [key: string]: Json };
  style?: 'default' | 'positive' | 'destructive';
  associatedInputs?: 'auto' | 'none';
}

export interface OpenUrlAction {
  type: 'Action.OpenUrl';
  title: string;
  url: string;
}

export interface ShowCardAction {
  type: 'Action.ShowCard';
  title: string;
  card: AdaptiveCard;
}

export type CardAction = ExecuteAction | SubmitAction | OpenUrlAction | ShowCardAction;

export interface AdaptiveCard {
  type: 'AdaptiveCard';
  $schema: string;
  version: '1.5';
  body: CardElement[];
  actions?: CardAction[];
  /** Universal Actions: who gets a personalised refresh of this card. */
  refresh?: { action: ExecuteAction; userIds?: string[] };
  msteams?: { width?: 'Full' };
  fallbackText?: string;
}

export const CARD_SCHEMA = 'http://adaptivecards.io/schemas/adaptive-card.json';

export function card(
  body: CardElement[],
  actions: CardAction[] = [],
  extra: Partial<AdaptiveCard> = {},
): AdaptiveCard {
  return {
    type: 'AdaptiveCard',
    $schema: CARD_SCHEMA,
    version: '1.5',
    body,
    ...(actions.length ? { actions } : {}),
    ...extra,
  };
}

/** Markdown-free text written by us: headings, labels, counts. */
export function text(value: string, opts: Omit<TextBlock, 'type' | 'text'> = {}): TextBlock {
  return { type: 'TextBlock', text: value, wrap: true, ...opts };
}

export function heading(value: string, opts: Omit<TextBlock, 'type' | 'text'> = {}): TextBlock {
  return {
    type: 'TextBlock',
    text: value,
    wrap: true,
    size: 'Large',
    weight: 'Bolder',
    style: 'heading',
    ...opts,
  };
}

/**
 * Text that people typed. TextRun never interprets markdown, so "*urgent*" or "[link](…)" show
 * exactly as written and nobody can smuggle formatting or links into someone else's card.
 */
export function userText(
  value: string,
  opts: Omit<TextRun, 'type' | 'text'> & ElementBase = {},
): RichTextBlock {
  const { id, spacing, separator, isVisible, ...run } = opts;
  return {
    type: 'RichTextBlock',
    inlines: [{ type: 'TextRun', text: value, ...run }],
    ...(id ? { id } : {}),
    ...(spacing ? { spacing } : {}),
    ...(separator ? { separator } : {}),
    ...(isVisible === false ? { isVisible } : {}),
  };
}

/** Runs of text in one block: plain strings, or runs with their own weight, colour or style. */
export function runs(
  parts: (string | Omit<TextRun, 'type'>)[],
  opts: { spacing?: 'None' | 'Small' | 'Medium'; separator?: boolean } = {},
): RichTextBlock {
  return {
    type: 'RichTextBlock',
    inlines: parts.map((p) =>
      typeof p === 'string' ? { type: 'TextRun', text: p } : { type: 'TextRun', ...p },
    ),
    ...(opts.spacing ? { spacing: opts.spacing } : {}),
    ...(opts.separator ? { separator: true } : {}),
  };
}

export function facts(pairs: [string, string][], opts: ElementBase = {}): FactSet {
  return { type: 'FactSet', facts: pairs.map(([title, value]) => ({ title, value })), ...opts };
}

export function container(items: CardElement[], opts: Omit<Container, 'type' | 'items'> = {}): Container {
  return { type: 'Container', items, ...opts };
}

export function columns(cols: Column[], opts: ElementBase = {}): ColumnSet {
  return { type: 'ColumnSet', columns: cols, ...opts };
}

export function column(items: CardElement[], width: Column['width'] = 'stretch'): Column {
  return { type: 'Column', width, items };
}

/** A label and its value side by side: the label in a column of `labelWidth`. */
export function labelled(label: string, value: CardElement, labelWidth: `${number}px`): ColumnSet {
  return columns(
    [
      { type: 'Column', width: labelWidth, items: [text(label, { weight: 'Bolder', spacing: 'None' })] },
      column([value]),
    ],
    { spacing: 'Small' },
  );
}

export function actionSet(actions: CardAction[], opts: ElementBase = {}): ActionSet {
  return { type: 'ActionSet', actions, ...opts };
}

export function submit(
  title: string,
  data: { [key: string]: Json } = {},
  opts: Pick<SubmitAction, 'style' | 'associatedInputs'> = {},
): SubmitAction {
  return { type: 'Action.Submit', title, data, ...opts };
}

export function openUrl(title: string, url: string): OpenUrlAction {
  return { type: 'Action.OpenUrl', title, url };
}

/** The card with a line above it saying what just happened (in bold, or in red for a refusal). */
export function withLead(c: AdaptiveCard, line: string, opts: { color?: TextColor } = {}): AdaptiveCard {
  return { ...c, body: [text(line, { weight: 'Bolder', ...opts }), ...c.body] };
}

/** Size of a card as sent; Teams refuses messages over about 40 KB. */
export function cardBytes(c: AdaptiveCard): number {
  return Buffer.byteLength(JSON.stringify(c), 'utf8');
}

export const CARD_BUDGET_BYTES = 40 * 1024;

/** Whether a card fits Teams' budget, keeping `margin` bytes spare (for what is added later). */
export function fitsBudget(c: AdaptiveCard, margin = 0): boolean {
  return cardBytes(c) <= CARD_BUDGET_BYTES - margin;
}
