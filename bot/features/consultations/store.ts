import {
  ConflictError,
  type ConsultationFields,
  type FeedbackFields,
  type FieldsPatch,
  type ListRepository,
} from '../../sharepoint/index.js';
import { referenceProbe } from '../../sharepoint/references.js';
import { formatConsultRef, toConsultation, toFeedback, type Consultation, type Feedback } from './model.js';

/**
 * The `Consultations` and `Feedback` lists for this feature. References are allocated like action
 * references (the highest plus one, the unique column settling a race between processes); every
 * write is idempotent through SourceKey or FeedbackKey, and updates carry the ETag they read.
 */

export type NewConsultationFields = Omit<ConsultationFields, 'ConsultationRef'>;

const PAGE = 5000;

export class ConsultationStore {
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    readonly consultations: ListRepository<ConsultationFields>,
    readonly feedback: ListRepository<FeedbackFields>,
  ) {}

  private serial<T>(work: () => Promise<T>): Promise<T> {
    const run = this.queue.then(work, work);
    this.queue = run.catch(() => undefined);
    return run;
  }

  /** The highest ConsultationRef in use, probed on the unique column (no `$orderby`: sharepoint/references.ts). */
  private async highestRef(from = 0): Promise<number> {
    return referenceProbe(this.consultations, 'ConsultationRef', formatConsultRef)(from);
  }

  /** Creates a consultation with the next reference; the same SourceKey again returns the first. */
  create(fields: NewConsultationFields): Promise<{ consultation: Consultation; created: boolean }> {
    return this.serial(async () => {
      let candidate = (await this.highestRef()) + 1;
      for (let attempt = 1; attempt <= 20; attempt++) {
        try {
          const item = await this.consultations.create(
            { ...fields, ConsultationRef: formatConsultRef(candidate) },
            { keyColumn: 'SourceKey' },
          );
          return { consultation: toConsultation(item), created: item.created !== false };
        } catch (e) {
          if (!(e instanceof ConflictError)) {
            // A create whose answer was lost may still have landed.
            const landed = await this.consultations
              .findByKey('SourceKey', fields.SourceKey)
              .catch(() => undefined);
            if (landed) return { consultation: toConsultation(landed), created: false };
            throw e;
          }
          candidate = Math.max(candidate + 1, (await this.highestRef(candidate)) + 1);
        }
      }
      throw new Error('Could not allocate a consultation reference after 20 attempts');
    });
  }

  async get(ref: string): Promise<Consultation | undefined> {
    const item = await this.consultations.findByKey('ConsultationRef', ref);
    return item ? toConsultation(item) : undefined;
  }

  /** The newest consultations first (open ones before closed), at most `top`. */
  async recent(top = 20): Promise<Consultation[]> {
    const page = await this.consultations.page({
      orderBy: { column: 'ConsultationRef', descending: true },
      top,
    });
    return page.items.map(toConsultation);
  }

  async open(): Promise<Consultation[]> {
    const items = await this.consultations.all({
      filter: this.consultations.filter.eq('Status', 'Open'),
      top: PAGE,
    });
    return items.map(toConsultation);
  }

  async update(
    c: Pick<Consultation, 'id'>,
    mutate: (current: Consultation) => FieldsPatch<ConsultationFields> | undefined,
  ): Promise<Consultation> {
    const item = await this.consultations.updateWithRetry(
      c.id,
      (current) => mutate(toConsultation(current)),
      {
        maxAttempts: 8,
      },
    );
    return toConsultation(item);
  }

  async feedbackFor(ref: string): Promise<Feedback[]> {
    const items = await this.feedback.all({
      filter: this.feedback.filter.eq('ConsultationRef', ref),
      top: PAGE,
    });
    return items.map(toFeedback);
  }

  async feedbackByKey(key: string): Promise<Feedback | undefined> {
    const item = await this.feedback.findByKey('FeedbackKey', key);
    return item ? toFeedback(item) : undefined;
  }

  async feedbackById(id: string): Promise<Feedback | undefined> {
    try {
      return toFeedback(await this.feedback.get(id));
    } catch {
      return undefined;
    }
  }

  /** The person's organisation as they gave it last time, for the form's first fill. */
  async lastOrganisation(respondentId: string): Promise<string | undefined> {
    const page = await this.feedback.page({
      filter: this.feedback.filter.eq('RespondentId', respondentId),
      select: ['Organisation'],
      top: 20,
    });
    return page.items.map((i) => i.fields.Organisation).find((o): o is string => Boolean(o));
  }

  async createFeedback(fields: FeedbackFields): Promise<{ feedback: Feedback; created: boolean }> {
    const item = await this.feedback.create(fields, { keyColumn: 'FeedbackKey' });
    return { feedback: toFeedback(item), created: item.created !== false };
  }

  async updateFeedback(
    id: string,
    mutate: (current: Feedback) => FieldsPatch<FeedbackFields> | undefined,
  ): Promise<Feedback> {
    const item = await this.feedback.updateWithRetry(id, (current) => mutate(toFeedback(current)), {
      maxAttempts: 8,
    });
    return toFeedback(item);
  }
}
