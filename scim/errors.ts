/** RFC 7644 §3.12 error types (Table 9). */
export type ScimType =
  | 'invalidFilter'
  | 'tooMany'
  | 'uniqueness'
  | 'mutability'
  | 'invalidSyntax'
  | 'invalidPath'
  | 'noTarget'
  | 'invalidValue'
  | 'invalidVers'
  | 'sensitive';

export const ERROR_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:Error';

/** The JSON body of an RFC 7644 §3.12 error response. `status` is a string, as the RFC's examples show. */
export interface ScimErrorBody {
  schemas: [typeof ERROR_SCHEMA];
  status: string;
  scimType?: ScimType;
  detail?: string;
}

/** Every failure the protocol core reports is a ScimError, so a server can always answer with an RFC body. */
export class ScimError extends Error {
  readonly status: number;
  readonly scimType: ScimType | undefined;

  constructor(status: number, scimType: ScimType | undefined, detail: string) {
    super(detail);
    this.name = 'ScimError';
    this.status = status;
    this.scimType = scimType;
  }

  get detail(): string {
    return this.message;
  }

  toBody(): ScimErrorBody {
    const body: ScimErrorBody = { schemas: [ERROR_SCHEMA], status: String(this.status) };
    if (this.scimType) body.scimType = this.scimType;
    body.detail = this.message;
    return body;
  }

  static badRequest(scimType: ScimType, detail: string): ScimError {
    return new ScimError(400, scimType, detail);
  }

  static notFound(detail: string): ScimError {
    return new ScimError(404, undefined, detail);
  }

  static conflict(detail: string): ScimError {
    return new ScimError(409, 'uniqueness', detail);
  }
}

export function isScimError(value: unknown): value is ScimError {
  return value instanceof ScimError;
}
