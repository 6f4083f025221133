export * from './sign-in.module.js';
