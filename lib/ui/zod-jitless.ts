import { z } from 'zod';

/**
 * zod reads `jitless` when a schema is created, so this module must be evaluated before any module
 * that defines schemas. Extension pages' CSP forbids eval: without it zod would probe `new Function`
 * (and log a CSP violation). Pages that load zod lazily import this first (components/popup/lazy.ts).
 */
z.config({ jitless: true });
