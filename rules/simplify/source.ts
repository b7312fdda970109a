export { SEED_THREAD } from '../error-handling/source.ts';
