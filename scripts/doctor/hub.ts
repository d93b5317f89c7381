/**
 * The doctor's four requests, made by the app's own code (the connection test, the Reward
 * dropdown's trigger, the client) inside zapier-platform-core's handler, so the headers, the base
 * URL and the mapping of every failure to a `z.errors` type are exactly what a Zap gets.
 */

import type { HttpResponse } from 'zapier-platform-core';
import * as core from 'zapier-platform-core';
import App from '../../src';
import { connectionLabel, testConnection } from '../../src/authentication';
import { callInfluitive } from '../../src/influitive/client';
import type { Member } from '../../src/influitive/member';
import { redemptionsFromPage, unwrapRedemptionDelivery } from '../../src/influitive/redemption';
import { listRewards, type Reward } from '../../src/influitive/triggers/reward';
import { scrubSecrets } from '../../src/shared/secrets';
import { type Bundle, idString, isJsonObject, type ZObject } from '../../src/shared/types';
import { zapierErrorParts } from '../../src/shared/zapier-errors';

export const MAX_REQUESTS = 4;

export type HubStep = 'connection' | 'rewards' | 'redemptions' | 'record';

export interface RequestMade {
  method: string;
  /** Path and query, without the host. */
  path: string;
  /** null when no answer came (refused, reset, timed out). */
  status: number | null;
}

export interface HubFailure {
  step: HubStep;
  /** The z.errors type: `ExpiredAuthError`, `ThrottledError`, `AppError` (with `code`), … */
  type: string;
  code: string | undefined;
  message: string;
}

export interface HubReading {
  requests: RequestMade[];
  me?: { member: Member; label: string };
  /** The Reward dropdown's choices and the raw body they came from (for its paging link). */
  rewards?: { rewards: Reward[]; body: unknown };
  /** Whether `GET /reward_redemptions/{id}` answered the first listed redemption itself. */
  record?: { id: string; status: number; answers: boolean };
  /** The first page of `GET /reward_redemptions`, as parsed by the client. */
  page?: unknown;
  failure?: HubFailure;
}

export interface HubCredentials {
  token: string;
  orgId: string;
}

type RequestFn = ZObject['request'];
type Perform = (z: ZObject, bundle: Bundle) => Promise<unknown>;
// core exports createAppHandler at run time but its typings leave it out.
const { createAppHandler } = core as unknown as {
  createAppHandler: (app: unknown) => (event: unknown) => Promise<{ results: unknown }>;
};

/**
 * Runs `perform` inside core's Lambda handler with the real app definition, the way
 * `zapier-platform invoke` runs an operation (`calledFromCli` also keeps core's per-run memory
 * line off stdout).
 */
const runInCore = async (perform: Perform, bundle: Record<string, unknown>): Promise<void> => {
  const handler = createAppHandler({ ...App, _doctorRead: perform });
  await handler({
    command: 'execute',
    method: '_doctorRead',
    calledFromCli: true,
    bundle: { inputData: {}, ...bundle },
  });
};

/**
 * `z` with its request client wrapped: every request is recorded, anything but a GET and any
 * request beyond the third are refused before they leave, so the doctor cannot change the hub.
 */
export const guardedZ = (z: ZObject, requests: RequestMade[], bodies: string[]): ZObject => {
  const send = z.request as unknown as (...args: unknown[]) => Promise<HttpResponse>;
  const request = async (...args: unknown[]): Promise<HttpResponse> => {
    const [first, second] = args;
    const options = (typeof first === 'string' ? { ...(second as object), url: first } : first) as {
      url: string;
      method?: string;
    };
    const method = (options.method ?? 'GET').toUpperCase();
    if (method !== 'GET' || requests.length >= MAX_REQUESTS) {
      throw new Error(
        `The doctor only reads: it refused ${method} ${options.url} (request ${requests.length + 1} of at most ${MAX_REQUESTS}, GET only).`,
      );
    }
    const url = new URL(options.url);
    const made: RequestMade = { method, path: `${url.pathname}${url.search}`, status: null };
    requests.push(made);
    const response = await send(...args);
    made.status = response.status;
    // The app's client asks for the raw response and reads its text once: read it here, keep a
    // copy, and hand the same text on.
    const reader = (response as { text?: () => Promise<string> }).text;
    if (typeof reader === 'function') {
      const text = await reader.call(response);
      bodies.push(text);
      Object.defineProperty(response, 'text', { value: async () => text });
    } else {
      bodies.push(response.content ?? '');
    }
    return response;
  };
  return { ...z, request: request as unknown as RequestFn };
};

