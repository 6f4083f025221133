export { PAGE_STYLESHEET, stylesheetHref } from './layout.js';
export * from './pages.js';
export * from './self-service-pages.js';
