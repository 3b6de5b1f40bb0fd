import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import type { INestApplication } from '@nestjs/common';

/** The repository's root, from the sources (jest) or from their build under dist/. */
const ROOT = path.resolve(
  __dirname,
  __dirname.includes(`${path.sep}dist${path.sep}`) ? '../../../../..' : '../../../..',
);
/** Where `npm run build:web` (Vite) writes the web app. */
export const WEB_APP_DIRECTORY = path.join(ROOT, 'dist/web');

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json; charset=utf-8',
  '.woff2': 'font/woff2',
};

interface WebFile {
  type: string;
  body: Buffer;
  gzip: Buffer | null;
  /** Vite names every asset by its content's hash: cached for good; index.html never. */
  immutable: boolean;
}

/**
 * The web app's files, read and compressed once at start (a few hundred KB). Served from the
 * API's own origin so the app needs no CORS and calls the API with relative URLs.
 */
export function loadWebApp(directory = WEB_APP_DIRECTORY): Map<string, WebFile> | null {
  if (!existsSync(path.join(directory, 'index.html'))) return null;
  const files = new Map<string, WebFile>();
  const walk = (folder: string) => {
    for (const name of readdirSync(folder)) {
      const full = path.join(folder, name);
      if (statSync(full).isDirectory()) walk(full);
      else {
        const body = readFileSync(full);
        const type = TYPES[path.extname(name)] ?? 'application/octet-stream';
        const compressible = /text|javascript|json|svg/.test(type) && body.length > 1024;
        const url = `/${path.relative(directory, full).split(path.sep).join('/')}`;
        files.set(url, {
          type,
          body,
          gzip: compressible ? gzipSync(body, { level: 9 }) : null,
          immutable: url.startsWith('/assets/'),
        });
      }
    }
  };
  walk(directory);
  return files;
}

/**
 * The web app's URLs, none of which the API uses: `/` and the client routes under `/app/…` get
 * index.html (the SPA fallback: a reload of `/app/appraisals/…` lands on the app, not on the API's
 * JSON), `/assets/…` the built files. Every other path stays the API's, with its own 404s.
 */
export function webAppPathOf(url: string): string | null {
  const pathname = url.split('?')[0];
  if (pathname === '/' || pathname === '/app' || pathname.startsWith('/app/')) return '/index.html';
  if (pathname.startsWith('/assets/') || pathname === '/favicon.svg') return pathname;
  return null;
}

interface Reply {
  status(code: number): unknown;
  header(name: string, value: string): unknown;
  send(body: Buffer | string): unknown;
}

function answer(
  files: Map<string, WebFile>,
  url: string,
  acceptEncoding: string | undefined,
  reply: Reply,
): void {
  const file = files.get(webAppPathOf(url) ?? '');
  if (!file) {
    reply.status(404);
    reply.header('content-type', 'text/plain; charset=utf-8');
    reply.send('Not found');
    return;
  }
  reply.header('content-type', file.type);
  reply.header('cache-control', file.immutable ? 'public, max-age=31536000, immutable' : 'no-cache');
  reply.header('vary', 'accept-encoding');
  const gzip = file.gzip !== null && /\bgzip\b/.test(acceptEncoding ?? '');
  const body = gzip ? file.gzip! : file.body;
  if (gzip) reply.header('content-encoding', 'gzip');
  reply.header('content-length', String(body.length));
  reply.send(body);
}

/** Serves the built web app beside the API routes, on either HTTP platform; nothing when it is not built. */
export function serveWebApp(
  app: INestApplication,
  platform: 'express' | 'fastify',
  files = loadWebApp(),
): void {
  if (!files) return;
  const routes = ['/', '/app', '/app/*', '/assets/*', '/favicon.svg'];
  if (platform === 'fastify') {
    const fastify = app.getHttpAdapter().getInstance() as FastifyLike;
    for (const route of routes)
      fastify.get(route, (request, reply) =>
        answer(files, request.url, request.headers['accept-encoding'] as string | undefined, reply),
      );
    return;
  }
  const express = app.getHttpAdapter().getInstance() as ExpressLike;
  express.get(['/', '/app', /^\/app\/.*/, /^\/assets\/.*/, '/favicon.svg'], (request, response) =>
    answer(files, request.url, request.headers['accept-encoding'] as string | undefined, {
      status: (code) => response.status(code),
      header: (name, value) => response.setHeader(name, value),
      send: (body) => response.end(body),
    }),
  );
}

interface FastifyLike {
  get(
    path: string,
    handler: (request: { url: string; headers: Record<string, unknown> }, reply: Reply) => void,
  ): void;
}

interface ExpressLike {
  get(
    paths: (string | RegExp)[],
    handler: (
      request: { url: string; headers: Record<string, unknown> },
      response: {
        status(code: number): unknown;
        setHeader(n: string, v: string): unknown;
        end(b: unknown): unknown;
      },
    ) => void,
  ): void;
}
