import { ScimError } from '../errors.js';

/**
 * The steps one request may spend evaluating filters and going through lists. A step is one
 * condition tested on one value, one value of a multi-valued attribute a PATCH operation goes
 * through, or CHARS_PER_STEP characters of strings compared: 0.15 to 0.8 µs on the 2-core
 * development machine, so a request spends under a second whatever it asks and the data.
 */
export const FILTER_STEP_LIMIT = 1_000_000;

/** How many characters of compared strings one step covers: lower-casing and searching them costs about as much. */
export const CHARS_PER_STEP = 1024;

/**
 * What is left of a request's steps. Filter evaluation and PATCH operations spend from it and,
 * once it is spent, throw 400 `tooMany`: RFC 7644 §3.12, "the specified filter yields many more
 * results than the server is willing to calculate or process".
 */
export class FilterBudget {
  private left: number;

  constructor(readonly limit: number = FILTER_STEP_LIMIT) {
    this.left = limit;
  }

  /** Spends `steps`; throws once the budget is spent. */
  spend(steps: number): void {
    this.left -= steps;
    if (this.left < 0) {
      throw ScimError.badRequest(
        'tooMany',
        `The request needs more work than this server does for one (${this.limit} steps: one a condition tested on a value, or a value of a list a PATCH operation goes through, or ${CHARS_PER_STEP} characters compared): narrow the filter, e.g. with "and" and an eq on id, userName, externalId or displayName, which are looked up without a scan, or split the request`,
      );
    }
  }
}
