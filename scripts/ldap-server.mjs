// A real OpenLDAP server for tests and the benchmark: Debian's slapd on loopback ports, seeded from
// test/ldap/directory.ldif, with a throwaway CA and server certificate for LDAPS and StartTLS.
// Installs slapd and ldap-utils when missing and we are root (CI, fresh machines).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
export const LDAP_BASE_DN = 'dc=example,dc=test';
export const LDAP_BIND_DN = 'cn=sfwa-reader,dc=example,dc=test';
export const LDAP_BIND_PASSWORD = 'reader-secret';
const ADMIN_DN = 'cn=admin,dc=example,dc=test';
const ADMIN_PASSWORD = 'admin-secret';

export function ensureSlapd() {
  if (existsSync('/usr/sbin/slapd') && existsSync('/usr/bin/ldapadd')) return;
  if (process.getuid?.() !== 0) throw new Error('slapd is missing: install it with `sudo apt-get install -y slapd ldap-utils`');
  console.log('Installing Debian slapd and ldap-utils for the LDAP tests…');
  for (const args of [['update', '-qq'], ['install', '-y', '-qq', 'slapd', 'ldap-utils']]) {
    // The package's own service start is refused in containers; harmless, we start our own.
    const result = spawnSync('apt-get', args, { stdio: ['ignore', 'ignore', 'inherit'], env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
    if (result.status !== 0) throw new Error(`apt-get ${args.join(' ')} failed`);
  }
}

const run = (command, args, input) => {
  const result = spawnSync(command, args, { input, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')}: ${result.stderr || result.stdout}`);
  return result.stdout;
};

const portOpen = (port) =>
  new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('error', () => resolve(false));
  });

/** A CA and a server certificate for 127.0.0.1/localhost, so TLS can be tested with a custom CA. */
function makeCertificates(dir) {
  const at = (name) => join(dir, name);
  run('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-subj', '/CN=SFWA test CA', '-keyout', at('ca.key'), '-out', at('ca.crt')]);
  run('openssl', ['req', '-newkey', 'rsa:2048', '-nodes', '-subj', '/CN=localhost', '-keyout', at('server.key'), '-out', at('server.csr')]);
  writeFileSync(at('san.ext'), 'subjectAltName=DNS:localhost,IP:127.0.0.1\n');
  run('openssl', ['x509', '-req', '-in', at('server.csr'), '-CA', at('ca.crt'), '-CAkey', at('ca.key'), '-CAcreateserial', '-days', '2', '-extfile', at('san.ext'), '-out', at('server.crt')]);
  return readFileSync(at('ca.crt'), 'utf8');
}

/**
 * Starts slapd on `port` (ldap://, StartTLS offered) and `port + 1` (ldaps://), seeded with the test
 * directory. Returns the URLs, the CA certificate (PEM) and stop().
 */
export async function startLdapServer({ port = 3890 } = {}) {
  ensureSlapd();
  for (const busy of [port, port + 1]) if (await portOpen(busy)) throw new Error(`port ${busy} is in use: is another test directory (slapd) still running?`);
  const dir = mkdtempSync(join(tmpdir(), 'sfwa-ldap-'));
  const caPem = makeCertificates(dir);
  const dbDir = join(dir, 'db');
  spawnSync('mkdir', ['-p', dbDir]);
  const adminHash = run('slappasswd', ['-s', ADMIN_PASSWORD]).trim();
  writeFileSync(
    join(dir, 'slapd.conf'),
    [
      'include /etc/ldap/schema/core.schema',
      'include /etc/ldap/schema/cosine.schema',
      'include /etc/ldap/schema/inetorgperson.schema',
      'modulepath /usr/lib/ldap',
      'moduleload back_mdb',
      'moduleload memberof',
      `pidfile ${join(dir, 'slapd.pid')}`,
      `TLSCACertificateFile ${join(dir, 'ca.crt')}`,
      `TLSCertificateFile ${join(dir, 'server.crt')}`,
      `TLSCertificateKeyFile ${join(dir, 'server.key')}`,
      'database mdb',
      `suffix "${LDAP_BASE_DN}"`,
      `rootdn "${ADMIN_DN}"`,
      `rootpw ${adminHash}`,
      `directory ${dbDir}`,
      'maxsize 10485760',
      // groupOfNames members get memberOf, as Active Directory gives it.
      'overlay memberof',
      'access to attrs=userPassword by self write by anonymous auth by * none',
      `access to * by dn.exact="${LDAP_BIND_DN}" read by * none`,
      '',
    ].join('\n'),
  );
  const ldapUrl = `ldap://127.0.0.1:${port}`;
  const ldapsUrl = `ldaps://127.0.0.1:${port + 1}`;
  const slapd = spawn('/usr/sbin/slapd', ['-d', '0', '-f', join(dir, 'slapd.conf'), '-h', `${ldapUrl}/ ${ldapsUrl}/`], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  slapd.stderr.on('data', (chunk) => (stderr += chunk));
  const stop = () => {
    slapd.kill('SIGTERM');
    rmSync(dir, { recursive: true, force: true });
  };
  for (let i = 0; !(await portOpen(port)); i++) {
    if (i > 100 || slapd.exitCode !== null) {
      stop();
      throw new Error(`slapd did not start: ${stderr}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  // Added through the running server (not slapadd) so the memberof overlay fills in memberOf.
  const readerHash = run('slappasswd', ['-s', LDAP_BIND_PASSWORD]).trim();
  const ldif = readFileSync(join(root, 'test/ldap/directory.ldif'), 'utf8').replace('{READER_PASSWORD}', readerHash);
  run('ldapadd', ['-x', '-H', ldapUrl, '-D', ADMIN_DN, '-w', ADMIN_PASSWORD], ldif);
  return { ldapUrl, ldapsUrl, caPem, baseDn: LDAP_BASE_DN, bindDn: LDAP_BIND_DN, bindPassword: LDAP_BIND_PASSWORD, stop };
}
