import { defineAttribute as attr } from './common.js';
import type { SchemaDefinition } from './types.js';
import { URN } from './urns.js';

/** The Enterprise User extension exactly as RFC 7643 §8.7.1 represents it (attributes of §4.3). */
export const ENTERPRISE_USER_SCHEMA: SchemaDefinition = {
  id: URN.enterpriseUser,
  name: 'EnterpriseUser',
  description: 'Enterprise User',
  attributes: [
    attr('employeeNumber', {
      description:
        'Numeric or alphanumeric identifier assigned to a person, typically based on order of hire or association with an organization.',
    }),
    attr('costCenter', { description: 'Identifies the name of a cost center.' }),
    attr('organization', { description: 'Identifies the name of an organization.' }),
    attr('division', { description: 'Identifies the name of a division.' }),
    attr('department', { description: 'Identifies the name of a department.' }),
    attr('manager', {
      type: 'complex',
      description:
        "The User's manager.  A complex type that optionally allows service providers to represent organizational hierarchy by referencing the 'id' attribute of another User.",
      // The descriptions say "REQUIRED" for value and $ref but the characteristics say not required;
      // §4.3 calls `value` RECOMMENDED, so the characteristics stand.
      subAttributes: [
        attr('value', { description: "The id of the SCIM resource representing the User's manager.  REQUIRED." }),
        attr('$ref', {
          type: 'reference',
          referenceTypes: ['User'],
          description: "The URI of the SCIM resource representing the User's manager.  REQUIRED.",
        }),
        attr('displayName', {
          description: "The displayName of the User's manager. OPTIONAL and READ-ONLY.",
          mutability: 'readOnly',
        }),
      ],
    }),
  ],
};
