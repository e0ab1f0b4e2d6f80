// zod as the pages get it (vite.config.ts aliases 'zod' here): set to jitless before any schema is
// built, because the server's CSP allows no eval and zod would otherwise probe for it (new Function)
// and log a violation. Only the pages that use a schema download zod.
import { config } from 'zod/v4';

config({ jitless: true });

export * from 'zod/v4';
