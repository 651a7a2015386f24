import type {
  ActionStatus,
  ATTENDANCE_RESPONSES,
  BOARD_STATUSES,
  CONSULTATION_STATUSES,
  CONVERSATION_TYPES,
  DELIVERY_STATUSES,
  ITEM_PURPOSES,
  ListName,
  MEETING_STATUSES,
} from './schema.js';

/**
 * The fields of each list as TypeScript sees them. The schema's column list is not a literal type,
 * so these are written out; `FIELD_COLUMNS` below must name every key of each type, and a unit
 * test checks it against the schema, so a column added on one side only fails the build or tests.
 *
 * Dates travel as ISO strings; Graph omits empty fields, hence the optional properties.
 */

type Of<T extends readonly string[]> = T[number];

export interface ActionFields {
  Title: string;
  /** The board (team id) the item belongs to; absent on items made before boards (issue 12). */
  BoardId?: string;
  Details?: string;
  ActionRef: string;
  Owners?: string;
  OwnerIds?: string;
  DueDate?: string;
  DueText?: string;
  Tentative?: boolean;
  Status: ActionStatus;
  MeetingRef?: string;
  SourceUrl?: string;
  SourceKey: string;
  LoggedBy?: string;
  LogRef?: string;
}

export interface MeetingFields {
  Title: string;
  /** The board (team id) the item belongs to; absent on items made before boards (issue 12). */
  BoardId?: string;
  MeetingRef: string;
  Board: string;
  StartsAt: string;
  Venue?: string;
  OnlineUrl?: string;
  Chair?: string;
  Status: Of<typeof MEETING_STATUSES>;
  Version?: number;
  Versions?: string;
  ConversationId?: string;
  ActivityId?: string;
  MinutesUrl?: string;
  Invited?: string;
  SourceKey: string;
}

export interface AgendaItemFields {
  Title: string;
  /** The board (team id) the item belongs to; absent on items made before boards (issue 12). */
  BoardId?: string;
  MeetingRef: string;
  ItemNumber: string;
  Sequence?: number;
  Presenter?: string;
  Minutes?: number;
  Purpose?: Of<typeof ITEM_PURPOSES>;
  Papers?: string;
  Decision?: string;
  Details?: string;
  History?: string;
  Withdrawn?: boolean;
  ItemKey: string;
}

export interface AttendanceFields {
  Title: string;
  /** The board (team id) the item belongs to; absent on items made before boards (issue 12). */
  BoardId?: string;
  MeetingRef: string;
  MemberId: string;
  Organisation?: string;
  Response?: Of<typeof ATTENDANCE_RESPONSES>;
  SubstituteName?: string;
  SubstituteOrganisation?: string;
  AttendanceKey: string;
}

export interface ConsultationFields {
  Title: string;
  /** The board (team id) the item belongs to; absent on items made before boards (issue 12). */
  BoardId?: string;
  ConsultationRef: string;
  DocumentUrl?: string;
  Summary?: string;
  Themes?: string;
  Questions?: string;
  ClosesAt?: string;
  Audience?: string;
  Anonymity?: 'Named' | 'Anonymous to partners' | 'Anonymous to everyone';
  CountPer?: 'Person' | 'Organisation';
  Status: Of<typeof CONSULTATION_STATUSES>;
  ConversationId?: string;
  ActivityId?: string;
  OpenedBy?: string;
  YouSaidWeDid?: string;
  Invitees?: string;
  ClosedAt?: string;
  SourceKey: string;
}

export interface FeedbackFields {
  Title: string;
  /** The board (team id) the item belongs to; absent on items made before boards (issue 12). */
  BoardId?: string;
  ConsultationRef: string;
  RespondentId?: string;
  Organisation?: string;
  Answers?: string;
  ThemeRatings?: string;
  History?: string;
  OfficerResponse?: string;
  RespondedBy?: string;
  Submitted?: boolean;
  AnsweredAt?: string;
  FeedbackKey: string;
}

export interface DeliveryFields {
  Title: string;
  /** The board (team id) the item belongs to; absent on items made before boards (issue 12). */
  BoardId?: string;
  DeliveryKey: string;
  Campaign: string;
  RecipientId?: string;
  ConversationId?: string;
  Status: Of<typeof DELIVERY_STATUSES>;
  Attempts?: number;
  LastError?: string;
  SentAt?: string;
  ActivityId?: string;
  AttemptedAt?: string;
  Payload?: string;
}

export interface ConversationFields {
  Title: string;
  /** The board (team id) the item belongs to; absent on items made before boards (issue 12). */
  BoardId?: string;
  ConversationKey: string;
  ConversationId?: string;
  ConversationType?: Of<typeof CONVERSATION_TYPES>;
  UserId?: string;
  TeamId?: string;
  TenantId?: string;
  ServiceUrl?: string;
  Reference?: string;
  Active?: boolean;
}