interface Progress {
  reading: HubReading;
  /** The step running, for naming the one that failed. */
  step: HubStep;
  /** Raw bodies of the requests made, in order. */
  bodies: string[];
}

/** The three steps, each recorded as soon as it succeeds. */
const readSteps = async (z: ZObject, bundle: Bundle, progress: Progress): Promise<void> => {
  const { reading, bodies } = progress;
  // With both credentials set, the connection test always calls Influitive and returns the member.
  const member = (await testConnection(z, bundle)) as Member;
  reading.me = { member, label: connectionLabel(z, { ...bundle, inputData: member }) };
  progress.step = 'rewards';
  const rewards = await listRewards(z, bundle);
  // listRewards keeps only the list; the paging link is in the body it was read from.
  reading.rewards = { rewards, body: JSON.parse(bodies.at(-1) ?? 'null') };
  progress.step = 'redemptions';
  const { data } = await callInfluitive(z, bundle, { method: 'GET', path: '/reward_redemptions' });
  reading.page = data;
  // Does GET /reward_redemptions/{id} answer a redemption the list holds as pending? If it does,
  // the webhook trigger can confirm each delivery with that one request (its "Influitive Answers
  // Single Redemptions" input).
  const [first] = redemptionsFromPage(data).redemptions;
  const id = isJsonObject(first) ? idString(first.id) : undefined;
  if (id === undefined || !/^[\w-]+$/.test(id)) return;
  progress.step = 'record';
  const answer = await callInfluitive(z, bundle, {
    method: 'GET',
    path: `/reward_redemptions/${encodeURIComponent(id)}`,
    onStatus: (status) => new RecordNotServed(status),
  }).catch((error: unknown) => {
    if (error instanceof RecordNotServed) return { status: error.status, data: undefined };
    throw error;
  });
  const record = unwrapRedemptionDelivery(answer.data ?? {}).redemption;
  reading.record = { id, status: answer.status, answers: idString(record.id) === id };
};

/** The single-record endpoint answered an error status: a finding, not a failure. */
class RecordNotServed extends Error {
  constructor(readonly status: number) {
    super(`GET /reward_redemptions/{id} answered ${status}`);
  }
}

/**
 * Connection test, one page of rewards, one page of pending redemptions: at most three GETs, and
 * the first failure stops the rest (a bad token or a firewall block would fail them all alike).
 */
export const readHub = async ({ token, orgId }: HubCredentials): Promise<HubReading> => {
  const progress: Progress = { reading: { requests: [] }, step: 'connection', bodies: [] };
  // The error as the app threw it, copied at once: core appends context to the same object's
  // message on its way out.
  let thrown: { name?: string; message: string } | undefined;
  try {
    await runInCore(
      async (zapierZ, bundle) => {
        const z = guardedZ(zapierZ, progress.reading.requests, progress.bodies);
        try {
          await readSteps(z, bundle, progress);
        } catch (error) {
          thrown = {
            name: (error as { name?: string } | undefined)?.name,
            message: error instanceof Error ? error.message : String(error),
          };
          throw error;
        }
        return {};
      },
      { authData: { api_token: token, org_id: orgId } },
    );
  } catch (error) {
    const original = thrown ?? {
      name: (error as { name?: string } | undefined)?.name,
      message: error instanceof Error ? error.message : String(error),
    };
    const { message, code } = zapierErrorParts(original.message);
    progress.reading.failure = {
      step: progress.step,
      type: original.name ?? 'Error',
      code,
      message: scrubSecrets(message, [token]),
    };
  }
  return progress.reading;
};
