/**
 * Deeper than any real webhook payload, API answer or Reward Metadata. JSON nested far deeper
 * parses, but core's own JSON.stringify of a step's output then overflows the stack, a failure no
 * Zap can explain.
 */
export const MAX_JSON_DEPTH = 64;

/** True when a parsed JSON value nests deeper than `limit`; iterative, so depth cannot overflow it. */
export const nestsDeeperThan = (value: unknown, limit: number): boolean => {
  const pending: [unknown, number][] = [[value, 0]];
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    const [node, depth] = next;
    if (typeof node !== 'object' || node === null) continue;
    if (depth >= limit) return true;
    for (const child of Object.values(node)) pending.push([child, depth + 1]);
  }
  return false;
};

export type ParsedJson =
  | { ok: true; value: unknown }
  | { ok: false; reason: 'not_json' | 'too_deep' };

/**
 * The app's one JSON parser, for hook bodies, JSON inside strings and Influitive's answers alike:
 * a leading byte-order mark is ignored (JSON allows a receiver to), and a value nested more than
 * MAX_JSON_DEPTH levels deep is refused rather than handed on to overflow the stack later.
 */
export const parseJson = (text: string): ParsedJson => {
  let value: unknown;
  try {
    value = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch {
    return { ok: false, reason: 'not_json' };
  }
  return nestsDeeperThan(value, MAX_JSON_DEPTH)
    ? { ok: false, reason: 'too_deep' }
    : { ok: true, value };
};
