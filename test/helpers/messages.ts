/**
 * The halt and error messages the app can put in a Zap history, read from `src/` with TypeScript's
 * parser, so the operations guide can be checked against them without listing them by hand.
 *
 * A message is the text passed to a halt (`haltDelivery`, `halt`), to a `z.errors` constructor, or
 * to an error the triggers turn into a halt (`RedemptionShapeError`, `LoudCrowdEventShapeError`),
 * plus the strings returned by message builders (functions named `…Reason` or `…Message`). Only each message's stable
 * *phrases* are required in the guide, so rewording the end of a message or changing what it
 * interpolates does not break the test; changing how it starts does, and the failure says so.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import * as ts from 'typescript';

/** Calls whose message argument is at this position (0-based). */
const HALT_CALLS: Record<string, number> = { haltDelivery: 2, halt: 2 };
/** Constructors whose first argument is a message a user can see. */
const ERROR_CONSTRUCTOR = /(^|\.)(errors\.\w+|\w+ShapeError)$/;
/**
 * Functions that build part of a message (the reason in "Could not tell …"): by name, so a new
 * builder is covered when it follows the convention (`…Reason`, `…Message`).
 */
const isMessageBuilder = (name: string): boolean => /(Reason|Message)$/.test(name);

/** A phrase needs at least this many words, unless it is the message's own opening. */
const MIN_WORDS = 4;
/** Phrases are cut to this many words: enough to find, short enough to survive rewording. */
const MAX_WORDS = 6;

export interface AppMessage {
  /** `src/influitive/client.ts:171`, for the failure list. */
  where: string;
  /** The message with each interpolation shown as `…`. */
  text: string;
  /** What the operations guide must contain for this message. */
  phrases: string[];
}

const words = (text: string): string[] =>
  text
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/^[\s,.;:)]+/, '')
    .split(' ')
    .filter((word) => word !== '');

/**
 * The phrases a message is known by: its opening (the text before the first interpolation, cut to
 * a few words) and, when that opening is shorter than `MIN_WORDS` words, the first later run of
 * fixed text that is long enough to tell it from its siblings ("Influitive answered … and an
 * empty body" and "Influitive answered … but the body is not JSON" share their opening).
 */
export const phrasesOf = (runs: readonly string[]): string[] => {
  const phrases: string[] = [];
  const opening = words(runs[0] ?? '');
  if (opening.length > 0) phrases.push(opening.slice(0, MAX_WORDS).join(' '));
  if (opening.length >= MIN_WORDS) return phrases;
  const later = runs.slice(1).map(words);
  const distinct = later.find((run) => run.length >= MIN_WORDS);
  if (distinct) phrases.push(distinct.slice(0, MAX_WORDS).join(' '));
  return phrases;
};

/** The fixed runs of a string or template literal: `a ${x} b` gives `['a ', ' b']`. */
const runsOf = (node: ts.Node): string[] | undefined => {
  if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) return [node.text];
  if (ts.isTemplateExpression(node)) {
    return [node.head.text, ...node.templateSpans.map((span) => span.literal.text)];
  }
  return undefined;
};

/**
 * Every literal a message expression can evaluate to: through a ternary's branches and a wrapping
 * call (`scrubSecrets(\`…\`, secrets)`), never into a template's own interpolations.
 */
const literalsIn = (node: ts.Node): string[][] => {
  const runs = runsOf(node);
  if (runs) return [runs];
  if (ts.isParenthesizedExpression(node)) return literalsIn(node.expression);
  if (ts.isConditionalExpression(node)) {
    return [...literalsIn(node.whenTrue), ...literalsIn(node.whenFalse)];
  }
  if (ts.isCallExpression(node)) return node.arguments.slice(0, 1).flatMap(literalsIn);
  if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.PlusToken) {
    return literalsIn(node.left);
  }
  return [];
};

const calleeName = (expression: ts.Expression): string =>
  ts.isIdentifier(expression) || ts.isPropertyAccessExpression(expression)
    ? expression.getText()
    : '';

/** The message expressions one source file passes to halts, errors and builders. */
const messagesIn = (file: ts.SourceFile, path: string): AppMessage[] => {
  const found: AppMessage[] = [];
  const add = (node: ts.Node) => {
    for (const runs of literalsIn(node)) {
      const phrases = phrasesOf(runs);
      if (phrases.length === 0) continue;
      const { line } = file.getLineAndCharacterOfPosition(node.getStart(file));
      found.push({ where: `${path}:${line + 1}`, text: runs.join('…'), phrases });
    }
  };
  /** What a builder returns: an arrow's expression body, or each `return` of a block. */
  const returnedBy = (fn: ts.Node): void => {
    if (ts.isArrowFunction(fn) && !ts.isBlock(fn.body)) {
      add(fn.body);
      return;
    }
    const visitReturns = (node: ts.Node): void => {
      if (ts.isReturnStatement(node) && node.expression) add(node.expression);
      else if (!ts.isFunctionLike(node) || node === fn) ts.forEachChild(node, visitReturns);
    };
    visitReturns(fn);
  };
  const visit = (node: ts.Node): void => {
    if (ts.isNewExpression(node) && ERROR_CONSTRUCTOR.test(calleeName(node.expression))) {
      const message = node.arguments?.[0];
      if (message) add(message);
    }
    if (ts.isCallExpression(node)) {
      const position = HALT_CALLS[calleeName(node.expression)];
      const message = position === undefined ? undefined : node.arguments[position];
      if (message) add(message);
    }
    if (ts.isVariableDeclaration(node) && ts.isIdentifier(node.name)) {
      if (isMessageBuilder(node.name.text) && node.initializer) returnedBy(node.initializer);
    }
    if (ts.isFunctionDeclaration(node) && node.name && isMessageBuilder(node.name.text)) {
      returnedBy(node);
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  return found;
};

const sourceFiles = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });

/** Every halt and error message under `srcDir`, with where it is and the phrases it is known by. */
export const appMessages = (root: string, srcDir = join(root, 'src')): AppMessage[] =>
  sourceFiles(srcDir).flatMap((path) => {
    const text = readFileSync(path, 'utf8');
    const file = ts.createSourceFile(path, text, ts.ScriptTarget.Latest, true);
    return messagesIn(file, relative(root, path));
  });

/** Text as a reader sees it: no Markdown emphasis or code marks, one space between words. */
export const plainText = (markdown: string): string =>
  markdown.replace(/[`*_]/g, '').replace(/\s+/g, ' ').toLowerCase();

/** The messages whose phrases the document does not contain, each with the phrases missing. */
export const missingFrom = (
  document: string,
  messages: readonly AppMessage[],
): { where: string; text: string; missing: string[] }[] => {
  const plain = plainText(document);
  return messages.flatMap(({ where, text, phrases }) => {
    const missing = phrases.filter((phrase) => !plain.includes(plainText(phrase)));
    return missing.length === 0 ? [] : [{ where, text, missing }];
  });
};
