// How the built pages are served: the precompressed copies (.br, .gz, written by the build) to
// browsers that accept them, and caching that is safe across versions.
import path from 'node:path';
import type { FastifyStaticOptions } from '@fastify/static';

/** A file whose name carries its content hash: never changes, so browsers keep it a year without asking. */
export const IMMUTABLE = 'public, max-age=31536000, immutable';
/** Everything else (index.html, sw.js, the manifest, icons): revalidated on every use, so a new version shows at once. */
export const REVALIDATE = 'no-cache';

export function staticPages(root: string): FastifyStaticOptions {
  return {
    root,
    wildcard: false,
    preCompressed: true,
    cacheControl: false,
    setHeaders(res, filePath) {
      const hashed = path.relative(root, filePath).split(path.sep)[0] === 'assets';
      res.setHeader('cache-control', hashed ? IMMUTABLE : REVALIDATE);
    },
  };
}
