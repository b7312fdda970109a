import js from '@eslint/js';
import tseslint from 'typescript-eslint';

// Data flows one way: patch -> c -> knowledge -> sim -> review -> report -> fronts (cli, api, bot, eval).
// The rule packs (rules/) are passed into the engine by the fronts (src/default-review.ts), never imported by it.
const FRONTS = ['cli', 'api', 'bot', 'eval'];
const frontGroups = (except, alsoAllowed) =>
  FRONTS.filter((f) => f !== except && f !== alsoAllowed).map((f) => ({
    group: [`**/src/${f}/**`, `../${f}/**`, `../../${f}/**`, `../../../${f}/**`],
    message: `a module ${except ? `of src/${except} ` : 'below the fronts '}must not import src/${f}: fronts are thin over review() and do not depend on each other (share code below them, e.g. src/git)`,
  }));
const rulesGroup = {
  group: ['**/rules/**', '**/default-review.ts'],
  message: 'src/review must not import the rule packs: the rule set is passed in (fronts use src/default-review.ts)',
};

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', 'test/fixtures/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-constant-condition': ['error', { checkLoops: false }],
    },
  },
  {
    files: ['src/**/*.ts'],
    ignores: FRONTS.map((f) => `src/${f}/**`),
    rules: { 'no-restricted-imports': ['error', { patterns: frontGroups(undefined) }] },
  },
  {
    files: ['src/review/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [rulesGroup, ...frontGroups(undefined)] }] },
  },
  ...FRONTS.map((front) => ({
    files: [`src/${front}/**/*.ts`],
    rules: { 'no-restricted-imports': ['error', { patterns: frontGroups(front) }] },
  })),
  // A front's `patch-review <command>` entry lives in the CLI's command table and is that front's own code
  // (TEAM.md: src/cli/commands/eval.ts belongs to eval, bot.ts to bot): it may import its own front, no other.
  ...['eval', 'bot'].map((front) => ({
    files: [`src/cli/commands/${front}.ts`],
    rules: { 'no-restricted-imports': ['error', { patterns: frontGroups('cli', front) }] },
  })),
  {
    files: ['bin/**/*.js', 'eslint.config.js'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly' } },
  },
  // The bin is CommonJS (bin/package.json): it starts sooner than an ES module entry.
  {
    files: ['bin/**/*.js'],
    languageOptions: { sourceType: 'commonjs', globals: { require: 'readonly', __dirname: 'readonly' } },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
