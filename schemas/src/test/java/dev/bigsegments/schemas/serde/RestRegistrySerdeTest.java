package dev.bigsegments.schemas.serde;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bigsegments.schemas.Topics;
import dev.bigsegments.schemas.avro.ImportStatus;
import dev.bigsegments.schemas.registry.StubConfluentRegistry;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The serde against an http:// registry URL: the same bytes, with schemas fetched over REST. */
class RestRegistrySerdeTest {

    @Test
    void aRecordWrittenByOneProcessIsReadByAnotherThroughTheRegistry() throws Exception {
        try (StubConfluentRegistry stub = new StubConfluentRegistry()) {
            Map<String, Object> writer = Map.of("schema.registry.url", stub.url(), "bearer.auth.token", "t");
            byte[] bytes = Topics.IMPORTS.valueSerializer(writer).serialize("imports", SampleRecords.importStatus());

            // Other credentials: another client, as in another process, which knows nothing yet.
            Map<String, Object> reader = Map.of("schema.registry.url", stub.url(), "bearer.auth.token", "other");
            ImportStatus read = Topics.IMPORTS.valueDeserializer(reader).deserialize("imports", bytes);

            assertThat(read).isEqualTo(SampleRecords.importStatus());
            assertThat(stub.requests()).extracting(StubConfluentRegistry.Request::rawPath)
                    .containsExactly("/subjects/imports-value/versions", "/schemas/ids/1");
        }
    }

    @Test
    void aSchemaRegisteredOnceServesEverySerdeOfTheProcessWithTheSameRegistry() throws Exception {
        try (StubConfluentRegistry stub = new StubConfluentRegistry()) {
            Map<String, Object> configs = Map.of("schema.registry.url", stub.url());
            byte[] bytes = Topics.IMPORTS.valueSerializer(configs).serialize("imports", SampleRecords.importStatus());

            ImportStatus read = Topics.IMPORTS.valueDeserializer(configs).deserialize("imports", bytes);

            assertThat(read).isEqualTo(SampleRecords.importStatus());
            assertThat(stub.requests()).extracting(StubConfluentRegistry.Request::rawPath)
                    .containsExactly("/subjects/imports-value/versions");
        }
    }
}
