/** Something a scenario needs beyond a profile's claim: in the reason's words, and as the cause every such scenario shares. */
export interface Gap {
  what: string;
  key: string;
  /** Said of the profile: `has no DELETE /Users/{id}`. */
  summary: string;
}
