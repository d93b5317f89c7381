/**
 * Reading Influitive's pending list (`GET /reward_redemptions`, "reward redemptions that require
 * fulfillment or refusal") as evidence. Its order, page size and length are not public, so nothing
 * here assumes them: a read follows `links.next` within one run's budget and reports exactly what
 * it saw, including whether it reached the end and whether the list moved under it.
 */
import { clock, Deadline } from '../../shared/deadline';
import { scrubSecrets, secretsOf } from '../../shared/secrets';
import { type Bundle, isJsonObject, type ZObject } from '../../shared/types';
import { callInfluitive, requestTimeoutMs } from '../client';
import {
  normalizeRedemption,
  RedemptionShapeError,
  type RewardRedemption,
  redemptionsFromPage,
  unwrapRedemptionDelivery,
} from '../redemption';

export const FIRST_PAGE = '/reward_redemptions';

/**
 * At most this many list requests per run (1,000 redemptions at Influitive's 25 a page): a run
 * stays inside Zapier's 30 s and leaves most of Influitive's 200 requests per IP in 5 minutes.
 */
export const MAX_REQUESTS_PER_RUN = 40;

/**
 * The one list of statuses that mean a redemption was decided: only words that surely mean the
 * reward was sent or refused. `approved`, `processing`, `in review` and any other word may mean
 * "approved, awaiting fulfillment" on a hub, so such a redemption is still the Zap's to fulfill.
 */
export const DECIDED_STATUSES: readonly string[] = [
  'fulfilled',
  'refused',
  'rejected',
  'declined',
  'cancelled',
  'canceled',
  'expired',
  'shipped',
  'delivered',
  'completed',
];

export const isDecidedStatus = (status: string): boolean =>
  DECIDED_STATUSES.includes(status.trim().toLowerCase().replace(/\s+/g, '_'));

export const isStillPending = (redemption: Pick<RewardRedemption, 'status'>): boolean =>
  !isDecidedStatus(redemption.status);

/** The ids a redemption can be named by: its id and, when the API gives one, its uuid. */
export const idsOf = (redemption: RewardRedemption): string[] => {
  const uuid = typeof redemption.uuid === 'string' ? redemption.uuid.trim() : '';
  return uuid === '' || uuid === redemption.id ? [redemption.id] : [redemption.id, uuid];
};

/** The `links.next` of a page, or null at the end of the list. */
export const nextLink = (body: unknown): string | null => {
  if (!isJsonObject(body) || !isJsonObject(body.links)) return null;
  const next = body.links.next;
  return typeof next === 'string' && next.trim() !== '' ? next.trim() : null;
};

/** One run's budget: Zapier's 30 s (as a 25 s deadline) and a cap on list requests. */
export class RunBudget {
  requests = 0;
  /** The slowest request so far: none is started that could not end before the deadline. */
  slowestMs = 0;

  constructor(
    readonly deadline: Deadline = new Deadline(),
    readonly maxRequests: number = MAX_REQUESTS_PER_RUN,
  ) {}

  /** Why no further request can be made, or undefined when one can. */
  blocked(): 'requests' | 'deadline' | undefined {
    if (this.requests >= this.maxRequests) return 'requests';
    if (this.deadline.spent() || this.deadline.remainingMs() < this.slowestMs) return 'deadline';
    return undefined;
  }
}

export interface Page {
  url: string;
  redemptions: RewardRedemption[];
  next: string | null;
}

/** Where pages come from: Influitive in production, a model of it in the simulation. */
export type PageSource = (url: string, budget: RunBudget) => Promise<Page>;

/** Influitive's own pages, normalised; a listed item without an id is logged and skipped. */
export const influitivePages =
  (z: ZObject, bundle: Bundle): PageSource =>
  async (url, budget) => {
    const { data } = await clock().busy(
      callInfluitive(z, bundle, {
        method: 'GET',
        path: url,
        timeoutMs: budget.deadline.timeoutFor(requestTimeoutMs()),
      }),
    );
    const listed = redemptionsFromPage(data);
    const redemptions: RewardRedemption[] = [];
    for (const raw of listed.redemptions) {
      try {
        redemptions.push(
          normalizeRedemption(raw, {
            contacts: listed.contacts,
            defaultStatus: 'pending',
            orgId: bundle.authData.org_id,
          }),
        );
      } catch (error) {
        if (!(error instanceof RedemptionShapeError)) throw error;
        z.console.log(
          scrubSecrets(
            `Skipped a pending redemption Influitive listed: ${error.message}`,
            secretsOf(bundle),
          ),
        );
      }
    }
    return { url, redemptions, next: nextLink(data) };
  };

