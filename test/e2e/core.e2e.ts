import { coreSuite } from './core-suite.js';

coreSuite('postgres+redis');
