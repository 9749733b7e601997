import { defineAttribute as attr } from './common.js';
import type { SchemaDefinition } from './types.js';
import { URN } from './urns.js';

/** The Group schema of RFC 7643 §8.7.1 (attributes of §4.2), with two corrections noted inline. */
export const GROUP_SCHEMA: SchemaDefinition = {
  id: URN.group,
  name: 'Group',
  description: 'Group',
  attributes: [
    attr('displayName', {
      description: 'A human-readable name for the Group. REQUIRED.',
      // §8.7.1 says "required": false, contradicting its own description and §4.2 ("REQUIRED").
      required: true,
    }),
    attr('members', {
      type: 'complex',
      multiValued: true,
      description: 'A list of members of the Group.',
      subAttributes: [
        attr('value', { description: 'Identifier of the member of this Group.', mutability: 'immutable' }),
        attr('$ref', {
          type: 'reference',
          referenceTypes: ['User', 'Group'],
          description: 'The URI corresponding to a SCIM resource that is a member of this Group.',
          mutability: 'immutable',
        }),
        attr('type', {
          description: "A label indicating the type of resource, e.g., 'User' or 'Group'.",
          canonicalValues: ['User', 'Group'],
          mutability: 'immutable',
        }),
        // Missing from §8.7.1, yet §4.2 and §2.4 give members a `display`, and the §8.4 example and
        // every IdP send one. Immutable like its siblings: it describes the member the value names.
        attr('display', {
          description: 'A human-readable name, primarily used for display purposes.',
          mutability: 'immutable',
        }),
      ],
    }),
  ],
};
