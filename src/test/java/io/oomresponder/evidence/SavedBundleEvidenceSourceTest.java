package io.oomresponder.evidence;

import io.oomresponder.SharedFiles;
import io.oomresponder.intake.AlertSignal;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SavedBundleEvidenceSourceTest {

    private final Path leak = SharedFiles.example("leak-classic.json");

    @Test
    void returnsTheSavedBundleForItsOwnAlert() {
        SavedBundleEvidenceSource source = new SavedBundleEvidenceSource(leak);

        EvidenceBundle b = source.gather(source.alert());

        assertThat(b.app().name()).isEqualTo("api-gateway");
        assertThat(b.metrics()).hasSize(10);
        assertThat(b).isEqualTo(EvidenceBundleFile.read(leak));
    }

    @Test
    void refusesAnAlertForAnotherApp() {
        SavedBundleEvidenceSource source = new SavedBundleEvidenceSource(leak);
        AlertSignal other = EvidenceBundleFile.read(SharedFiles.example("peak-spike.json")).alert();

        assertThatThrownBy(() -> source.gather(other)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ca-billing-worker");
    }

    @Test
    void aMissingFileIsRejectedAtConstruction() {
        assertThatThrownBy(() -> new SavedBundleEvidenceSource(Path.of("no-such-bundle.json")))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
