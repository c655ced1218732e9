package io.oomresponder.functions;

import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

class RedeliverNotesTest {

    @Test
    void eachTickAsksThePipelineToRedeliverDueNotes() {
        AtomicInteger calls = new AtomicInteger();
        RedeliverNotes function = new RedeliverNotes(() -> {
            calls.incrementAndGet();
            return 2;
        });
        function.run("{\"isPastDue\":false}", FunctionMocks.context());
        function.run("{\"isPastDue\":true}", FunctionMocks.context());
        assertThat(calls).hasValue(2);
    }
}
