import type { BuilderName } from '../../inputs/inputs.ts';
import type { Builder } from './builder.ts';
import { BuildahBuilder } from './buildah.ts';
import { DockerBuilder } from './docker.ts';
import { NoBuilder } from './none.ts';

export type { Builder, BuildRequest, BuiltImage } from './builder.ts';

export function createBuilder(name: BuilderName): Builder {
  switch (name) {
    case 'docker':
      return new DockerBuilder();
    case 'buildah':
      return new BuildahBuilder();
    case 'none':
      return new NoBuilder();
  }
}
