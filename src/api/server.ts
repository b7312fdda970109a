// The process: configuration from the environment, the logger, listen, timeouts and signals.
// `npm start` runs the compiled entry dist/src/api/run.js, which calls main().
import { pino, type Logger } from 'pino';
import type { FastifyInstance } from 'fastify';
import { buildApp } from './app.ts';
import { ConfigError, isLoopback, loadConfig, type Config } from './config.ts';

/** JSON lines for machines; pretty only when a person watches a terminal. Never bodies or tokens. */
export function createLogger(config: Pick<Config, 'logLevel'>, isTty = process.stdout.isTTY === true): Logger {
  return pino({
    level: config.logLevel,
    redact: { paths: ['req.headers.authorization', 'req.headers.cookie', 'headers.authorization'], censor: '[redacted]' },
    ...(isTty ? { transport: { target: 'pino-pretty', options: { translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname' } } } : {}),
  });
}

export interface Running {
  app: FastifyInstance;
  address: string;
  /** Stops accepting, finishes in-flight requests and reviews, stops the workers. */
  shutdown(reason: string): Promise<void>;
}

export async function start(config: Config, logger: Logger): Promise<Running> {
  const app = await buildApp({ config, logger });
  app.server.keepAliveTimeout = config.keepAliveTimeoutMs;
  // Above keepAliveTimeout, as Node requires, so a load balancer never sees a half-closed connection.
  app.server.headersTimeout = Math.max(config.keepAliveTimeoutMs + 1000, 60_000);
  app.server.requestTimeout = config.requestTimeoutMs;
  if (!isLoopback(config.host) && config.apiTokens.length === 0) {
    logger.warn({ host: config.host }, 'listening beyond loopback without API_TOKENS: anyone who reaches this port can submit reviews');
  }
  const address = await app.listen({ host: config.host, port: config.port });
  logger.info({ address, workers: config.workers, queueMax: config.queueMax, auth: config.apiTokens.length > 0, rateLimit: config.rateLimitMax, projects: Object.keys(config.projects) }, 'patch-review API listening');
  let closing: Promise<void> | undefined;
  const shutdown = (reason: string): Promise<void> => {
    closing ??= (async () => {
      logger.info({ reason }, 'shutting down: no new connections, finishing in-flight reviews');
      const timer = setTimeout(() => {
        logger.error({ timeoutMs: config.shutdownTimeoutMs }, 'shutdown timed out; exiting with reviews unfinished');
        process.exit(1);
      }, config.shutdownTimeoutMs);
      timer.unref();
      await app.close();
      clearTimeout(timer);
      logger.info('shut down cleanly');
    })();
    return closing;
  };
  return { app, address, shutdown };
}

export async function main(): Promise<void> {
  let config: Config;
  try {
    config = loadConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`patch-review API: ${error.message}\n`);
      process.exitCode = 2;
      return;
    }
    throw error;
  }
  const logger = createLogger(config);
  let running: Running;
  try {
    running = await start(config, logger);
  } catch (error) {
    logger.fatal({ err: error }, 'could not start');
    process.exitCode = 1;
    return;
  }
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => {
      running.shutdown(signal).then(
        () => {
          process.exitCode = 0;
        },
        (error: unknown) => {
          logger.error({ err: error }, 'shutdown failed');
          process.exitCode = 1;
        },
      );
    });
  }
}