/** One redemption by id, or undefined when the API does not answer it (a 404). */
export type RecordSource = (id: string, budget: RunBudget) => Promise<RewardRedemption | undefined>;

/** `GET /reward_redemptions/{id}`, which some hubs answer (the doctor checks); a 404 is undefined. */
export const influitiveRecord =
  (z: ZObject, bundle: Bundle): RecordSource =>
  async (id, budget) => {
    budget.requests += 1;
    const answer = await clock().busy(
      callInfluitive(z, bundle, {
        method: 'GET',
        path: `/reward_redemptions/${encodeURIComponent(id)}`,
        timeoutMs: budget.deadline.timeoutFor(requestTimeoutMs()),
        onStatus: (status) => (status === 404 ? new RecordNotAnswered() : undefined),
      }).catch((error: unknown) => {
        if (error instanceof RecordNotAnswered) return undefined;
        throw error;
      }),
    );
    if (answer === undefined) return undefined;
    try {
      const { redemption, contacts } = unwrapRedemptionDelivery(answer.data);
      return normalizeRedemption(redemption, {
        contacts,
        defaultStatus: 'pending',
        orgId: bundle.authData.org_id,
      });
    } catch (error) {
      if (error instanceof RedemptionShapeError) return undefined;
      throw error;
    }
  };

class RecordNotAnswered extends Error {}

/** The list cannot be read to its end however many requests a run makes. */
export class UnreadableListError extends Error {
  override name = 'UnreadableListError';
}

/** Empty pages in a row, each with a next link, after which the list is called endless. */
export const MAX_EMPTY_PAGES = 5;

export interface ListRead {
  pages: Page[];
  redemptions: RewardRedemption[];
  /** The last page read had no next link. */
  complete: boolean;
  stop: 'end' | 'match' | 'requests' | 'deadline';
  /** Where the read would continue. */
  next: string | null;
}

/**
 * Follows `links.next` from `from` until the end, `stopWhen` says stop after a page, the request
 * cap or the deadline. A link back to a page this read already visited, or endless empty pages, is
 * an UnreadableListError: following it would spend the run and prove nothing.
 */
export const readFrom = async (
  source: PageSource,
  budget: RunBudget,
  from: string,
  stopWhen?: (page: Page, read: readonly Page[]) => boolean,
): Promise<ListRead> => {
  const pages: Page[] = [];
  const visited = new Set<string>();
  let url: string | null = from;
  let emptyInARow = 0;
  const result = (stop: ListRead['stop'], next: string | null): ListRead => ({
    pages,
    redemptions: pages.flatMap((page) => page.redemptions),
    complete: next === null,
    stop,
    next,
  });
  while (url !== null) {
    if (visited.has(url)) {
      throw new UnreadableListError(
        `its "next" link leads back to a page already read (${pages.length} pages in), so the list never ends`,
      );
    }
    const blocked = budget.blocked();
    if (blocked) return result(blocked, url);
    visited.add(url);
    budget.requests += 1;
    const startedAt = clock().now();
    const page = await source(url, budget);
    budget.slowestMs = Math.max(budget.slowestMs, clock().now() - startedAt);
    pages.push(page);
    emptyInARow = page.redemptions.length === 0 && page.next !== null ? emptyInARow + 1 : 0;
    if (emptyInARow >= MAX_EMPTY_PAGES) {
      throw new UnreadableListError(
        `it answered ${emptyInARow} empty pages in a row, each with a "next" link, so the list never ends`,
      );
    }
    url = page.next;
    if (url !== null && stopWhen?.(page, pages)) return result('match', url);
  }
  return result('end', null);
};

/**
 * True when two complete reads of the list hold the same ids, each once: the list did not move
 * while they were read, so neither can have skipped a redemption. (Paging by offset skips an item
 * when another is decided between two page reads; that read then differs from the next one.)
 */
export const readsAgree = (a: readonly string[], b: readonly string[]): boolean => {
  if (a.length !== b.length) return false;
  const first = new Set(a);
  if (first.size !== a.length) return false;
  const second = new Set(b);
  return second.size === b.length && b.every((id) => first.has(id));
};
