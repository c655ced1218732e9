package io.oomresponder.note;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RedactorTest {

    @ParameterizedTest
    @ValueSource(strings = {
            "Authorization: Bearer eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.eyJhdWQiOiJodHRwczovL21hbmFnZW1lbnQifQ.SIGNATUREpart_-x",
            "calling with token eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0In0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U in header",
            "GET https://acct.blob.core.windows.net/c/b.png?sv=2024-08-04&se=2026&sr=b&sp=r&sig=AbCdEf%2BGhIjK%3D failed",
            "DefaultEndpointsProtocol=https;AccountName=acct;AccountKey=Zm9vYmFyYmF6cXV4MTIzNDU2Nzg5MGFiY2RlZmdoaWprbG1ub3BxcnN0dXZ3eHl6QUJDREVGR0g=;EndpointSuffix=core.windows.net",
            "Endpoint=sb://ns.servicebus.windows.net/;SharedAccessKeyName=RootManageSharedAccessKey;SharedAccessKey=c2VjcmV0c2VjcmV0c2VjcmV0PQ==",
            "Server=tcp:db.database.windows.net;Database=orders;User ID=app;Password=hunter2-Secret!;Encrypt=True",
            "jdbc:postgresql://db:5432/orders?user=app&password=hunter2-Secret!",
            "connecting to redis://default:hunter2-Secret!@cache:6379/0",
            "config: {\"clientSecret\": \"abc~DEF.ghi-123secret\", \"tenant\": \"t\"}",
            "env API_KEY=sk-live-1234567890abcdef dumped",
            "x-api-key: 9f8e7d6c5b4a39281706f5e4d3c2b1a0",
            "POST https://func.azurewebsites.net/api/alert?code=Zm9vYmFyYmF6cXV4MTIzNDU2Nzg5MA== 500",
            "token ghp_abcdefghijklmnopqrstuvwxyz0123456789 leaked",
            "aws AKIAIOSFODNN7EXAMPLE used",
            "-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA7\n-----END RSA PRIVATE KEY-----"})
    void masksSecrets(String line) {
        String redacted = Redactor.redact(line, 10_000);

        assertThat(redacted).contains(Redactor.MASK);
        assertThat(redacted).doesNotContain("hunter2", "SIGNATUREpart", "dozjgNryP4J3", "AbCdEf", "Zm9vYmFy", "c2VjcmV0", "abc~DEF",
                "sk-live", "9f8e7d6c", "ghp_abc", "AKIAIOSFODNN7EXAMPLE", "MIIEowIBAAKCAQEA7");
    }

    @Test
    void leavesOrdinaryEvidenceAlone() {
        String line = "Container 'app' was terminated with exit code '137' and reason 'OOMKilled'; exit code=137 after 3h; heap 1.2 GiB";
        assertThat(Redactor.redact(line)).isEqualTo(line);
        assertThat(Redactor.containsSecret(line)).isFalse();
    }

    @Test
    void stripsTerminalEscapesAndBidiControlsAndCutsLongLines() {
        String line = "\u001B[31mERROR\u001B[0m user \u202Eevil\u202C ok\u0007" + "x".repeat(5000);
        String redacted = Redactor.redact(line);
        assertThat(redacted).startsWith("ERROR user evil ok").doesNotContain("\u001B", "\u202E", "\u0007");
        assertThat(redacted.length()).isLessThanOrEqualTo(Redactor.MAX_LINE_CHARS);
        assertThat(redacted).endsWith("…");
    }

    @Test
    void aPasswordWithAnAtSignIsMaskedUpToTheLastAtOfTheAuthority() {
        // Before issue 26 the mask stopped at the first @ and "ssw0rd" stayed visible.
        String redacted = Redactor.redact("amqp connect amqp://svc:p@ssw0rd@rabbit.internal:5672/vhost refused");
        assertThat(redacted).doesNotContain("ssw0rd").contains("@rabbit.internal:5672/vhost refused");
        assertThat(Redactor.redact("redis://:hunter2pw@cache:6379")).doesNotContain("hunter2pw");
    }

    @Test
    void stripsInvisibleFormatCharactersThatCanHideOrSplitText() {
        // Arabic letter mark, byte-order mark, word joiner, invisible operators, line and paragraph separators.
        String line = "\u061Cok\uFEFF\u2061\u2028next\u2029line pass\u2060word=hunter2";
        String redacted = Redactor.redact(line);
        assertThat(redacted).doesNotContain("\u061C", "\uFEFF", "\u2060", "\u2061", "\u2028", "\u2029", "hunter2")
                .isEqualTo("oknextline password=" + Redactor.MASK);
    }

    @Test
    void aSecretBeyondThePreCutNeverShowsEvenWhenRedactionShortensTheLine() {
        String token = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0In0." + "s".repeat(3000);
        String line = ("password=" + "p".repeat(390) + " ").repeat(4) + "Bearer " + token;
        String redacted = Redactor.redact(line, 400);
        assertThat(redacted).doesNotContain("ppp", "eyJ", "sss");
    }

    @Test
    void markdownAndHtmlEscapingNeutraliseMarkup() {
        String hostile = "**bold** [x](javascript:alert(1)) <img src=x onerror=alert(1)> `code` | cell | ~~s~~";
        String md = Markup.markdown(hostile);
        assertThat(md).doesNotContain("**bold**", "[x](", "<img", "| cell |").contains("\\*\\*bold\\*\\*", "&lt;img");
        assertThat(Markup.html(hostile)).doesNotContain("<img").contains("&lt;img src=x onerror=alert(1)&gt;");
        assertThat(Markup.markdownCodeBlock("a ``` b ```` c", null)).startsWith("`````\n").endsWith("`````\n");
        assertThat(Markup.safeUrl("javascript:alert(1)")).isNull();
        assertThat(Markup.safeUrl("https://x.test/a b")).isNull();
        assertThat(Markup.safeUrl("https://portal.azure.com/#@/resource/x")).isEqualTo("https://portal.azure.com/#@/resource/x");
    }
}
