package dev.bigsegments.cli;

import dev.bigsegments.writer.store.RedisLayout;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** The Redis store a command works on: one prefix (one environment). */
public final class RedisOptions {
    @Spec(Spec.Target.MIXEE)
    CommandSpec spec;

    @Option(names = "--redis-url", defaultValue = "${env:BIGSEGMENTS_REDIS_URL}",
            description = "redis://[user:password@]host:port[/db] or rediss:// (env BIGSEGMENTS_REDIS_URL).")
    String redisUrl;

    @Option(names = "--prefix", defaultValue = RedisLayout.DEFAULT_PREFIX,
            description = "Key prefix of the store (default: ${DEFAULT-VALUE}).")
    String prefix;

    @Option(names = "--environment", required = true,
            description = "Environment id whose memberships the prefix holds.")
    String environment;

    public String redisUrl() {
        if (redisUrl == null || redisUrl.isBlank()) {
            throw new ParameterException(spec.commandLine(), "Missing --redis-url (or BIGSEGMENTS_REDIS_URL)");
        }
        return redisUrl;
    }

    public String prefix() {
        return prefix;
    }

    public String environment() {
        return environment;
    }

    public RedisLayout layout() {
        return RedisLayout.forPrefix(prefix);
    }
}
