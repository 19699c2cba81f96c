import { checkWindow, UserError } from '@greenlight/core';
import { checkBehaviour, DEFAULT_BEHAVIOUR } from './behaviour.ts';
import type { Behaviour } from './behaviour.ts';
import { DeploymentCounters } from './counters.ts';
import type { Snapshot } from './counters.ts';
import type { CounterSource } from './evaluate.ts';
import { flaggerChecks } from './flagger-checks.ts';
import type { CheckResult } from './flagger-checks.ts';
import { History } from './history.ts';
import { latencyProfile } from './latency.ts';
import type { LatencyProfile } from './latency.ts';
import { seededRandom } from './random.ts';
import type { SeriesRef } from './series.ts';

// Synthetic Linkerd traffic. Each chatbot (namespace + Canary name) receives requests at a
// rate split between blue (`<name>-primary`) and green (`<name>`) by the live weights the
// controller sets, and each Deployment answers as its behaviour says. Time is the injected
// clock, advanced in whole ticks whenever the model is read or changed, so the same calls
// at the same clock readings with the same seed give the same counters.

export interface TrafficModelOptions {
  /** The clock, in ms since the epoch; default Date.now. */
  now?: () => number;
  /** Seed of the rate jitter; default 1. */
  seed?: number;
  /** Counters move once per tick; default 1000 ms. */
  tickMs?: number;
  /**
   * Requests per second per chatbot, blue and green together; default 50, enough that a
   * 5 % canary step of a 99.9 % version never shows two failures in a 1m window.
   */
  rps?: number;
  /** Relative jitter of each tick's request rate, 0 to 1; default 0.1 (±10 %). */
  jitter?: number;
  /** How far back queries can look; default 2 h. */
  retentionMs?: number;
}

/** Traffic weights as in the TrafficSplit/HTTPRoute; only their ratio matters. */
export interface Weights {
  blue: number;
  green: number;
}

export type { CheckResult } from './flagger-checks.ts';

interface Chatbot {
  namespace: string;
  name: string;
  rps: number;
  weights: Weights;
  canaryLoadRps: number;
}

interface Deployment {
  ref: SeriesRef;
  behaviour: Behaviour;
  latency: LatencyProfile;
  counters: DeploymentCounters;
  history: History<Snapshot>;
}

export class TrafficModel implements CounterSource {
  readonly #clock: () => number;
  readonly #random: () => number;
  readonly #tickMs: number;
  readonly #defaultRps: number;
  readonly #jitter: number;
  readonly #retentionMs: number;
  readonly #chatbots = new Map<string, Chatbot>();
  readonly #deployments = new Map<string, Deployment>();
  #cursor: number;

