export { underRoot } from '../util/root.js';
