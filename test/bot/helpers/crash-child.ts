// A bot process for the crash test: one pass over the list mbox, sending through the test's SMTP
// server. With CRASH_AT=n it kills itself with SIGKILL at its n-th recorded step.
import { Bot } from '../../../src/bot/bot.ts';
import { openSqliteStore } from '../../../src/bot/store/sqlite.ts';
import { openPostgresStore } from '../../../src/bot/store/postgres.ts';
import { mboxSource } from '../../../src/bot/sources.ts';
import { smtpTransport } from '../../../src/bot/deliver.ts';
import { readConfig } from '../../../src/bot/policy.ts';
import { review } from '../../../src/default-review.ts';

const env = process.env;
const config = readConfig({
  bot: { address: 'bot@review.example.org', messageIdDomain: 'review.example.org' },
  smtp: { host: '127.0.0.1', port: Number(env.SMTP_PORT), starttls: false },
  delivery: { maxAttempts: 100 },
  lists: [{ name: 'xen-devel', address: 'xen-devel@lists.example.org', listId: 'xen-devel.lists.example.org', mode: 'send', project: { tags: ['xen'] } }],
});
const store = env.PG_URL ? openPostgresStore(env.PG_URL) : openSqliteStore(env.STATE!);
await store.migrate();
const crashAt = Number(env.CRASH_AT ?? -1);
let steps = 0;
const transport = smtpTransport(config.smtp!);
const bot = new Bot({
  config,
  store,
  review,
  transport: (mode) => (mode === 'send' ? transport : null),
  checkpoint: () => {
    if (++steps === crashAt) process.kill(process.pid, 'SIGKILL');
  },
});
const summary = await bot.run([mboxSource(env.MBOX!)]);
transport.close();
await store.close();
process.stdout.write(`${JSON.stringify({ ...summary, steps })}\n`);
