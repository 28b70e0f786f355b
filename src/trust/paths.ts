export { underRoot, isRealRoot } from '../util/root.js';
