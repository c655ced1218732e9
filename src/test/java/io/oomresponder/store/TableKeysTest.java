package io.oomresponder.store;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class TableKeysTest {

    @Test
    void forbiddenCharactersAreEncodedReversibly() {
        String id = "/subscriptions/x/resourceGroups/rg#1/providers/Microsoft.App/containerApps/a?b\\c%d\u0001\u007f\u0085ü";

        String key = TableKeys.encode(id);

        assertThat(key).doesNotContain("/", "\\", "#", "?", "\u0001", "\u007f", "\u0085");
        assertThat(key).startsWith("%2Fsubscriptions%2Fx");
        assertThat(TableKeys.decode(key)).isEqualTo(id);
    }

    @Test
    void veryLongValuesGetDistinctShortenedKeys() {
        String a = "/x".repeat(400) + "a";
        String b = "/x".repeat(400) + "b";

        assertThat(TableKeys.encode(a)).hasSizeLessThanOrEqualTo(TableKeys.MAX_READABLE_KEY_CHARS).isNotEqualTo(TableKeys.encode(b));
    }

    @Test
    void literalsDoubleQuotes() {
        assertThat(TableKeys.literal("it's")).isEqualTo("'it''s'");
    }
}
