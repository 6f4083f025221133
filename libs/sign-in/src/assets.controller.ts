import { Public } from '@app/platform';
import { Controller, Get, Header } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { PAGE_STYLESHEET } from '@app/pages';

/** The one stylesheet of our pages; served from our origin so CSP can forbid inline styles. */
@ApiExcludeController()
@Public()
@Controller('assets')
export class AssetsController {
  @Get('style.css')
  @Header('content-type', 'text/css; charset=utf-8')
  @Header('cache-control', 'public, max-age=3600')
  stylesheet(): string {
    return PAGE_STYLESHEET;
  }
}
