import type { Builder, BuildRequest, BuiltImage } from './builder.ts';

/** Images are built and pushed elsewhere; the revision tag is deployed as is. */
export class NoBuilder implements Builder {
  readonly name = 'none';
  async check(): Promise<void> {}
  async login(): Promise<void> {}
  async build(request: BuildRequest): Promise<BuiltImage> {
    return { reference: request.tags[0] as string };
  }
}