export interface BoardFields {
  Title: string;
  TeamId: string;
  GroupId?: string;
  Officers?: string;
  Chairs?: string;
  Status: Of<typeof BOARD_STATUSES>;
  History?: string;
  ServiceUrl?: string;
  InstalledBy?: string;
}

export interface ListFieldsMap {
  Boards: BoardFields;
  Actions: ActionFields;
  Meetings: MeetingFields;
  AgendaItems: AgendaItemFields;
  Attendance: AttendanceFields;
  Consultations: ConsultationFields;
  Feedback: FeedbackFields;
  Deliveries: DeliveryFields;
  Conversations: ConversationFields;
}

export type FieldsOf<L extends ListName> = ListFieldsMap[L];

/** Column names of a fields type, as the filter builder and `$select` accept them. */
export type ColumnOf<F> = Extract<keyof F, string>;

const columns = <F>(record: Record<ColumnOf<F>, true>): readonly ColumnOf<F>[] =>
  Object.keys(record) as ColumnOf<F>[];

/** Every column of every fields type; the compiler insists each key is listed. */
export const FIELD_COLUMNS: { readonly [L in ListName]: readonly ColumnOf<FieldsOf<L>>[] } = {
  Boards: columns<BoardFields>({
    Title: true,
    TeamId: true,
    GroupId: true,
    Officers: true,
    Chairs: true,
    Status: true,
    History: true,
    ServiceUrl: true,
    InstalledBy: true,
  }),
  Actions: columns<ActionFields>({
    Title: true,
    BoardId: true,
    Details: true,
    ActionRef: true,
    Owners: true,
    OwnerIds: true,
    DueDate: true,
    DueText: true,
    Tentative: true,
    Status: true,
    MeetingRef: true,
    SourceUrl: true,
    SourceKey: true,
    LoggedBy: true,
    LogRef: true,
  }),
  Meetings: columns<MeetingFields>({
    Title: true,
    BoardId: true,
    MeetingRef: true,
    Board: true,
    StartsAt: true,
    Venue: true,
    OnlineUrl: true,
    Chair: true,
    Status: true,
    Version: true,
    Versions: true,
    ConversationId: true,
    ActivityId: true,
    MinutesUrl: true,
    Invited: true,
    SourceKey: true,
  }),
  AgendaItems: columns<AgendaItemFields>({
    Title: true,
    BoardId: true,
    MeetingRef: true,
    ItemNumber: true,
    Sequence: true,
    Presenter: true,
    Minutes: true,
    Purpose: true,
    Papers: true,
    Decision: true,
    Details: true,
    History: true,
    Withdrawn: true,
    ItemKey: true,
  }),
  Attendance: columns<AttendanceFields>({
    Title: true,
    BoardId: true,
    MeetingRef: true,
    MemberId: true,
    Organisation: true,
    Response: true,
    SubstituteName: true,
    SubstituteOrganisation: true,
    AttendanceKey: true,
  }),
  Consultations: columns<ConsultationFields>({
    Title: true,
    BoardId: true,
    ConsultationRef: true,
    DocumentUrl: true,
    Summary: true,
    Themes: true,
    Questions: true,
    ClosesAt: true,
    Audience: true,
    Anonymity: true,
    CountPer: true,
    Status: true,
    ConversationId: true,
    ActivityId: true,
    OpenedBy: true,
    YouSaidWeDid: true,
    Invitees: true,
    ClosedAt: true,
    SourceKey: true,
  }),
  Feedback: columns<FeedbackFields>({
    Title: true,
    BoardId: true,
    ConsultationRef: true,
    RespondentId: true,
    Organisation: true,
    Answers: true,
    ThemeRatings: true,
    History: true,
    OfficerResponse: true,
    RespondedBy: true,
    Submitted: true,
    AnsweredAt: true,
    FeedbackKey: true,
  }),
  Deliveries: columns<DeliveryFields>({
    Title: true,
    BoardId: true,
    DeliveryKey: true,
    Campaign: true,
    RecipientId: true,
    ConversationId: true,
    Status: true,
    Attempts: true,
    LastError: true,
    SentAt: true,
    ActivityId: true,
    AttemptedAt: true,
    Payload: true,
  }),
  Conversations: columns<ConversationFields>({
    Title: true,
    BoardId: true,
    ConversationKey: true,
    ConversationId: true,
    ConversationType: true,
    UserId: true,
    TeamId: true,
    TenantId: true,
    ServiceUrl: true,
    Reference: true,
    Active: true,
  }),
};
