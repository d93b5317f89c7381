/** Reading the doctor's text report in tests: rows, warnings and phrases that may wrap. */

/** The row labelled `label`, with its wrapped continuation lines joined. */
export const line = (out: string, label: string): string => {
  const match = new RegExp(`^ {3}${label} +(.*(?:\\n {19}.*)*)`, 'm').exec(out);
  return (match?.[1] ?? '').replace(/\n {19}/g, ' ');
};

/** The whole report on one line, for phrases that may wrap. */
export const flat = (out: string): string => out.replace(/ *\n */g, ' ');

/** The warnings, each on one line. */
export const warnings = (out: string): string[] =>
  [...out.matchAll(/^ {3}! (.*(?:\n {5}.*)*)/gm)].map((m) => (m[1] ?? '').replace(/\n {5}/g, ' '));
