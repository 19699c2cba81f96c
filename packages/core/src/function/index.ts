// A function's own Kubernetes objects, as OpenFaaS makes them, and OpenFaaS CE's limit on them.
export {
  renderFunctionObjects,
  FAAS_FUNCTION_LABEL,
  FUNCTION_PORT,
  HEALTH_PATH_ANNOTATION,
  type FunctionObjects,
  type FunctionTarget,
} from './objects.ts';
export {
  ceLimitWarning,
  countedByCe,
  readCeLimitWarning,
  CE_MAX_FUNCTIONS,
  CE_WARN_FROM,
} from './ce-limit.ts';
