package io.oomresponder.evidence;

import io.oomresponder.simulator.azure.KqlLiterals;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class KqlStringTest {

    @Test
    void quotesBackslashesAndLineBreaksAreEscaped() {
        assertThat(KqlString.literal("o'brien")).isEqualTo("'o\\'brien'");
        assertThat(KqlString.literal("a\\b")).isEqualTo("'a\\\\b'");
        assertThat(KqlString.literal("say \"hi\"")).isEqualTo("'say \\\"hi\\\"'");
        assertThat(KqlString.literal("one\ntwo\r\tthree")).isEqualTo("'one\\ntwo\\r\\tthree'");
    }

    @Test
    void pipesAndSemicolonsStayPlainTextInsideTheLiteral() {
        assertThat(KqlString.literal("x | take 1; print 2")).isEqualTo("'x | take 1; print 2'");
    }

    @Test
    void otherControlCharactersCannotSmuggleAnything() {
        assertThat(KqlString.literal("a\u0000b\u001bc")).isEqualTo("'a\uFFFDb\uFFFDc'");
    }

    @ParameterizedTest
    @ValueSource(strings = {"plain-app", "ev'il", "\\'", "'\\", "x\\", "' | union * | where '1'=='1",
            "\" | take 1 //", "line\nbreak | project secret", "trailing backslash \\", "''''", "\\\\'\\'"})
    void anyValueReadsBackAsExactlyOneLiteralWithTheSameText(String value) {
        String kql = "let app = " + KqlString.literal(value) + "; T | where Name == app";

        KqlLiterals parsed = KqlLiterals.parse(kql);

        assertThat(parsed.literals()).containsExactly(value);
        assertThat(parsed.code()).isEqualTo("let app = <lit>; T | where Name == app");
    }
}
