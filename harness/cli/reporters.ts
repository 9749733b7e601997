import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { InvalidArgumentError } from 'commander';
import { renderHtml } from '../../reports/html.js';
import { renderJson } from '../../reports/json.js';
import { renderJunit } from '../../reports/junit.js';
import { renderMarkdown } from '../../reports/markdown.js';
import type { Credentials } from '../http/credentials.js';
import { Redactor } from '../http/redact.js';
import { UsageError } from '../runner/errors.js';
import type { RunResult } from '../result.js';

export const REPORTERS = ['console', 'json', 'html', 'junit', 'markdown'] as const;
export type Reporter = (typeof REPORTERS)[number];

/** What shapes the reports besides the result: flags that `run` and `report` share. */
export interface ReportOptions {
  /** `--report-url`: where report.html is published, which the Markdown summary links to. */
  reportUrl?: string;
  /** `--docs-url`: where the package's docs/ folder is published, which the HTML report's IdP refs link to. */
  docsUrl?: string;
}

/** The file reporters: where each writes in the output folder. */
const FILES: Record<Exclude<Reporter, 'console'>, { file: string; what: string; render(result: RunResult, options: ReportOptions): string }> = {
  json: { file: 'result.json', what: 'JSON result', render: renderJson },
  html: { file: 'report.html', what: 'HTML report', render: (result, { docsUrl }) => renderHtml(result, { docsUrl }) },
  junit: { file: 'junit.xml', what: 'JUnit XML', render: renderJunit },
  markdown: { file: 'summary.md', what: 'Markdown summary', render: (result, { reportUrl, docsUrl }) => renderMarkdown(result, { reportUrl, docsUrl }) },
};

/**
 * `--report-url URL`, read as commander parses the command line (a mistake is caught before a
 * run starts): an absolute http(s) URL, without a fragment, since the links add their own.
 */
export function parseReportUrl(text: string): string {
  const url = absoluteUrl(text, 'give the absolute URL report.html is published at, e.g. https://ci.example.com/job/42/artifacts/report.html');
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new InvalidArgumentError(`give an http or https URL, not ${url.protocol}`);
  return url.href;
}

/** An absolute URL without its fragment (links add their own), or commander's error saying what to give. */
function absoluteUrl(text: string, what: string): URL {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new InvalidArgumentError(what);
  }
  url.hash = '';
  return url;
}

/**
 * `--docs-url URL`: the absolute URL of a folder holding the package's docs/, e.g. the repository's
 * docs at the release's tag. It ends in "/" so that the reference pages resolve inside it.
 */
/** --docs-url's help, shared by `run` and `report`. */
export const DOCS_URL_HELP =
  "where the docs folder is published, e.g. https://github.com/you/scimulator/blob/v1.0.0/docs/: the HTML report and the Markdown summary link Okta and Entra refs there (default: the HTML report links the installed package's docs by a file:// URL; the summary does not link them)";

export function parseDocsUrl(text: string): string {
  const url = absoluteUrl(text, 'give the absolute URL of the docs folder, e.g. https://github.com/you/scimulator/blob/v1.0.0/docs/');
  if (!url.pathname.endsWith('/')) url.pathname += '/';
  return url.href;
}

/** `--reporter a,b`: known names only. */
export function readReporters(text: string): Reporter[] {
  const names = text.split(',').map((n) => n.trim()).filter(Boolean);
  for (const name of names) {
    if (!(REPORTERS as readonly string[]).includes(name)) throw new UsageError(`Unknown reporter "${name}": choose from ${REPORTERS.join(', ')}`);
  }
  return names as Reporter[];
}

/** Writes the file reports among `reporters` into `out`, saying where on stderr. */
export async function writeReports(result: RunResult, reporters: readonly Reporter[], out: string, options: ReportOptions = {}): Promise<void> {
  if (options.reportUrl !== undefined && !reporters.includes('markdown')) {
    process.stderr.write('--report-url only sets where the Markdown summary links to: add markdown to --reporter to write one.\n');
  }
  const files = reporters.filter((r): r is Exclude<Reporter, 'console'> => r !== 'console');
  if (files.length === 0) return;
  await mkdir(out, { recursive: true }).catch((error: unknown) => {
    throw unwritable(out, error);
  });
  for (const reporter of new Set(files)) {
    const { file, what, render } = FILES[reporter];
    const path = join(out, file);
    await writeFile(path, render(result, options)).catch((error: unknown) => {
      throw unwritable(path, error);
    });
    process.stderr.write(`${what} written to ${path}\n`);
  }
}

/** An --out that cannot be written to is a usage mistake: one line that says what to do, not a stack trace. */
function unwritable(path: string, error: unknown): UsageError {
  const code = (error as NodeJS.ErrnoException).code;
  const why =
    code === 'EEXIST' || code === 'ENOTDIR' || code === 'EISDIR'
      ? 'a file or folder of that name is in the way'
      : code === 'EACCES' || code === 'EPERM' || code === 'EROFS'
        ? 'no permission to write there'
        : (error as Error).message;
  return new UsageError(`Cannot write the reports to ${path} (${why}): give --out a folder you can write to`);
}

/**
 * The result with the secrets (`--secret` values, and the credentials' own) taken out of every
 * string, and every password member blanked, before any report sees it. Exchanges are redacted as
 * they are recorded; this also covers what is not an exchange: what an IdP simulator reports in
 * its own words (an Okta message naming the user), checks, and errors. The result's format
 * markers are kept whatever the secrets are, so that the file can be read back.
 */
export function scrubResult(result: RunResult, secrets: readonly string[], credentials: Credentials = { kind: 'none' }): RunResult {
  const scrubbed = new Redactor(secrets).withCredentials(credentials).json(result) as RunResult;
  return { ...scrubbed, format: result.format, version: result.version, tool: result.tool };
}
