package dev.bigsegments.store.dynamodb;

import dev.bigsegments.embedded.EmbeddedDynalite;
import dev.bigsegments.schemas.ContextHashes;
import dev.bigsegments.schemas.avro.MemberList;
import dev.bigsegments.store.SetOp;
import dev.bigsegments.store.writer.WriterOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Writer throughput against a plain concurrent UpdateItem loop, on the same dynalite, item count and
 * concurrency, measured side by side in one run and printed as a ratio. Not a test: run it by hand.
 * Arguments: {@code [items] [concurrency] [rounds]}, defaults 20000, 32, 3.
 */
public final class DynamoDbWriterBenchmark {
    private static final String TABLE = "bench";
    private static final String ENV = "bench";
    private static final String REF = "bench-seg.g1";

    private DynamoDbWriterBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int items = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
        int concurrency = args.length > 1 ? Integer.parseInt(args[1]) : DynamoDbStoreBuilder.DEFAULT_MAX_CONCURRENCY;
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        try (EmbeddedDynalite dynalite = EmbeddedDynalite.start();
                DynaliteTables tables = new DynaliteTables(dynalite.endpoint());
                DynamoDbAsyncClient plain = DynamoDbAsyncClient.builder().endpointOverride(dynalite.endpoint())
                        .region(Region.of(DynaliteTables.REGION)).credentialsProvider(DynaliteTables.CREDENTIALS)
                        .httpClientBuilder(NettyNioAsyncHttpClient.builder().maxConcurrency(concurrency)).build()) {
            tables.create(TABLE);
            long writerBest = Long.MAX_VALUE;
            long loopBest = Long.MAX_VALUE;
            // Round 0 warms both paths up and is not counted; the two alternate so drift hits both alike.
            for (int round = 0; round <= rounds; round++) {
                long loop = plainLoop(plain, "loop" + round, items, concurrency);
                long writer = writer(dynalite, "writer" + round, items, concurrency);
                if (round > 0) {
                    loopBest = Math.min(loopBest, loop);
                    writerBest = Math.min(writerBest, writer);
                }
            }
            System.out.printf("items=%d concurrency=%d rounds=%d%n", items, concurrency, rounds);
            System.out.printf("plain UpdateItem loop : %8.0f updates/s (best %d ms)%n", rate(items, loopBest), loopBest);
            System.out.printf("DynamoDB writer       : %8.0f updates/s (best %d ms)%n", rate(items, writerBest),
                    writerBest);
            System.out.printf("ratio writer/loop     : %.2f%n", (double) loopBest / writerBest);
        }
    }

    /** The writer path: batches of a poll's size, planned and sent by the store. */
    private static long writer(EmbeddedDynalite dynalite, String prefix, int items, int concurrency) {
        List<SetOp> ops = new ArrayList<>(items);
        for (int i = 0; i < items; i++) {
            ops.add(new SetOp(ENV, ContextHashes.hash("ctx-" + i), MemberList.INCLUDED, REF, true));
        }
        try (DynamoDbMembershipStore store = DynaliteTables.storeFor(dynalite).defaultTable(TABLE)
                .prefixes(Map.of(ENV, prefix)).maxConcurrency(concurrency).build()) {
            long start = System.nanoTime();
            for (int from = 0; from < items; from += WriterOptions.DEFAULT_MAX_POLL_RECORDS) {
                store.apply(ops.subList(from, Math.min(items, from + WriterOptions.DEFAULT_MAX_POLL_RECORDS)));
            }
            return (System.nanoTime() - start) / 1_000_000;
        }
    }

    /** The baseline: one UpdateItem ADD per item, {@code concurrency} in flight, nothing else. */
    private static long plainLoop(DynamoDbAsyncClient client, String prefix, int items, int concurrency)
            throws InterruptedException {
        Semaphore permits = new Semaphore(concurrency);
        List<CompletableFuture<?>> all = new ArrayList<>(items);
        long start = System.nanoTime();
        for (int i = 0; i < items; i++) {
            String hash = ContextHashes.hash("ctx-" + i);
            permits.acquire();
            all.add(client.updateItem(b -> b.tableName(TABLE)
                    .key(Map.of("namespace", AttributeValue.fromS(prefix + ":big_segments_user"),
                            "key", AttributeValue.fromS(hash)))
                    .updateExpression("ADD included :r")
                    .expressionAttributeValues(Map.of(":r", AttributeValue.fromSs(List.of(REF)))))
                    .whenComplete((r, e) -> permits.release()));
        }
        CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).join();
        return (System.nanoTime() - start) / 1_000_000;
    }

    private static double rate(int items, long millis) {
        return items * 1000.0 / Math.max(1, millis);
    }
}
