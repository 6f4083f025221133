import { Logger } from '@nestjs/common';
import { loadConfig } from '@app/config';
import { DependencyHealth } from '../observability/dependency-health.js';
import { Metrics } from '../observability/metrics.js';
import { MailService } from './mail.service.js';

const health = () => new DependencyHealth(new Metrics());

const mail = { to: 'bob@example.com', subject: 'Reset', text: 'link: https://x/reset?token=SECRET', html: '<p>x</p>' };

describe('MailService without SMTP_URL', () => {
  afterEach(() => jest.restoreAllMocks());

  it('development: the whole mail goes to the log (the link can be followed locally)', async () => {
    const log = jest.spyOn(Logger.prototype, 'log').mockImplementation(() => undefined);
    const service = new MailService(loadConfig({}), health());
    expect(service.canDeliver).toBe(true);
    expect(await service.send(mail)).toBe(true);
    expect(log.mock.calls.flat().join('\n')).toContain('token=SECRET');
  });

  it('production: nothing is sent, nothing of the mail is logged, and mail features report unavailable', async () => {
    const logged = [
      jest.spyOn(Logger.prototype, 'log').mockImplementation(() => undefined),
      jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined),
      jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined),
    ];
    const service = new MailService(
      loadConfig({
        NODE_ENV: 'production',
        MASTER_KEY: 'a'.repeat(64),
        PUBLIC_URL: 'https://id.example.com',
        DATABASE_URL: 'postgres://db/idp',
        REDIS_URL: 'redis://cache',
      }),
      health(),
    );
    expect(service.canDeliver).toBe(false);
    expect(await service.send(mail)).toBe(false);
    const output = logged.flatMap((spy) => spy.mock.calls.flat()).join('\n');
    expect(output).not.toContain('SECRET');
    expect(output).not.toContain('bob@example.com');
  });
});

describe('MailService with an SMTP relay', () => {
  afterEach(() => jest.restoreAllMocks());

  it('tracks the relay as an optional dependency: failed sends degrade it', async () => {
    jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    const tracker = health();
    // Nothing listens on port 1: every hand-over fails at once.
    const service = new MailService(loadConfig({ SMTP_URL: 'smtp://127.0.0.1:1' }), tracker);
    expect(tracker.state('mail')).toMatchObject({ status: 'healthy', required: false, kind: 'smtp' });
    for (let i = 0; i < 3; i++) expect(await service.send(mail)).toBe(false);
    expect(tracker.state('mail')).toMatchObject({ status: 'degraded', consecutiveFailures: 3 });
    expect(tracker.state('mail')!.lastError).not.toContain('SECRET');
    service.onModuleDestroy();
  });
});
