import { Global, Module } from '@nestjs/common';
import { MasterKeyCipher } from '../crypto/master-key-cipher.js';
import { type AppConfig, loadConfig, resolveMasterKey } from '@app/config';

export const APP_CONFIG = Symbol('APP_CONFIG');
export const MASTER_KEY = Symbol('MASTER_KEY');

@Global()
@Module({})
export class ConfigModule {
  static forRoot(config: AppConfig = loadConfig()) {
    const masterKey = resolveMasterKey(config);
    return {
      module: ConfigModule,
      providers: [
        { provide: APP_CONFIG, useValue: config },
        { provide: MASTER_KEY, useValue: masterKey },
        { provide: MasterKeyCipher, useValue: new MasterKeyCipher(masterKey) },
      ],
      exports: [APP_CONFIG, MASTER_KEY, MasterKeyCipher],
    };
  }
}
