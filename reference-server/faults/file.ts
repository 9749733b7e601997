import { isAlias, isMap, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node } from 'yaml';
import { checkFaultSet, FaultSetError, type FaultPath } from './check.js';
import type { FaultSet } from './types.js';

/** A mistake in a faults file; the message is `file:line:col: rules[2].act.status: what is wrong`. */
export class FaultFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FaultFileError';
  }
}

/** The node a fault-set path leads to: a mapping's key (its line), a list's item; as far as the path goes. */
function locate(doc: Document, path: FaultPath): Node | undefined {
  const deref = (node: unknown) => (isAlias(node) ? node.resolve(doc) : node);
  let node = deref(doc.contents);
  let at = doc.contents ?? undefined;
  for (const part of path) {
    if (isMap(node)) {
      const pair = node.items.find((item) => isScalar(item.key) && item.key.value === part);
      if (pair === undefined) break;
      at = pair.key as Node;
      node = deref(pair.value);
    } else if (isSeq(node) && typeof part === 'number' && node.items[part] !== undefined) {
      at = node.items[part] as Node;
      node = deref(at);
    } else {
      break;
    }
  }
  return at as Node | undefined;
}

/** Reads a faults file, YAML or JSON; throws a FaultFileError at the first mistake. `fileName` is used in messages only. */
export function loadFaultFile(text: string, fileName: string): FaultSet {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines });
  const where = (offset: number | undefined) => {
    const { line, col } = lines.linePos(offset ?? 0);
    return `${fileName}:${line}:${col}`;
  };
  const [syntax] = doc.errors;
  // yaml appends the position and a source excerpt; the position goes in front instead.
  if (syntax) throw new FaultFileError(`${where(syntax.pos[0])}: ${syntax.message.replace(/ at line \d+, column \d+[\s\S]*$/, '')}`);
  let data: unknown;
  try {
    data = doc.toJS();
  } catch (error) {
    throw new FaultFileError(`${fileName}: ${(error as Error).message}`);
  }
  try {
    return checkFaultSet(data ?? {});
  } catch (error) {
    if (!(error instanceof FaultSetError)) throw error;
    throw new FaultFileError(`${where(locate(doc, error.path)?.range?.[0])}: ${error.message}`);
  }
}
