import { startFixtureServer } from '../tests/e2e/fixtures/server';
import { AMEX, CNP } from '../tests/e2e/fixtures/sites';
import { audit } from './audit';

/**
 * `npm run demo [-- audit options]`: serves the fixture sites that play the seed sites (the ones the end-to-end tests
 * use) on 127.0.0.1, and audits them under their production host names.
 */
const server = await startFixtureServer();
process.stderr.write(
  `demo: fixture sites for ${CNP} and ${AMEX} (and their third parties) on 127.0.0.1:${server.httpsPort}\n`,
);
try {
  process.exitCode = await audit([
    ...server.hosts.flatMap((host) => ['--resolve', `${host}=127.0.0.1`]),
    // The fixture server's certificate is self-signed.
    '--insecure',
    ...process.argv.slice(2),
    server.url(CNP),
    server.url(AMEX),
  ]);
} finally {
  await server.close();
}
