// A time-zone designator at the end of an ISO 8601 string: Z, +hh:mm, +hhmm or +hh.
const OFFSET_SUFFIX = /(?:[zZ]|[+-]\d{2}(?::?\d{2})?)$/;
const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
const EPOCH_MS_THRESHOLD = 1e11;

const utcWithOffset = (date: Date): string => date.toISOString().replace(/Z$/, '+00:00');

/**
 * An ISO 8601 timestamp with an explicit offset, or undefined when the value is not a date.
 * A timestamp that already carries an offset keeps it (the advocate's or hub's local time stays
 * readable); one without an offset (LoudCrowd's `postedAt`) is read as UTC; a number is epoch
 * seconds or milliseconds.
 */
export const toIsoWithOffset = (value: unknown): string | undefined => {
  if (typeof value === 'number' && Number.isFinite(value)) {
    const ms = Math.abs(value) < EPOCH_MS_THRESHOLD ? value * 1000 : value;
    const date = new Date(ms);
    return Number.isNaN(date.getTime()) ? undefined : utcWithOffset(date);
  }
  if (typeof value !== 'string') return undefined;
  const text = value.trim().replace(' ', 'T');
  if (text === '') return undefined;
  if (DATE_ONLY.test(text)) return toIsoWithOffset(`${text}T00:00:00Z`);
  const hasOffset = OFFSET_SUFFIX.test(text);
  const date = new Date(hasOffset ? text : `${text}Z`);
  if (Number.isNaN(date.getTime())) return undefined;
  if (!hasOffset || /[zZ]$/.test(text)) return utcWithOffset(date);
  return text;
};
