import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Catalogue } from '../lib/catalogue/schema';
import { extract } from './extract';

// Node's own fetch: in the happy-dom environment of extract.test.ts, fetch is the page's, bound by CORS.
const CORPUS = join(__dirname, '../tests/fixtures/extraction/corpus');

async function run(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await extract(argv, { out: (text) => (out += text), err: (text) => (err += text) });
  return { code, out, err };
}

describe('npm run extract on an address', () => {
  it('reads a policy at an http address, and says when the server refuses it', async () => {
    const page = readFileSync(join(CORPUS, '27-classic-table-en.html'));
    const server = createServer((request, response) => {
      if (request.url === '/cookies') response.writeHead(200, { 'content-type': 'text/html' }).end(page);
      else response.writeHead(404).end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const found = await run([`${base}/cookies`]);
      expect(found.code).toBe(0);
      const draft = JSON.parse(found.out) as Catalogue;
      expect(draft.policy.url).toBe(`${base}/cookies`);
      expect(draft.entries.flatMap((entry) => entry.names.map((name) => name.printed))).toEqual([
        '__cf_bm',
        'cf_clearance',
        'XSRF-TOKEN',
      ]);
      const missing = await run([`${base}/gone`]);
      expect(missing).toMatchObject({ code: 3, out: '', err: expect.stringMatching(/the server answered 404/) });
    } finally {
      server.close();
    }
  });
});
