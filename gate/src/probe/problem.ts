/** Why a probe could not run: the HTTP status the prober answers and a sentence for Flagger. */
export class ProbeProblem extends Error {
  readonly status: 400 | 403 | 404 | 503;
  constructor(status: 400 | 403 | 404 | 503, message: string) {
    super(message);
    this.status = status;
  }
}
