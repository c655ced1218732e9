package io.oomresponder.pipeline;

import io.oomresponder.config.Settings;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** serve refuses a bad setting before it listens: the check reads every duration and number setting the code reads. */
class SettingsCheckTest {

    @Test
    void theDefaultsPass() {
        assertThatCode(() -> SettingsCheck.check(new Settings(Map.of()))).doesNotThrowAnyException();
    }

    @Test
    void everyDurationAndNumberSettingTheCodeReadsIsChecked() {
        Set<String> typed = SettingsDocumentedTest.readByCode(Path.of("src/main/java").toAbsolutePath(),
                SettingsDocumentedTest.reads("duration|integer", null));
        assertThat(typed).as("scan sanity").contains("EVIDENCE_LOOKBACK", "ALERT_CLAIM_LEASE", "REDELIVERY_BATCH", "EVIDENCE_THREADS");

        List<String> unchecked = new ArrayList<>();
        for (String name : typed) {
            try {
                SettingsCheck.check(new Settings(Map.of(name, "banana")));
                unchecked.add(name);
            } catch (IllegalArgumentException e) {
                assertThat(e).as(name).hasMessageStartingWith("setting " + name);
            }
        }
        assertThat(unchecked).as("read as a duration or number but not in SettingsCheck's lists").isEmpty();
    }

    @Test
    void badRoutesAndUrlsAreCaught() {
        assertThatThrownBy(() -> SettingsCheck.check(new Settings(Map.of("DELIVERY_ROUTES", "garbage ->", "NOTE_FILE_DIR", "-"))))
                .hasMessageStartingWith("setting DELIVERY_ROUTES");
        assertThatThrownBy(() -> SettingsCheck.check(new Settings(Map.of("TEAMS_WEBHOOK_URL", "http://example.com/hook"))))
                .hasMessageStartingWith("setting TEAMS_WEBHOOK_URL");
        assertThatThrownBy(() -> SettingsCheck.check(new Settings(Map.of("AZURE_CLOUD", "Mars"))))
                .hasMessageStartingWith("setting AZURE_CLOUD");
    }

    @Test
    void aBadOperatorChannelIsCaughtWithoutShowingItsUrl() {
        assertThatThrownBy(() -> SettingsCheck.check(new Settings(Map.of(OperatorChannel.WEBHOOK_URL, "http://example.com/hook?sig=SECRETSIG"))))
                .hasMessageStartingWith("setting OPERATOR_TEAMS_WEBHOOK_URL").hasMessageNotContaining("SECRETSIG").hasMessageNotContaining("example.com");
        assertThatThrownBy(() -> SettingsCheck.check(new Settings(Map.of(OperatorChannel.REPORT_PERIOD, "PT0S"))))
                .hasMessageStartingWith("setting OPERATOR_REPORT_PERIOD");
    }
}
