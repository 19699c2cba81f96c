// Label and field selectors, as `?labelSelector=` and `?fieldSelector=` carry them
// (k8s.io/apimachinery/pkg/labels and pkg/fields).
import { badRequest } from './api-errors.ts';

export type Matcher = (obj: KubeObjectLike) => boolean;

interface KubeObjectLike {
  metadata?: { name?: string; namespace?: string; labels?: Record<string, string> };
}

/** Equality-based (`a=b`, `a==b`, `a!=b`) and set-based (`a in (x,y)`, `a notin (x)`, `a`, `!a`). */
export function parseLabelSelector(selector: string | null): Matcher {
  if (!selector || !selector.trim()) return () => true;
  const requirements = splitTopLevel(selector).map(parseRequirement);
  return (obj) => {
    const labels = obj.metadata?.labels ?? {};
    return requirements.every((r) => r(labels));
  };
}

type Requirement = (labels: Record<string, string>) => boolean;

function parseRequirement(raw: string): Requirement {
  const text = raw.trim();
  let m = /^!\s*([\w./-]+)$/.exec(text);
  if (m) {
    const key = m[1] as string;
    return (labels) => !(key in labels);
  }
  m = /^([\w./-]+)\s+(in|notin)\s+\(([^)]*)\)$/.exec(text);
  if (m) {
    const [, key, op, list] = m as unknown as [string, string, string, string];
    const values = list.split(',').map((v) => v.trim());
    return op === 'in'
      ? (labels) => key in labels && values.includes(labels[key] as string)
      : (labels) => !(key in labels) || !values.includes(labels[key] as string);
  }
  m = /^([\w./-]+)\s*(==|=|!=)\s*([\w.-]*)$/.exec(text);
  if (m) {
    const [, key, op, value] = m as unknown as [string, string, string, string];
    return op === '!='
      ? (labels) => labels[key] !== value
      : (labels) => key in labels && labels[key] === value;
  }
  m = /^([\w./-]+)$/.exec(text);
  if (m) {
    const key = m[1] as string;
    return (labels) => key in labels;
  }
  throw badRequest(`unable to parse requirement: invalid label selector "${text}"`);
}

function splitTopLevel(selector: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let current = '';
  for (const ch of selector) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === ',' && depth === 0) {
      parts.push(current);
      current = '';
    } else {
      current += ch;
    }
  }
  parts.push(current);
  return parts.filter((p) => p.trim() !== '');
}

/**
 * Only `metadata.name` and `metadata.namespace` (`=`, `==`, `!=`), the two fields every
 * resource supports on the real apiserver; any other field is refused rather than ignored.
 */
export function parseFieldSelector(selector: string | null): Matcher {
  if (!selector || !selector.trim()) return () => true;
  const requirements = selector.split(',').map((raw) => {
    const m = /^\s*(metadata\.name|metadata\.namespace)\s*(==|=|!=)\s*([\w.-]*)\s*$/.exec(raw);
    if (!m) {
      throw badRequest(
        `field selector "${raw}" is not supported by the sandbox API: only metadata.name and metadata.namespace are`,
      );
    }
    const [, field, op, value] = m as unknown as [string, string, string, string];
    const read = (obj: KubeObjectLike) =>
      (field === 'metadata.name' ? obj.metadata?.name : obj.metadata?.namespace) ?? '';
    return op === '!='
      ? (o: KubeObjectLike) => read(o) !== value
      : (o: KubeObjectLike) => read(o) === value;
  });
  return (obj) => requirements.every((r) => r(obj));
}
