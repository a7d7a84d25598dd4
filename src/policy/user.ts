/**
 * The verified identity of whoever is asking, as the policy sees it. Only src/auth/ builds one,
 * and only from a verified source; the policy reads it.
 */
export type UserInfo = Readonly<Record<string, unknown>>;

export interface User {
  readonly id: string;
  /** Presence `user_info`; omitted when the source gives none. */
  readonly info?: UserInfo;
  /** Globs of extra channels this user may join (`presence-team-7`, `private-doc-*`). */
  readonly channels: readonly string[];
}
