// What a route reader (trafficsplit.ts, httproute.ts) is given and answers: the seam
// between weights.ts, which picks the reader for the Canary's route, and the readers.

/** The Services Flagger routes between (Canary.GetServiceNames in fluxcd/flagger). */
export interface ServiceNames {
  apex: string;
  primary: string;
  canary: string;
}

/** Raw backend weights as the route states them (relative, not yet percent). */
export interface BackendWeights {
  primary: number;
  canary: number;
}
