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

type Declarations = Map<string, ts.Node[]>;

const add = (map: Declarations, name: string, node: ts.Node) =>
  map.set(name, [...(map.get(name) ?? []), node]);

/** What names stand for in one file: every const and function, those at the top, and imports. */
interface FileNames {
  all: Declarations;
  topLevel: Declarations;
  /** Local name → the name it has where it is exported. */
  imported: Map<string, string>;
}

const namesIn = (file: ts.SourceFile): FileNames => {
  const names: FileNames = { all: new Map(), topLevel: new Map(), imported: new Map() };
  const visit = (node: ts.Node): void => {
    const topLevel = node.parent === file || node.parent?.parent?.parent === file;
    if (ts.isVariableDeclaration(node) && ts.isIdentifier(node.name) && node.initializer) {
      add(names.all, node.name.text, node.initializer);
      if (topLevel) add(names.topLevel, node.name.text, node.initializer);
    } else if (ts.isFunctionDeclaration(node) && node.name) {
      add(names.all, node.name.text, node);
      if (topLevel) add(names.topLevel, node.name.text, node);
    } else if (ts.isImportSpecifier(node)) {
      names.imported.set(node.name.text, (node.propertyName ?? node.name).text);
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  return names;
};

/**
 * Finds the literals a message expression can evaluate to: through a ternary's branches, `+`, a
 * const or function it names (declared in its file or imported, such as a `copy.ts` builder or an
 * object of them), or the text a wrapping call is given (`scrubSecrets(\`…\`, secrets)`); never into
 * a template's own interpolations, and never a parameter's or a stranger's name.
 */
class MessageFinder {
  private readonly names = new Map<ts.SourceFile, FileNames>();
  private readonly exported: Declarations = new Map();

  constructor(files: readonly ts.SourceFile[]) {
    for (const file of files) {
      const names = namesIn(file);
      this.names.set(file, names);
      for (const [name, nodes] of names.topLevel)
        for (const node of nodes) add(this.exported, name, node);
    }
  }

  /** What a name stands for where it is used: its file's declarations, else its import. */
  private declarationsOf(name: string, from: ts.Node): ts.Node[] {
    const names = this.names.get(from.getSourceFile());
    const local = names?.all.get(name);
    if (local && local.length > 0) return local;
    const original = names?.imported.get(name);
    return original === undefined ? [] : (this.exported.get(original) ?? []);
  }

  /** `COPY.notPending`: the property of an object literal the left-hand name stands for. */
  private propertyOf(access: ts.PropertyAccessExpression): ts.Node[] {
    if (!ts.isIdentifier(access.expression)) return [];
    return this.declarationsOf(access.expression.text, access).flatMap((node): ts.Node[] => {
      if (!ts.isObjectLiteralExpression(node)) return [];
      return node.properties.flatMap((property): ts.Node[] => {
        if (!property.name || !ts.isIdentifier(property.name)) return [];
        if (property.name.text !== access.name.text) return [];
        if (ts.isPropertyAssignment(property)) return [property.initializer];
        return ts.isMethodDeclaration(property) ? [property] : [];
      });
    });
  }

  private targetsOf(expression: ts.Expression): ts.Node[] {
    if (ts.isIdentifier(expression)) return this.declarationsOf(expression.text, expression);
    if (ts.isPropertyAccessExpression(expression)) return this.propertyOf(expression);
    return [];
  }

  private valuesOf(targets: readonly ts.Node[], seen: Set<ts.Node>): ts.Node[] {
    return targets.flatMap((node) =>
      ts.isFunctionLike(node) ? this.returnedBy(node, seen) : this.literalsIn(node, seen),
    );
  }

  /** The literals a function returns: an arrow's expression body, or each `return` of a block. */
  returnedBy(fn: ts.Node, seen: Set<ts.Node>): ts.Node[] {
    if (ts.isArrowFunction(fn) && !ts.isBlock(fn.body)) return this.literalsIn(fn.body, seen);
    const found: ts.Node[] = [];
    const visit = (node: ts.Node): void => {
      if (ts.isReturnStatement(node) && node.expression) {
        found.push(...this.literalsIn(node.expression, seen));
      } else if (!ts.isFunctionLike(node) || node === fn) ts.forEachChild(node, visit);
    };
    visit(fn);
    return found;
  }

  literalsIn(node: ts.Node, seen: Set<ts.Node> = new Set()): ts.Node[] {
    if (seen.has(node)) return [];
    seen.add(node);
    if (runsOf(node)) return [node];
    if (ts.isParenthesizedExpression(node) || ts.isAsExpression(node)) {
      return this.literalsIn(node.expression, seen);
    }
    if (ts.isConditionalExpression(node)) {
      return [...this.literalsIn(node.whenTrue, seen), ...this.literalsIn(node.whenFalse, seen)];
    }
    if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.PlusToken) {
      return [...this.literalsIn(node.left, seen), ...this.literalsIn(node.right, seen)];
    }
    if (ts.isIdentifier(node) || ts.isPropertyAccessExpression(node)) {
      return this.valuesOf(this.targetsOf(node), seen);
    }
    if (ts.isCallExpression(node)) {
      const targets = this.targetsOf(node.expression);
      if (targets.length === 0) return [];
      const returned = this.valuesOf(targets, seen);
      if (returned.length > 0) return returned;
      // A wrapper of this app that returns what it is given, changed (scrubSecrets): its text.
      return node.arguments.slice(0, 1).flatMap((argument) => this.literalsIn(argument, seen));
    }
    return [];
  }
}

const calleeName = (expression: ts.Expression): string =>
  ts.isIdentifier(expression) || ts.isPropertyAccessExpression(expression)
    ? expression.getText()
    : '';

/** The message expressions one source file passes to halts and errors, and its builders. */
const messageExpressionsIn = (file: ts.SourceFile): ts.Node[] => {
  const found: ts.Node[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isNewExpression(node) && ERROR_CONSTRUCTOR.test(calleeName(node.expression))) {
      const message = node.arguments?.[0];
      if (message) found.push(message);
    }
    if (ts.isCallExpression(node)) {
      const position = HALT_CALLS[calleeName(node.expression)];
      const message = position === undefined ? undefined : node.arguments[position];
      if (message) found.push(message);
    }
    const builder =
      (ts.isVariableDeclaration(node) && ts.isIdentifier(node.name) && node.name.text) ||
      (ts.isFunctionDeclaration(node) && node.name?.text);
    if (builder && isMessageBuilder(builder)) {
      const fn = ts.isVariableDeclaration(node) ? node.initializer : node;
      if (fn && ts.isFunctionLike(fn)) found.push(fn);
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
export const appMessages = (root: string, srcDir = join(root, 'src')): AppMessage[] => {
  const files = sourceFiles(srcDir).map((path) =>
    ts.createSourceFile(path, readFileSync(path, 'utf8'), ts.ScriptTarget.Latest, true),
  );
  const finder = new MessageFinder(files);
  const byPlace = new Map<string, AppMessage>();
  for (const file of files) {
    for (const expression of messageExpressionsIn(file)) {
      const literals = ts.isFunctionLike(expression)
        ? finder.returnedBy(expression, new Set())
        : finder.literalsIn(expression);
      for (const literal of literals) {
        const runs = runsOf(literal) ?? [];
        const phrases = phrasesOf(runs);
        if (phrases.length === 0) continue;
        const source = literal.getSourceFile();
        const { line } = source.getLineAndCharacterOfPosition(literal.getStart(source));
        const where = `${relative(root, source.fileName)}:${line + 1}`;
        byPlace.set(where, { where, text: runs.join('…'), phrases });
      }
    }
  }
  return [...byPlace.values()];
};

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
