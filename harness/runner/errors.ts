/** A mistake in how scimulator was called: exit code 2. */
export class UsageError extends Error {
  readonly exitCode = 2;
}

/** A reason to stop the whole run, with the exit code it ends with (3: target unreachable or refusing the credentials). */
export class RunAbort extends Error {
  constructor(
    readonly exitCode: number,
    message: string,
  ) {
    super(message);
  }
}
