import { UserError } from '@greenlight/core';

export interface CanaryRef {
  namespace: string;
  name: string;
}

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** Parses the `NAMESPACE/CANARY` argument every cluster command takes. */
export function parseCanaryRef(argument: string): CanaryRef {
  const [namespace, name, ...rest] = argument.split('/');
  if (!namespace || !name || rest.length > 0) {
    throw new UserError(`expected NAMESPACE/CANARY, got "${argument}"`, {
      field: 'NAMESPACE/CANARY',
      hint: 'For example: greenlight status openfaas-fn/chatbot',
    });
  }
  for (const [field, value] of [
    ['namespace', namespace],
    ['canary name', name],
  ] as const) {
    if (value.length > 63 || !DNS_LABEL.test(value)) {
      throw new UserError(`${field} "${value}" is not a valid Kubernetes name`, {
        field: 'NAMESPACE/CANARY',
        hint: 'Use lowercase letters, digits and "-", at most 63 characters',
      });
    }
  }
  return { namespace, name };
}
