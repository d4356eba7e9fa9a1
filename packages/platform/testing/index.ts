export { realEngine, TEST_ENGINES } from './engines.ts';
