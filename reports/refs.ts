import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { esc } from './html/escape.js';

/** The references the package ships, of IdPs and of targets, by the name a ref gives them ("Okta ref §6.1", "Postman ref §4.1"). */
const IDP_DOCS: Record<string, string> = { Okta: 'reference/okta.md', Entra: 'reference/entra.md', Postman: 'reference/postman.md' };

/** A document named in a ref, then its section; or a further section of the document named last ("§3, §5.6"). */
const CITATION = new RegExp(`(RFC (\\d+)|(${Object.keys(IDP_DOCS).join('|')}) ref) §(\\d+(?:\\.\\d+)*)|§(\\d+(?:\\.\\d+)*)`, 'g');

type Doc = { rfc: string } | { idp: string };

/**
 * Where the docs folder is read, when no --docs-url says where it is published: the installed
 * package's own, found above this module (it runs from sources and from dist/). A file:// link
 * works where the report was rendered; a report read elsewhere needs --docs-url.
 */
function packageDocs(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json')) && dirname(dir) !== dir) dir = dirname(dir);
  return join(dir, 'docs');
}

/** GitHub's anchor for a heading, which most Markdown renderers share: "### 6.1 OIN integration" → "61-oin-integration". */
function slug(heading: string): string {
  return heading.toLowerCase().replace(/[^\p{L}\p{N}\p{M}\p{Pc}\- ]/gu, '').replace(/ /g, '-');
}

const anchorCache = new Map<string, Map<string, string>>();

/** Section number → heading anchor of a shipped reference; empty when the file cannot be read (the link then opens the page's top). */
function anchors(docsDir: string, file: string): Map<string, string> {
  const path = join(docsDir, file);
  let found = anchorCache.get(path);
  if (found) return found;
  found = new Map();
  const text = existsSync(path) ? readFileSync(path, 'utf8') : '';
  const seen = new Map<string, number>();
  for (const [, heading] of text.matchAll(/^#{1,6} (.+?)\s*$/gm)) {
    const base = slug(heading!);
    const count = seen.get(base) ?? 0;
    seen.set(base, count + 1);
    const number = /^(\d+(?:\.\d+)*)\.? /.exec(heading!)?.[1];
    if (number !== undefined && !found.has(number)) found.set(number, count === 0 ? base : `${base}-${count}`);
  }
  anchorCache.set(path, found);
  return found;
}

/** Links refs to what they cite: RFC sections on rfc-editor.org, IdP sections in the shipped reference. */
export class RefLinker {
  private readonly base: string;
  private readonly docsDir: string;
  /** Whether the docs' URL was given (--docs-url), rather than the installed package's file:// one, which means nothing where a summary is read. */
  readonly published: boolean;

  /** `docsUrl` is where the package's docs/ folder is published (--docs-url); by default the installed one's, as a file:// URL. */
  constructor(docsUrl?: string) {
    this.docsDir = packageDocs();
    this.published = docsUrl !== undefined;
    const base = docsUrl ?? pathToFileURL(this.docsDir).href;
    this.base = base.endsWith('/') ? base : `${base}/`;
  }

  /** The ref cut into plain text and citations, each citation with the URL of what it cites. */
  citations(ref: string): { text: string; url?: string; idp: boolean }[] {
    const parts: { text: string; url?: string; idp: boolean }[] = [];
    let last = 0;
    let doc: Doc | undefined;
    for (const m of ref.matchAll(CITATION)) {
      const [text, named, rfc, idp, section, further] = m;
      if (named !== undefined) doc = rfc !== undefined ? { rfc } : { idp: idp! };
      if (m.index > last) parts.push({ text: ref.slice(last, m.index), idp: false });
      last = m.index + text.length;
      parts.push(doc === undefined ? { text, idp: false } : { text, url: this.url(doc, (section ?? further)!), idp: 'idp' in doc });
    }
    if (last < ref.length) parts.push({ text: ref.slice(last), idp: false });
    return parts;
  }

  /** The ref as escaped HTML, each citation a link; text that cites nothing is left as it is. */
  html(ref: string): string {
    return this.citations(ref)
      .map(({ text, url }) => (url === undefined ? esc(text) : `<a class="cite" href="${esc(url)}" target="_blank" rel="noopener noreferrer">${esc(text)}</a>`))
      .join('');
  }

  private url(doc: Doc, section: string): string {
    if ('rfc' in doc) return `https://www.rfc-editor.org/rfc/rfc${doc.rfc}#section-${section}`;
    const file = IDP_DOCS[doc.idp]!;
    const anchor = anchors(this.docsDir, file).get(section);
    return `${new URL(file, this.base).href}${anchor === undefined ? '' : `#${anchor}`}`;
  }
}
