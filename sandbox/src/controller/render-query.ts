import type { Canary } from 'flagger-types';

// Flagger's query templates (pkg/metrics/observers/render.go with the functions of
// MetricTemplateModel.TemplateFunctions): `{{ name }}`, `{{ namespace }}`, `{{ target }}`,
// `{{ service }}`, `{{ ingress }}`, `{{ route }}`, `{{ interval }}` and
// `{{ variables.<key> }}`. Go's text/template is not reimplemented: other actions are an
// error, as a missing key is for Flagger (missingkey=error).

export interface TemplateModel {
  name: string;
  namespace: string;
  target: string;
  service: string;
  ingress: string;
  route: string;
  interval: string;
  variables: Record<string, string>;
}

/** toMetricModel in scheduler_metrics.go. */
export function metricModel(
  canary: Canary,
  interval: string,
  variables: Record<string, string> = {},
): TemplateModel {
  const target = canary.spec.targetRef.name;
  return {
    name: canary.metadata.name,
    namespace: canary.metadata.namespace ?? '',
    target,
    service: canary.spec.service?.name || target,
    ingress: canary.spec.ingressRef?.name || target,
    route: canary.spec.routeRef?.name || target,
    interval,
    variables,
  };
}

export function renderQuery(template: string, model: TemplateModel): string {
  return template.replace(/\{\{-?\s*(.*?)\s*-?\}\}/g, (_, action: string) => {
    const variable = /^variables\.([A-Za-z_][A-Za-z0-9_]*)$/.exec(action);
    if (variable) {
      const value = model.variables[variable[1] as string];
      if (value === undefined) {
        throw new Error(`template excution failed: map has no entry for key "${variable[1]}"`);
      }
      return value;
    }
    const simple = (
      ['name', 'namespace', 'target', 'service', 'ingress', 'route', 'interval'] as const
    ).find((key) => key === action);
    if (!simple) {
      throw new Error(`template parsing failed: function "${action.split(/\s/)[0]}" not defined`);
    }
    return model[simple];
  });
}
