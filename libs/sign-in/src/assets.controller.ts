import { Public } from '@app/platform';
import { Controller, Get, Header } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { PAGE_STYLESHEET, PASSKEY_SCRIPT } from '@app/pages';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/** @simplewebauthn/browser's own browser bundle (its package exports only the module builds). */
function webauthnBrowserBundle(): string {
  const entry = createRequire(import.meta.url).resolve('@simplewebauthn/browser');
  return readFileSync(join(dirname(entry), '..', 'dist', 'bundle', 'index.umd.min.js'), 'utf8');
}

/**
 * The stylesheet and the two scripts of our pages, served from our origin so the CSP can
 * forbid inline styles and scripts (`style-src 'self'`, `script-src 'self'`).
 */
@ApiExcludeController()
@Public()
@Controller('assets')
export class AssetsController {
  private webauthn?: string;

  @Get('style.css')
  @Header('content-type', 'text/css; charset=utf-8')
  @Header('cache-control', 'public, max-age=3600')
  stylesheet(): string {
    return PAGE_STYLESHEET;
  }

  /** Read on first request: most sign-ins never load it. */
  @Get('webauthn.js')
  @Header('content-type', 'text/javascript; charset=utf-8')
  @Header('cache-control', 'public, max-age=3600')
  webauthnScript(): string {
    return (this.webauthn ??= webauthnBrowserBundle());
  }

  @Get('passkeys.js')
  @Header('content-type', 'text/javascript; charset=utf-8')
  @Header('cache-control', 'public, max-age=3600')
  passkeyScript(): string {
    return PASSKEY_SCRIPT;
  }
}
