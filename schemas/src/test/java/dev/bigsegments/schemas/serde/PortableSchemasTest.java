package dev.bigsegments.schemas.serde;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bigsegments.schemas.avro.MembershipState;
import dev.bigsegments.schemas.avro.SegmentCommand;
import java.io.IOException;
import java.nio.file.Path;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;

class PortableSchemasTest {

    @Test
    void theRegisteredSchemaIsTheAvscFileWithoutJavaProperties() throws IOException {
        Schema.Parser parser = new Schema.Parser();
        parser.parse(Path.of("src/main/avro/ContextHash.avsc").toFile());
        Schema fromFiles = parser.parse(Path.of("src/main/avro/SegmentCommand.avsc").toFile());

        Schema portable = PortableSchemas.of(SegmentCommand.getClassSchema());

        assertThat(SegmentCommand.getClassSchema().toString()).contains("avro.java.string");
        assertThat(portable.toString()).isEqualTo(fromFiles.toString()).doesNotContain("avro.java.string");
    }

    @Test
    void aSchemaWithoutJavaPropertiesIsKeptAsItIs() {
        assertThat(PortableSchemas.of(MembershipState.getClassSchema())).isSameAs(MembershipState.getClassSchema());
    }
}
