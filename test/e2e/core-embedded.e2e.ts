import { coreSuite } from './core-suite.js';

coreSuite('embedded');
