export { type SimTls, generateTls } from './tls.js';
