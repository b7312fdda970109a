// Marks a plugin as not encapsulated (what fastify-plugin does): its decorators and hooks apply to the
// whole app. Kept local to avoid a dependency for two symbols.
import type { FastifyPluginAsync } from 'fastify';

export function sharedPlugin<T extends object>(name: string, plugin: FastifyPluginAsync<T>): FastifyPluginAsync<T> {
  Object.assign(plugin, {
    [Symbol.for('skip-override')]: true,
    [Symbol.for('fastify.display-name')]: name,
  });
  return plugin;
}
