export { PAGE_STYLESHEET } from './layout.js';
export * from './pages.js';
export * from './self-service-pages.js';
