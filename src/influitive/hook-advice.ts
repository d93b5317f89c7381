import type { Bundle, ZObject } from '../shared/types';
import { zapierErrorParts } from '../shared/zapier-errors';
import { WHAT_PICKS_IT_UP } from './copy';

type HookPerform<T> = (z: ZObject, bundle: Bundle) => Promise<T>;

/**
 * Zapier never runs a trigger again, so an errored webhook run must say what picks its redemption
 * up and how to handle it by hand: every `z.errors.Error` of the hook gets that advice, once.
 * Halts, throttling (which Zapier retries) and expired credentials (which ask to reconnect) pass.
 */
export const withPickUpAdvice =
  <T>(perform: HookPerform<T>): HookPerform<T> =>
  async (z, bundle) => {
    try {
      return await perform(z, bundle);
    } catch (error) {
      if (!(error instanceof z.errors.Error)) throw error;
      const { message, code, status } = zapierErrorParts(error);
      if (message.includes(WHAT_PICKS_IT_UP)) throw error;
      throw new z.errors.Error(`${message} ${WHAT_PICKS_IT_UP}`, code, status);
    }
  };
