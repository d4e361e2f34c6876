package dev.bigsegments.schemas.registry;

import static dev.bigsegments.schemas.registry.SampleSchemas.REQUIRED_WEIGHT;
import static dev.bigsegments.schemas.registry.SampleSchemas.V1;
import static dev.bigsegments.schemas.registry.SampleSchemas.V2;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bigsegments.schemas.avro.MembershipState;
import dev.bigsegments.schemas.avro.SegmentDefinition;
import java.util.Optional;
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
        assertThat(registry.register("c-value", DEFINITION)).isNotEqualTo(state);
        assertThat(InProcessSchemaRegistry.scope(scope).getById(state)).isEqualTo(STATE);
    }

    @Test
    void droppingAScopeStartsAFreshRegistry() {
        InProcessSchemaRegistry.scope(scope).register("a-value", DEFINITION);
        InProcessSchemaRegistry.dropScope(scope);

        assertThatThrownBy(() -> InProcessSchemaRegistry.scope(scope).getById(1))
                .isInstanceOf(SchemaRegistryException.class).hasMessageContaining("Schema 1 not found");
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


    @Test
    void aSubjectKeepsItsVersionsInOrderAndAnIdenticalSchemaIsNoNewVersion() {
        InProcessSchemaRegistry registry = InProcessSchemaRegistry.scope(scope);
        int first = registry.register("s-value", V1);
        int second = registry.register("s-value", V2);

        assertThat(registry.register("s-value", V1)).isEqualTo(first);
        assertThat(registry.versions("s-value")).containsExactly(1, 2);
        assertThat(registry.version("s-value", Optional.empty()))
                .isEqualTo(new InProcessSchemaRegistry.SubjectVersion("s-value", 2, second, V2));
        assertThat(registry.version("s-value", Optional.of(1)).id()).isEqualTo(first);
        assertThat(registry.lookupVersion("s-value", V2).version()).isEqualTo(2);
        assertThat(registry.subjects()).containsExactly("s-value");
        assertThatThrownBy(() -> registry.version("s-value", Optional.of(3)))
                .isInstanceOfSatisfying(SchemaRegistryException.class,
                        e -> assertThat(e.errorCode()).isEqualTo(SchemaRegistryException.VERSION_NOT_FOUND));
    }

    @Test
    void aSchemaThatBreaksBackwardTransitiveCompatibilityIsRefusedWith409() {
        InProcessSchemaRegistry registry = InProcessSchemaRegistry.scope(scope);
        registry.register("s-value", V1);
        registry.register("s-value", V2);

        assertThatThrownBy(() -> registry.register("s-value", REQUIRED_WEIGHT))
                .isInstanceOfSatisfying(SchemaRegistryException.class, e -> {
                    assertThat(e.httpStatus()).isEqualTo(409);
                    assertThat(e.kind()).isEqualTo(SchemaRegistryException.Kind.INCOMPATIBLE);
                })
                .hasMessageContaining("subject \"s-value\"").hasMessageContaining("v1")
                .hasMessageContaining("READER_FIELD_MISSING_DEFAULT_VALUE").hasMessageContaining("BACKWARD_TRANSITIVE");
        assertThat(registry.versions("s-value")).containsExactly(1, 2);
        assertThat(registry.problems("s-value", Optional.of(2), REQUIRED_WEIGHT)).isEmpty();
        assertThat(registry.problems("s-value", Optional.empty(), REQUIRED_WEIGHT)).isNotEmpty();
    }

    @Test
    void aSubjectsOwnLevelOverridesTheRegistrys() {
        InProcessSchemaRegistry registry = InProcessSchemaRegistry.scope(scope);
        registry.register("loose-value", V1);
        registry.setCompatibility("loose-value", Compatibility.NONE);

        assertThat(registry.register("loose-value", STATE)).isPositive();
        assertThat(registry.subjectCompatibility("loose-value")).contains(Compatibility.NONE);
        assertThat(registry.subjectCompatibility("other-value")).isEmpty();
        assertThat(registry.compatibility("other-value")).isEqualTo(Compatibility.BACKWARD_TRANSITIVE);
    }

    @Test
    void anIdNamesEverySubjectAndVersionItIs() {
        InProcessSchemaRegistry registry = InProcessSchemaRegistry.scope(scope);
        registry.register("a-value", V1);
        int id = registry.register("b-value", V1);

        assertThat(registry.versionsOf(id)).extracting(InProcessSchemaRegistry.SubjectVersion::subject)
                .containsExactly("a-value", "b-value");
    }
}
