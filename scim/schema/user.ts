import { defineAttribute as attr } from './common.js';
import type { AttributeDefinition, SchemaDefinition } from './types.js';
import { URN } from './urns.js';

/** RFC 7643 §8.7.1 repeats this description on every `display` sub-attribute, writable or not. */
const DISPLAY = 'A human-readable name, primarily used for display purposes.  READ-ONLY.';

function primary(example?: string): AttributeDefinition {
  const eg = example ? `, e.g., ${example}` : '';
  return attr('primary', {
    type: 'boolean',
    description: `A Boolean value indicating the 'primary' or preferred attribute value for this attribute${eg}.  The primary attribute value 'true' MUST appear no more than once.`,
  });
}

function typeLabel(description: string, canonicalValues?: string[]): AttributeDefinition {
  return attr('type', { description, ...(canonicalValues && { canonicalValues }) });
}

/** The User schema exactly as RFC 7643 §8.7.1 represents it (attributes of §4.1). */
export const USER_SCHEMA: SchemaDefinition = {
  id: URN.user,
  name: 'User',
  description: 'User Account',
  attributes: [
    attr('userName', {
      description:
        "Unique identifier for the User, typically used by the user to directly authenticate to the service provider. Each User MUST include a non-empty userName value.  This identifier MUST be unique across the service provider's entire set of Users. REQUIRED.",
      required: true,
      uniqueness: 'server',
    }),
    attr('name', {
      type: 'complex',
      description:
        "The components of the user's real name. Providers MAY return just the full name as a single string in the formatted sub-attribute, or they MAY return just the individual component attributes using the other sub-attributes, or they MAY return both.  If both variants are returned, they SHOULD be describing the same name, with the formatted name indicating how the component attributes should be combined.",
      subAttributes: [
        attr('formatted', {
          description:
            "The full name, including all middle names, titles, and suffixes as appropriate, formatted for display (e.g., 'Ms. Barbara J Jensen, III').",
        }),
        attr('familyName', {
          description:
            "The family name of the User, or last name in most Western languages (e.g., 'Jensen' given the full name 'Ms. Barbara J Jensen, III').",
        }),
        attr('givenName', {
          description:
            "The given name of the User, or first name in most Western languages (e.g., 'Barbara' given the full name 'Ms. Barbara J Jensen, III').",
        }),
        attr('middleName', {
          description: "The middle name(s) of the User (e.g., 'Jane' given the full name 'Ms. Barbara J Jensen, III').",
        }),
        attr('honorificPrefix', {
          description:
            "The honorific prefix(es) of the User, or title in most Western languages (e.g., 'Ms.' given the full name 'Ms. Barbara J Jensen, III').",
        }),
        attr('honorificSuffix', {
          description:
            "The honorific suffix(es) of the User, or suffix in most Western languages (e.g., 'III' given the full name 'Ms. Barbara J Jensen, III').",
        }),
      ],
    }),
    attr('displayName', {
      description:
        'The name of the User, suitable for display to end-users.  The name SHOULD be the full name of the User being described, if known.',
    }),
    attr('nickName', {
      description:
        "The casual way to address the user in real life, e.g., 'Bob' or 'Bobby' instead of 'Robert'.  This attribute SHOULD NOT be used to represent a User's username (e.g., 'bjensen' or 'mpepperidge').",
    }),
    attr('profileUrl', {
      type: 'reference',
      referenceTypes: ['external'],
      description: "A fully qualified URL pointing to a page representing the User's online profile.",
    }),
    attr('title', { description: 'The user\'s title, such as "Vice President."' }),
    attr('userType', {
      description:
        "Used to identify the relationship between the organization and the user.  Typical values used might be 'Contractor', 'Employee', 'Intern', 'Temp', 'External', and 'Unknown', but any value may be used.",
    }),
    attr('preferredLanguage', {
      description:
        "Indicates the User's preferred written or spoken language.  Generally used for selecting a localized user interface; e.g., 'en_US' specifies the language English and country US.",
    }),
    attr('locale', {
      description:
        "Used to indicate the User's default location for purposes of localizing items such as currency, date time format, or numerical representations.",
    }),
    attr('timezone', {
      description: "The User's time zone in the 'Olson' time zone database format, e.g., 'America/Los_Angeles'.",
    }),
    attr('active', { type: 'boolean', description: "A Boolean value indicating the User's administrative status." }),
    attr('password', {
      description:
        "The User's cleartext password.  This attribute is intended to be used as a means to specify an initial password when creating a new User or to reset an existing User's password.",
      mutability: 'writeOnly',
      returned: 'never',
    }),
    attr('emails', {
      type: 'complex',
      multiValued: true,
      description:
        "Email addresses for the user.  The value SHOULD be canonicalized by the service provider, e.g., 'bjensen@example.com' instead of 'bjensen@EXAMPLE.COM'. Canonical type values of 'work', 'home', and 'other'.",
      subAttributes: [
        attr('value', {
          description:
            "Email addresses for the user.  The value SHOULD be canonicalized by the service provider, e.g., 'bjensen@example.com' instead of 'bjensen@EXAMPLE.COM'. Canonical type values of 'work', 'home', and 'other'.",
        }),
        attr('display', { description: DISPLAY }),
        typeLabel("A label indicating the attribute's function, e.g., 'work' or 'home'.", ['work', 'home', 'other']),
        primary('the preferred mailing address or primary email address'),
      ],
    }),
    attr('phoneNumbers', {
      type: 'complex',
      multiValued: true,
      description:
        "Phone numbers for the User.  The value SHOULD be canonicalized by the service provider according to the format specified in RFC 3966, e.g., 'tel:+1-201-555-0123'. Canonical type values of 'work', 'home', 'mobile', 'fax', 'pager', and 'other'.",
      subAttributes: [
        attr('value', { description: 'Phone number of the User.' }),
        attr('display', { description: DISPLAY }),
        typeLabel("A label indicating the attribute's function, e.g., 'work', 'home', 'mobile'.", [
          'work',
          'home',
          'mobile',
          'fax',
          'pager',
          'other',
        ]),
        primary('the preferred phone number or primary phone number'),
      ],
    }),
    attr('ims', {
      type: 'complex',
      multiValued: true,
      description: 'Instant messaging addresses for the User.',
      subAttributes: [
        attr('value', { description: 'Instant messaging address for the User.' }),
        attr('display', { description: DISPLAY }),
        typeLabel("A label indicating the attribute's function, e.g., 'aim', 'gtalk', 'xmpp'.", [
          'aim',
          'gtalk',
          'icq',
          'xmpp',
          'msn',
          'skype',
          'qq',
          'yahoo',
        ]),
        primary('the preferred messenger or primary messenger'),
      ],
    }),
    attr('photos', {
      type: 'complex',
      multiValued: true,
      description: 'URLs of photos of the User.',
      subAttributes: [
        attr('value', { type: 'reference', referenceTypes: ['external'], description: 'URL of a photo of the User.' }),
        attr('display', { description: DISPLAY }),
        typeLabel("A label indicating the attribute's function, i.e., 'photo' or 'thumbnail'.", ['photo', 'thumbnail']),
        primary('the preferred photo or thumbnail'),
      ],
    }),
    attr('addresses', {
      type: 'complex',
      multiValued: true,
      description:
        "A physical mailing address for this User. Canonical type values of 'work', 'home', and 'other'.  This attribute is a complex type with the following sub-attributes.",
      subAttributes: [
        attr('formatted', {
          description: 'The full mailing address, formatted for display or use with a mailing label.  This attribute MAY contain newlines.',
        }),
        attr('streetAddress', {
          description:
            'The full street address component, which may include house number, street name, P.O. box, and multi-line extended street address information.  This attribute MAY contain newlines.',
        }),
        attr('locality', { description: 'The city or locality component.' }),
        attr('region', { description: 'The state or region component.' }),
        attr('postalCode', { description: 'The zip code or postal code component.' }),
        attr('country', { description: 'The country name component.' }),
        typeLabel("A label indicating the attribute's function, e.g., 'work' or 'home'.", ['work', 'home', 'other']),
        // §8.7.1 omits `primary` here, but §2.4 defines it for every multi-valued attribute and the
        // §8.2 example sends it on an address, so we add it.
        primary(),
      ],
    }),
    attr('groups', {
      type: 'complex',
      multiValued: true,
      description:
        'A list of groups to which the user belongs, either through direct membership, through nested groups, or dynamically calculated.',
      // Membership is changed through the Group's `members` (RFC 7643 §4.1.2), hence readOnly.
      mutability: 'readOnly',
      subAttributes: [
        attr('value', { description: "The identifier of the User's group.", mutability: 'readOnly' }),
        attr('$ref', {
          type: 'reference',
          referenceTypes: ['User', 'Group'],
          description: "The URI of the corresponding 'Group' resource to which the user belongs.",
          mutability: 'readOnly',
        }),
        attr('display', { description: DISPLAY, mutability: 'readOnly' }),
        attr('type', {
          description: "A label indicating the attribute's function, e.g., 'direct' or 'indirect'.",
          canonicalValues: ['direct', 'indirect'],
          mutability: 'readOnly',
        }),
      ],
    }),
    attr('entitlements', {
      type: 'complex',
      multiValued: true,
      description: 'A list of entitlements for the User that represent a thing the User has.',
      subAttributes: [
        attr('value', { description: 'The value of an entitlement.' }),
        attr('display', { description: DISPLAY }),
        typeLabel("A label indicating the attribute's function."),
        primary(),
      ],
    }),
    attr('roles', {
      type: 'complex',
      multiValued: true,
      description: "A list of roles for the User that collectively represent who the User is, e.g., 'Student', 'Faculty'.",
      subAttributes: [
        attr('value', { description: 'The value of a role.' }),
        attr('display', { description: DISPLAY }),
        typeLabel("A label indicating the attribute's function.", []),
        primary(),
      ],
    }),
    attr('x509Certificates', {
      type: 'complex',
      multiValued: true,
      description: 'A list of certificates issued to the User.',
      subAttributes: [
        attr('value', { type: 'binary', description: 'The value of an X.509 certificate.' }),
        attr('display', { description: DISPLAY }),
        typeLabel("A label indicating the attribute's function.", []),
        primary(),
      ],
    }),
  ],
};
