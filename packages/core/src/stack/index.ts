// OpenFaaS stack.yml: which functions to ship, from which folder, as which image.
export { parseStack } from './parse.ts';
export { loadStack } from './load.ts';
export { selectFunctions } from './select.ts';
export { globMatcher } from './glob.ts';
export { isDnsLabel } from './names.ts';
export { imageProblem } from './image-ref.ts';
export { isWithheldVariable, WITHHELD_VARIABLES } from './withheld.ts';
export { fieldOf } from './problem.ts';
export type * from './types.ts';
