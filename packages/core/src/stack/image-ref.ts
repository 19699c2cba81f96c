// Image references as the OCI distribution spec and Docker's reference grammar define them
// (distribution/reference regexp.go): [domain[:port]/]path[:tag][@digest], where the path is
// lowercase and the first component counts as a domain only if it has a '.' or ':' or is
// "localhost".

const DOMAIN_COMPONENT = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])';
const DOMAIN = `${DOMAIN_COMPONENT}(?:\\.${DOMAIN_COMPONENT})*(?::[0-9]+)?`;
const PATH_COMPONENT = '[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*';
const TAG = '[\\w][\\w.-]{0,127}';
const DIGEST = '[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}';
const PATH = `${PATH_COMPONENT}(?:/${PATH_COMPONENT})*`;
const REFERENCE = new RegExp(`^(?:(${DOMAIN})/)?(${PATH})(?::${TAG})?(?:@${DIGEST})?$`);
const ONE_PATH_COMPONENT = new RegExp(`^${PATH_COMPONENT}$`);
const MAX_NAME_LENGTH = 255;

export interface ImageProblem {
  message: string;
  hint: string;
}

const EXAMPLE = 'ghcr.io/acme/slack-bot:latest';

export function imageProblem(image: string): ImageProblem | undefined {
  const match = REFERENCE.exec(image);
  const domain = match?.[1];
  // `Acme/bot` has no registry: `Acme` is then a repository component and must be lowercase.
  const firstIsPath = domain !== undefined && !/[.:]/.test(domain) && domain !== 'localhost';
  const pathOk = !firstIsPath || ONE_PATH_COMPONENT.test(domain);
  const name = match ? `${domain ? `${domain}/` : ''}${match[2]}` : '';
  if (match && pathOk && name.length <= MAX_NAME_LENGTH) return undefined;

  if (image === '')
    return { message: 'image is empty', hint: `Set image: to a reference such as ${EXAMPLE}` };
  const invalid = `invalid image reference "${image}"`;
  if (image.includes('://')) {
    return {
      message: invalid,
      hint: `Drop the scheme: an image is registry/repository:tag, e.g. ${EXAMPLE}`,
    };
  }
  if (/\s/.test(image)) return { message: invalid, hint: 'Remove the whitespace from it' };
  if (image.startsWith('/') || image.includes('//') || image.endsWith(':') || image.endsWith('/')) {
    return {
      message: invalid,
      hint: `It has an empty part; check the variables it is built from, e.g. ${EXAMPLE}`,
    };
  }
  const lowered = lowercaseRepository(image);
  if (lowered !== image && imageProblem(lowered) === undefined) {
    return { message: invalid, hint: `Repository names must be lowercase: write "${lowered}"` };
  }
  if (name.length > MAX_NAME_LENGTH) {
    return {
      message: invalid,
      hint: `Shorten the repository name to ${MAX_NAME_LENGTH} characters or fewer`,
    };
  }
  return {
    message: invalid,
    hint: `Write it as [registry/]repository[:tag], e.g. ${EXAMPLE} (repository: lowercase letters, digits, '.', '_', '-', '/'; tag: up to 128 letters, digits, '_', '.', '-')`,
  };
}

// Lowercases everything but the tag and digest; the registry host is case-insensitive anyway.
function lowercaseRepository(image: string): string {
  const at = image.indexOf('@');
  const withoutDigest = at === -1 ? image : image.slice(0, at);
  const digest = at === -1 ? '' : image.slice(at);
  const slash = withoutDigest.lastIndexOf('/');
  const colon = withoutDigest.lastIndexOf(':');
  const tagAt = colon > slash ? colon : withoutDigest.length;
  return withoutDigest.slice(0, tagAt).toLowerCase() + withoutDigest.slice(tagAt) + digest;
}
