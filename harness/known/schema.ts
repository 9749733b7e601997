/**
 * The JSON Schema of a known-failures file (`run --known FILE`), for editors: the same rules
 * file.ts checks, which says where a mistake is. docs/known-failures.schema.json is written from
 * it by `npx tsx harness/known/write-schema.ts`; a test fails while that file is out of date.
 */
export const KNOWN_FIELDS = ['scenario', 'check', 'reason', 'owner', 'ticket', 'expires'] as const;

export function knownJsonSchema(): Record<string, unknown> {
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    $id: 'https://scimulator.dev/schemas/known-failures.schema.json',
    title: 'scimulator known failures',
    description:
      'Failures a run accepts (`scimulator run --known FILE`): each entry names a scenario, optionally one of its checks, why, who owns it and when it expires. A matching failure is reported as known and does not fail the run; a failure matched only by an entry past its date does.',
    type: 'object',
    required: ['known'],
    additionalProperties: false,
    properties: {
      known: {
        type: 'array',
        items: {
          type: 'object',
          required: ['scenario', 'reason', 'expires'],
          // `properties` repeated so that the branches name what they require (ajv's strict mode).
          anyOf: [
            { required: ['owner'], properties: { owner: true } },
            { required: ['ticket'], properties: { ticket: true } },
          ],
          additionalProperties: false,
          properties: {
            scenario: { type: 'string', minLength: 1, description: 'The scenario id (`scimulator list` shows them).' },
            check: {
              type: 'string',
              minLength: 1,
              description:
                'Narrows the entry to some of the failures: the name of the step they fail in, or text their line contains as reports write it (`status: expected status 201, got 400 [RFC 7644 §3.3]`: the check\'s `what`, message and ref). Without it, any failure of the scenario matches.',
            },
            reason: { type: 'string', minLength: 1, description: 'Why the failure is accepted.' },
            owner: { type: 'string', minLength: 1, description: 'Who fixes it (a person or team); give it or ticket, or both.' },
            ticket: { type: 'string', pattern: '^https?://', description: 'The ticket URL that tracks it; give it or owner, or both.' },
            expires: {
              type: 'string',
              pattern: '^\\d{4}-\\d{2}-\\d{2}$',
              description: 'The last day the entry holds (YYYY-MM-DD, UTC): from the day after, a failure it matches fails the run.',
            },
          },
        },
      },
    },
  };
}
