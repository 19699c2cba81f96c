// Self-signed PKI for the API server, made with openssl: a CA, a serving certificate for
// 127.0.0.1, and the key pair that signs service-account tokens.
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface Pki {
  caCert: string;
  servingCert: string;
  servingKey: string;
  serviceAccountKey: string;
  serviceAccountPublicKey: string;
}

export function makePki(openssl: string, dir: string): Pki {
  const file = (name: string) => join(dir, name);
  const run = (...args: string[]) => execFileSync(openssl, args, { stdio: 'pipe' });
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];

  run(
    'req',
    '-x509',
    ...ec,
    '-keyout',
    file('ca.key'),
    '-out',
    file('ca.crt'),
    '-days',
    '2',
    '-subj',
    '/CN=greenlight-e2e-ca',
  );
  run(
    'req',
    ...ec,
    '-keyout',
    file('apiserver.key'),
    '-out',
    file('apiserver.csr'),
    '-subj',
    '/CN=kube-apiserver',
  );
  writeFileSync(
    file('apiserver.ext'),
    'subjectAltName=IP:127.0.0.1,DNS:localhost,DNS:kubernetes.default.svc\n',
  );
  run(
    'x509',
    '-req',
    '-in',
    file('apiserver.csr'),
    '-CA',
    file('ca.crt'),
    '-CAkey',
    file('ca.key'),
    '-CAcreateserial',
    '-out',
    file('apiserver.crt'),
    '-days',
    '2',
    '-extfile',
    file('apiserver.ext'),
  );
  run('genpkey', '-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048', '-out', file('sa.key'));
  run('pkey', '-in', file('sa.key'), '-pubout', '-out', file('sa.pub'));

  return {
    caCert: file('ca.crt'),
    servingCert: file('apiserver.crt'),
    servingKey: file('apiserver.key'),
    serviceAccountKey: file('sa.key'),
    serviceAccountPublicKey: file('sa.pub'),
  };
}
