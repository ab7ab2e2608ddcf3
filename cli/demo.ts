import { startFixtureServer } from '../tests/e2e/fixtures/server';
import { AMEX, CNP } from '../tests/e2e/fixtures/sites';
import { audit } from './audit';

/**
 * `npm run demo [-- audit options]`: serves the fixture sites that play the seed sites (the ones the end-to-end tests
 * use) on 127.0.0.1, and runs the consent audit's three scenarios on them under their production host names: a table
 * per site, one line per scenario.
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
    '--consent',
    'none,refuse,accept',
    ...process.argv.slice(2),
    server.url(CNP),
    server.url(AMEX),
  ]);
} finally {
  await server.close();
}
