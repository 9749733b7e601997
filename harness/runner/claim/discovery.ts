/**
 * What a scenario expects `/Schemas` to describe, against what the profile's `/Schemas` declares:
 * the attributes it stores (`attributes`), or those its `discovery.schemas` gives. A scenario
 * expecting a schema to list an attribute the profile leaves out of it is beyond the claim.
 */
import { isObject } from '../../../scim/schema/keys.js';
import { URN } from '../../../scim/schema/urns.js';
import type { Matcher, RequestSpec } from '../../types.js';
import type { Gap } from './gap.js';

/** The attribute names a matcher expects a list of attributes to hold: `contains` and `containsAll` elements with a `name`. */
function namesExpected(matcher: Matcher): string[] {
  const elements = [...(matcher.contains === undefined ? [] : [matcher.contains]), ...(matcher.containsAll ?? [])];
  return elements.flatMap((element) => (isObject(element) && typeof element.name === 'string' ? [element.name] : []));
}

/**
 * A read of one schema (`GET /Schemas/{urn}`) whose expected `attributes` name one the profile's
 * `declared` attributes (by resource type, as `declaredAttributes` writes them) do not have.
 */
export function schemaGap(declared: Record<string, string[]>, request: RequestSpec, body: Record<string, Matcher> | undefined): Gap | undefined {
  const match = /^\/Schemas\/([^/?]+)$/i.exec(String(request.path));
  if (String(request.method).toUpperCase() !== 'GET' || !match || !body) return undefined;
  const urn = decodeURIComponent(match[1]!);
  const core = [URN.user, URN.group].find((id) => id.toLowerCase() === urn.toLowerCase());
  const resource = core === URN.group ? 'Group' : 'User';
  const paths = declared[resource];
  if (!paths) return undefined;
  const expected = Object.entries(body).flatMap(([path, matcher]) => (path.toLowerCase() === 'attributes' ? namesExpected(matcher) : []));
  const missing = expected.find((name) => !paths.includes((core ? name : `${urn}:${name}`).toLowerCase()));
  if (missing === undefined) return undefined;
  const shown = core ? `${resource}.${missing}` : `${urn}:${missing}`;
  return {
    what: `/Schemas describing ${shown}, which the profile's /Schemas leaves out`,
    key: `schemas:${shown.toLowerCase()}`,
    summary: `does not declare ${shown} in /Schemas`,
  };
}
