package dev.bigsegments.store.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bigsegments.schemas.avro.MemberList;
import dev.bigsegments.store.SetOp;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ItemUpdatePlannerTest {
    private static final String ENV = "env";

    @Test
    void aContextsAddsAndDeletesOnDifferentListsMergeIntoOneUpdate() {
        List<ItemUpdate> updates = ItemUpdatePlanner.plan(List.of(op("h1", MemberList.INCLUDED, "a.g1", true),
                op("h1", MemberList.INCLUDED, "b.g1", true), op("h1", MemberList.EXCLUDED, "c.g1", false)));
        assertThat(updates).containsExactly(new ItemUpdate(ENV, "h1",
                Map.of("included", List.of("a.g1", "b.g1")), Map.of("excluded", List.of("c.g1"))));
    }

    @Test
    void addingAndDeletingOnTheSameListSplitsIntoAnAddAndADelete() {
        List<ItemUpdate> updates = ItemUpdatePlanner.plan(List.of(op("h1", MemberList.INCLUDED, "a.g2", true),
                op("h1", MemberList.INCLUDED, "a.g1", false), op("h1", MemberList.EXCLUDED, "x.g1", true)));
        assertThat(updates).containsExactly(
                new ItemUpdate(ENV, "h1", Map.of("included", List.of("a.g2"), "excluded", List.of("x.g1")), Map.of()),
                new ItemUpdate(ENV, "h1", Map.of(), Map.of("included", List.of("a.g1"))));
    }

    @Test
    void eachContextAndEnvironmentIsItsOwnItem() {
        List<ItemUpdate> updates = ItemUpdatePlanner.plan(List.of(op("h1", MemberList.INCLUDED, "a.g1", true),
                op("h2", MemberList.INCLUDED, "a.g1", true),
                new SetOp("other", "h1", MemberList.INCLUDED, "a.g1", true)));
        assertThat(updates).extracting(ItemUpdate::environmentId, ItemUpdate::contextHash)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(ENV, "h1"),
                        org.assertj.core.groups.Tuple.tuple(ENV, "h2"),
                        org.assertj.core.groups.Tuple.tuple("other", "h1"));
    }

    @Test
    void theExpressionAddsAndDeletesStringSetsThroughPlaceholders() {
        var request = UpdateExpressions.request(DynamoDbLayout.of("t", "p"), new ItemUpdate(ENV, "h1",
                Map.of("included", List.of("a.g1")), Map.of("excluded", List.of("b.g1"))));
        assertThat(request.updateExpression()).isEqualTo("ADD #a0 :a0 DELETE #d0 :d0");
        assertThat(request.expressionAttributeNames()).containsEntry("#a0", "included").containsEntry("#d0", "excluded");
        assertThat(request.expressionAttributeValues().get(":a0").ss()).containsExactly("a.g1");
        assertThat(request.key().get("namespace").s()).isEqualTo("p:big_segments_user");
        assertThat(request.key().get("key").s()).isEqualTo("h1");
    }

    private static SetOp op(String hash, MemberList list, String ref, boolean add) {
        return new SetOp(ENV, hash, list, ref, add);
    }
}
