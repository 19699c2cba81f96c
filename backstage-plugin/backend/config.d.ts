export interface Config {
  /** The Greenlight plugin: where its Canaries and their golden metrics are. */
  greenlight?: {
    /**
     * The clusters Flagger runs in. Each is reached one of three ways: a kubeconfig file,
     * the pod's service account (`inCluster: true`), or an API server URL with a token.
     */
    clusters?: Array<{
      /** Shown in the UI and matched by the `greenlight.dev/cluster` annotation. */
      name: string;
      /** A kubeconfig file, with an optional context. */
      kubeconfig?: string;
      context?: string;
      /** Use the service account of the pod Backstage runs in. */
      inCluster?: boolean;
      /** The API server, e.g. https://kubernetes.example.com:6443. */
      url?: string;
      /** A bearer token for `url`. @visibility secret */
      token?: string;
      /** The API server's CA certificate, PEM, base64-encoded. */
      caData?: string;
      /** Do not check the API server's certificate (never in production). */
      skipTLSVerify?: boolean;
      /** Watch only these namespaces (default: all). */
      namespaces?: string[];
      /** This cluster's Prometheus (e.g. its linkerd-viz one); default greenlight.prometheus.url. */
      prometheusUrl?: string;
    }>;
    /** The Prometheus that scrapes Linkerd's proxies. */
    prometheus?: {
      /** e.g. http://prometheus.linkerd-viz:9090 */
      url: string;
      /** Per query, in milliseconds; default 10000. */
      timeoutMs?: number;
    };
    metrics?: {
      /**
       * `prometheus` (the default), or `sandbox`: the sandbox's synthetic Linkerd metrics,
       * served over the same Prometheus API at `greenlight.prometheus.url`, and labelled
       * as synthetic in the UI.
       */
      source?: 'prometheus' | 'sandbox';
      /** The default window of the golden metrics, a Prometheus duration; default 5m. */
      window?: string;
    };
    /**
     * Backstage notifications of rollouts, sent by the greenlight-notifications backend module
     * (greenlightNotificationsModule) to the owners of each Canary's greenlight.dev/owner entity.
     */
    notifications?: {
      /** How often the rollouts are looked at for a transition, in seconds; default 15. */
      intervalSeconds?: number;
    };
    /**
     * Slack: one live message per rollout, with Approve and Roll back buttons while Flagger
     * waits for an approval. Slack sends the clicks to
     * https://<backstage>/api/greenlight/slack/interactions.
     */
    slack?: {
      /** The Slack app's Bot User OAuth Token (xoxb-…; scopes chat:write, usergroups:read). @visibility secret */
      botToken: string;
      /** The Slack app's Signing Secret: only requests signed with it are clicks. @visibility secret */
      signingSecret: string;
      /** The Web API's base URL; default https://slack.com/api/. */
      apiUrl?: string;
      /** At most one update of a rollout's message per this many seconds; default 15. */
      updateIntervalSeconds?: number;
      /** Where rollouts are posted and who may approve them; one naming a Canary beats one for its namespace. */
      channels: Array<{
        namespace: string;
        /** This Canary only. */
        canary?: string;
        /** This cluster of greenlight.clusters only. */
        cluster?: string;
        /** The channel ID, e.g. C0123456789; invite the app to it. */
        channel: string;
        /** Who may press Approve and Roll back; nobody when empty. */
        approvers?: {
          /** Slack user IDs, e.g. U012ABCDEF. */
          users?: string[];
          /** Slack user group IDs, e.g. S0123ABCD; members as Slack lists them at the click. */
          userGroups?: string[];
        };
      }>;
    };
  };
}
