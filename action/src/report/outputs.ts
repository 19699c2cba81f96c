// The step's outputs. `images` and `canaries` are JSON so later steps can use fromJSON().
import * as core from '@actions/core';
import type { CanaryReport, Result } from './result.ts';

export function setImagesOutput(images: Record<string, string>): void {
  core.setOutput('images', JSON.stringify(images));
}

export function setResultOutputs(
  result: Result,
  revision: string | undefined,
  reports: CanaryReport[],
): void {
  core.setOutput('result', result);
  core.setOutput('revision', revision ?? '');
  core.setOutput('canaries', JSON.stringify(reports));
}
