import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { extname, join, relative } from 'node:path';
import { Hono } from 'hono';
import { HttpError, type Service } from './context';
import { apiRoutes } from './http/api';
import { consoleRoutes } from './http/console-api';

/** Where `npm run server` (vite build) puts the console page. */
export const CONSOLE_DIST = join(import.meta.dirname, 'console', 'dist');

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.json': 'application/json',
};

/** The built console, read once into memory (a few files). */
function loadConsole(dir: string): Map<string, { body: Uint8Array; type: string }> {
  const files = new Map<string, { body: Uint8Array; type: string }>();
  if (!existsSync(dir)) return files;
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const path = join(d, name);
      if (statSync(path).isDirectory()) walk(path);
      else files.set('/' + relative(dir, path).split('\\').join('/'), { body: readFileSync(path), type: TYPES[extname(name)] ?? 'application/octet-stream' });
    }
  };
  walk(dir);
  return files;
}

export function createApp(service: Service, opts: { consoleDir?: string } = {}): Hono {
  const app = new Hono();
  const consoleFiles = loadConsole(opts.consoleDir ?? CONSOLE_DIST);

  app.use('*', async (c, next) => {
    await next();
    c.header('X-Content-Type-Options', 'nosniff');
    c.header('Referrer-Policy', 'no-referrer');
    c.header('Cache-Control', c.res.headers.get('Cache-Control') ?? 'no-store');
    c.header(
      'Content-Security-Policy',
      "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'",
    );
  });

  app.onError((error, c) => {
    if (error instanceof HttpError) {
      for (const [k, v] of Object.entries(error.headers)) c.header(k, v);
      return c.json({ error: error.message, code: error.code }, error.status);
    }
    const message = String((error as Error)?.message ?? error);
    // The database went away (restart, network): tell the client to retry; its outbox keeps the record.
    if (/ECONNREFUSED|ECONNRESET|terminat|Connection|shutdown|57P01|connect/i.test(message)) {
      c.header('Retry-After', '5');
      return c.json({ error: 'The service cannot reach its database right now; try again shortly.', code: 'unavailable' }, 503);
    }
    console.error('[candor-server]', error);
    return c.json({ error: 'Something went wrong in the service; the request was not stored.', code: 'internal' }, 500);
  });

  app.route('/', apiRoutes(service));
  app.route('/', consoleRoutes(service));

  app.all('/api/*', (c) => c.json({ error: 'There is no such API endpoint.', code: 'not-found' }, 404));

  app.get('*', (c) => {
    const path = c.req.path;
    const file = consoleFiles.get(path) ?? (extname(path) ? undefined : consoleFiles.get('/index.html'));
    if (!file) {
      if (!consoleFiles.size) return c.text('The console is not built: run `npm run server` (it builds the console first).', 404);
      return c.text('Not found', 404);
    }
    if (path.startsWith('/assets/')) c.header('Cache-Control', 'public, max-age=31536000, immutable');
    return c.body(file.body as Uint8Array<ArrayBuffer>, 200, { 'Content-Type': file.type });
  });
  return app;
}
