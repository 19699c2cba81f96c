import * as z from 'zod';

// The shape of a stack file after YAML parsing and before the rules in rules.ts. Objects are
// strict so a typo such as `function:` or `enviroment:` is reported instead of ignored (faas-cli's
// YAML decoder ignores unknown keys, which hides such typos until deploy time).

const stringMap = z.record(z.string(), z.string());
const stringList = z.array(z.string());
const resources = z.strictObject({ memory: z.string().optional(), cpu: z.string().optional() });

export const functionSchema = z.strictObject({
  lang: z.string(),
  handler: z.string(),
  image: z.string(),
  namespace: z.string().optional(),
  environment: stringMap.optional(),
  environment_file: stringList.optional(),
  secrets: stringList.optional(),
  labels: stringMap.optional(),
  annotations: stringMap.optional(),
  limits: resources.optional(),
  requests: resources.optional(),
  build_args: stringMap.optional(),
  build_options: stringList.optional(),
  platforms: z.string().optional(),
  skip_build: z.boolean().optional(),
  readonly_root_filesystem: z.boolean().optional(),
  constraints: stringList.optional(),
  fprocess: z.string().optional(),
  build_secrets: stringMap.optional(),
  dockerfile: z.string().optional(),
});

export const stackSchema = z.strictObject({
  version: z.string().optional(),
  provider: z.strictObject({
    name: z.string(),
    gateway: z.string().optional(),
    // Docker Swarm's network name; faas-cli still reads it, Kubernetes ignores it.
    network: z.string().optional(),
  }),
  functions: z.record(z.string(), functionSchema),
  configuration: z
    .strictObject({
      templates: z
        .array(
          z.strictObject({
            name: z.string(),
            source: z.string().optional(),
            path: z.string().optional(),
          }),
        )
        .optional(),
      copy: stringList.optional(),
    })
    .optional(),
});

export type StackInput = z.infer<typeof stackSchema>;
