/**
 * A webhook body the app cannot read as a redemption. Influitive's format is not public, so a hub
 * that sends another shape must not be silent: the first such delivery on a connection in any hour
 * is an error (Zapier emails it), the rest of that hour are halted with the same text, so a stranger
 * posting junk cannot turn the Zap off.
 */
import { firstInWindow } from '../shared/cache';
import { scrubSecrets, secretsOf } from '../shared/secrets';
import { type Bundle, isJsonObject, type ZObject } from '../shared/types';
import { WHAT_PICKS_IT_UP } from './copy';

export const UNREADABLE_WINDOW_SECONDS = 60 * 60;
export const UNREADABLE_KEY = 'influitive-unreadable-body';
const MAX_KEYS = 20;
const MAX_KEY_LENGTH = 40;

const typeName = (value: unknown): string => {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
};

/**
 * The body's top-level keys and the type of each value, never a value: `{"event": string, "data":
 * object}`. Each key is scrubbed of `secrets` before it is shortened, so a cut cannot hide a secret
 * from the scrubber.
 */
export const bodyShape = (body: unknown, secrets: readonly string[] = []): string => {
  if (Array.isArray(body))
    return `an array of ${body.length} (${[...new Set(body.map(typeName))].join(', ') || 'empty'})`;
  if (!isJsonObject(body)) return typeName(body);
  const keys = Object.keys(body);
  const shown = keys.slice(0, MAX_KEYS).map((key) => {
    const scrubbed = scrubSecrets(key, secrets);
    const name =
      scrubbed.length > MAX_KEY_LENGTH ? `${scrubbed.slice(0, MAX_KEY_LENGTH)}…` : scrubbed;
    return `${JSON.stringify(name)}: ${typeName(body[key])}`;
  });
  const more = keys.length > MAX_KEYS ? `, and ${keys.length - MAX_KEYS} more` : '';
  return `{${shown.join(', ')}${more}}`;
};

/** The error for the first unreadable body on this connection in the hour, a halt for the rest. */
export const unreadableBody = async (
  z: ZObject,
  bundle: Bundle,
  body: unknown,
  reason: string,
): Promise<Error> => {
  const secrets = secretsOf(bundle);
  const message = scrubSecrets(
    `Influitive sent a body this app cannot read as a reward redemption: ${reason} The body's shape (keys and types, no values): ${bodyShape(body, secrets)}. If it came from the hub's "Reward Redemption Requested" webhook, capture one such body (e.g. with a Webhooks by Zapier "Catch Raw Hook" Zap on the same webhook), save it as body.json and run \`npm run doctor -- --webhook body.json\` to see what the app reads from it. ${WHAT_PICKS_IT_UP} Only the first unreadable delivery in an hour errors; the rest of that hour are halted with this text.`,
    secrets,
  );
  return (await firstInWindow(z, UNREADABLE_KEY, UNREADABLE_WINDOW_SECONDS))
    ? new z.errors.Error(message, 'unreadable_body', 422)
    : new z.errors.HaltedError(message);
};
