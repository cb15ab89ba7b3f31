import type { Db } from './store/db';
import type { Witness } from './witness/keys';

/** Everything a request handler needs: the database, the witness key, the configuration. */
export interface ServiceConfig {
  /** Org enrollment key (CANDOR_ENROLLMENT_KEY); null: only console-made codes enroll. */
  enrollmentKey: string | null;
  maxBodyBytes: number;
  maxRecordsPerMinute: number;
  /** Console session lifetime. */
  sessionHours: number;
  /** SSO proxy: the header naming the signed-in user's email, and the secret the proxy adds. */
  ssoEmailHeader: string | null;
  ssoSecret: string | null;
  version: string;
}

export interface Service {
  db: Db;
  witness: Witness;
  config: ServiceConfig;
  /** Timings of the witness step (ms), for the bench; bounded. */
  witnessMs: number[];
}

export class HttpError extends Error {
  constructor(
    readonly status: 400 | 401 | 403 | 404 | 409 | 410 | 413 | 429 | 500 | 503,
    readonly code: string,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}
