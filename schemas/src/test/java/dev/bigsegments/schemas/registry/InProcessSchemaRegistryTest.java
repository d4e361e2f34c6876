package dev.bigsegments.schemas.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bigsegments.schemas.avro.MembershipState;
import dev.bigsegments.schemas.avro.SegmentDefinition;
import java.util.UUID;
import org.apache.avro.Schema;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class InProcessSchemaRegistryTest {
    private static final Schema STATE = MembershipState.getClassSchema();
    private static final Schema DEFINITION = SegmentDefinition.getClassSchema();

    private final String scope = "test-" + UUID.randomUUID();

    @AfterEach
    void drop() {
        InProcessSchemaRegistry.dropScope(scope);
    }

    @Test
    void idsAreGlobalStableAndSharedWithinAScope() {
        InProcessSchemaRegistry registry = InProcessSchemaRegistry.scope(scope);
        int state = registry.register("a-value", STATE);

        assertThat(registry.register("a-value", STATE)).isEqualTo(state);
        assertThat(registry.register("b-value", STATE)).isEqualTo(state);
        assertThat(registry.register("a-value", DEFINITION)).isNotEqualTo(state);
        assertThat(InProcessSchemaRegistry.scope(scope).getById(state)).isEqualTo(STATE);
    }

    @Test
    void droppingAScopeStartsAFreshRegistry() {
        InProcessSchemaRegistry.scope(scope).register("a-value", DEFINITION);
        InProcessSchemaRegistry.dropScope(scope);

        assertThatThrownBy(() -> InProcessSchemaRegistry.scope(scope).getById(1))
                .isInstanceOf(SchemaRegistryException.class).hasMessageContaining("Schema id 1 not found");
    }

    @Test
    void lookupOnlyFindsSchemasRegisteredUnderTheSubject() {
        InProcessSchemaRegistry registry = InProcessSchemaRegistry.scope(scope);
        int id = registry.register("a-value", STATE);

        assertThat(registry.lookup("a-value", STATE)).isEqualTo(id);
        assertThatThrownBy(() -> registry.lookup("b-value", STATE))
                .isInstanceOfSatisfying(SchemaRegistryException.class,
                        e -> assertThat(e.errorCode()).isEqualTo(SchemaRegistryException.SUBJECT_NOT_FOUND));
        assertThatThrownBy(() -> registry.lookup("a-value", DEFINITION))
                .isInstanceOfSatisfying(SchemaRegistryException.class,
                        e -> assertThat(e.errorCode()).isEqualTo(SchemaRegistryException.SCHEMA_NOT_FOUND));
    }
}
