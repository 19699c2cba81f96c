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
  };
}