  constructor(options: TrafficModelOptions = {}) {
    this.#clock = options.now ?? Date.now;
    this.#random = seededRandom(options.seed ?? 1);
    this.#tickMs = positive(options.tickMs ?? 1000, 'tickMs');
    this.#defaultRps = nonNegative(options.rps ?? 50, 'rps');
    this.#jitter = options.jitter ?? 0.1;
    if (!(this.#jitter >= 0 && this.#jitter <= 1)) {
      throw new UserError(`jitter ${this.#jitter} is not between 0 and 1`, { field: 'jitter' });
    }
    this.#retentionMs = positive(options.retentionMs ?? 2 * 3_600_000, 'retentionMs');
    this.#cursor = this.#align(this.#clock());
  }

  /** Routes a chatbot's traffic: blue is `<name>-primary`, green is `<name>`. */
  setWeights(namespace: string, name: string, weights: Weights): void {
    const { blue, green } = weights;
    if (![blue, green].every((w) => Number.isFinite(w) && w >= 0)) {
      throw new UserError(
        `weights ${JSON.stringify(weights)} of ${namespace}/${name} are not non-negative numbers`,
        {
          field: 'weights',
        },
      );
    }
    this.#advance();
    this.#chatbot(namespace, name).weights = { blue, green };
  }

  /** A chatbot's request rate, blue and green together. */
  setRps(namespace: string, name: string, rps: number): void {
    nonNegative(rps, 'rps');
    this.#advance();
    this.#chatbot(namespace, name).rps = rps;
  }

  /**
   * Extra requests straight to green, whatever the weights: the load tester that a
   * blue/green analysis needs, since its route keeps 100 % on blue (Flagger's docs pair
   * `iterations` with a flagger-loadtester webhook hitting `<name>-canary`). 0 stops it.
   */
  setCanaryLoad(namespace: string, name: string, rps: number): void {
    nonNegative(rps, 'rps');
    this.#advance();
    this.#chatbot(namespace, name).canaryLoadRps = rps;
  }

  /** How a Deployment answers from now on (see behaviourOf for the annotation). */
  setBehaviour(namespace: string, deployment: string, behaviour: Behaviour): void {
    const checked = checkBehaviour(behaviour, `Deployment ${namespace}/${deployment}`);
    this.#advance();
    const target = this.#deployment(namespace, deployment);
    target.behaviour = checked;
    target.latency = latencyProfile(checked);
  }

  behaviour(namespace: string, deployment: string): Behaviour {
    return {
      ...(this.#deployments.get(key(namespace, deployment))?.behaviour ?? DEFAULT_BEHAVIOUR),
    };
  }

  weights(namespace: string, name: string): Weights | undefined {
    const chatbot = this.#chatbots.get(key(namespace, name));
    return chatbot && { ...chatbot.weights };
  }

  /**
   * The analysis checks of the canary (green, `<name>`) over `window` (a Prometheus
   * duration such as `1m`): Flagger's own queries, evaluated now.
   */
  check(namespace: string, name: string, window: string): CheckResult {
    checkWindow(window);
    return flaggerChecks(this, { namespace, target: name, interval: window }, this.now());
  }

  /** The model's time in ms: the clock, down to a whole tick. */
  now(): number {
    this.#advance();
    return this.#cursor;
  }

  /** Every Deployment the model knows, in name order. */
  deployments(): SeriesRef[] {
    this.#advance();
    return [...this.#deployments.values()]
      .map(({ ref }) => ref)
      .sort((a, b) => key(a.namespace, a.deployment).localeCompare(key(b.namespace, b.deployment)));
  }

  /** A Deployment's counters as they stood at `atMs`; undefined before its first response. */
  countersAt(namespace: string, deployment: string, atMs: number): Snapshot | undefined {
    this.#advance();
    return this.#deployments.get(key(namespace, deployment))?.history.at(atMs);
  }

  #advance(): void {
    const target = this.#align(this.#clock());
    // After a long pause (a suspended laptop, a test's jump) only the retention is replayed.
    this.#cursor = Math.max(this.#cursor, target - this.#retentionMs);
    while (this.#cursor < target) {
      this.#cursor += this.#tickMs;
      this.#tick(this.#cursor);
    }
    for (const { history } of this.#deployments.values()) {
      history.forgetBefore(this.#cursor - this.#retentionMs);
    }
  }

  #tick(at: number): void {
    for (const chatbot of this.#chatbots.values()) {
      const { blue, green } = chatbot.weights;
      const routed = (weight: number) =>
        weight === 0 ? 0 : (chatbot.rps * weight) / (blue + green);
      const rates = { blue: routed(blue), green: routed(green) + chatbot.canaryLoadRps };
      if (rates.blue + rates.green === 0) continue;
      const jitter = 1 + this.#jitter * (2 * this.#random() - 1);
      const serve = (deployment: string, rps: number) => {
        if (rps === 0) return;
        const target = this.#deployment(chatbot.namespace, deployment);
        const requests = (rps * jitter * this.#tickMs) / 1000;
        if (target.counters.serve(requests, target.behaviour, target.latency)) {
          target.history.push(at, target.counters.snapshot());
        }
      };
      serve(`${chatbot.name}-primary`, rates.blue);
      serve(chatbot.name, rates.green);
    }
  }

  #chatbot(namespace: string, name: string): Chatbot {
    const id = key(namespace, name);
    let chatbot = this.#chatbots.get(id);
    if (!chatbot) {
      chatbot = {
        namespace,
        name,
        rps: this.#defaultRps,
        weights: { blue: 100, green: 0 },
        canaryLoadRps: 0,
      };
      this.#chatbots.set(id, chatbot);
      this.#deployment(namespace, `${name}-primary`);
      this.#deployment(namespace, name);
    }
    return chatbot;
  }

  #deployment(namespace: string, deployment: string): Deployment {
    const id = key(namespace, deployment);
    let found = this.#deployments.get(id);
    if (!found) {
      const behaviour = { ...DEFAULT_BEHAVIOUR };
      found = {
        ref: { namespace, deployment },
        behaviour,
        latency: latencyProfile(behaviour),
        counters: new DeploymentCounters(),
        history: new History(),
      };
      this.#deployments.set(id, found);
    }
    return found;
  }

  #align(ms: number): number {
    return Math.floor(ms / this.#tickMs) * this.#tickMs;
  }
}

function key(namespace: string, name: string): string {
  return `${namespace}/${name}`;
}

function positive(value: number, field: string): number {
  if (!(Number.isFinite(value) && value > 0)) {
    throw new UserError(`${field} ${value} is not a positive number`, { field });
  }
  return value;
}

function nonNegative(value: number, field: string): number {
  if (!(Number.isFinite(value) && value >= 0)) {
    throw new UserError(`${field} ${value} is not a non-negative number`, { field });
  }
  return value;
}
