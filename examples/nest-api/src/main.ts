import { NestFactory } from '@nestjs/core';
import { AppModule } from './app.module.js';

const { ISSUER, AUDIENCE, PORT = '4000' } = process.env;
if (!ISSUER || !AUDIENCE) {
  console.error('Set ISSUER (e.g. http://localhost:3000/t/acme) and AUDIENCE (e.g. https://orders.acme.example).');
  process.exit(1);
}

const app = await NestFactory.create(AppModule.forRoot({ issuer: ISSUER, audience: AUDIENCE }));
await app.listen(Number(PORT));
console.log(`orders API on http://localhost:${PORT} — accepting tokens of ${ISSUER} for ${AUDIENCE}`);
