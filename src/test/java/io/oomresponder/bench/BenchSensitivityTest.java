package io.oomresponder.bench;

import io.oomresponder.diagnosis.Diagnoser;
import io.oomresponder.diagnosis.DiagnosisThresholds;
import io.oomresponder.json.Json;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.lang.reflect.RecordComponent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code bench sensitivity} moves one threshold at a time, names the documented constant of each, and
 * every threshold it moves reaches a decision: moved far enough, it changes some diagnosis.
 */
class BenchSensitivityTest {

    private static final List<String> NOT_REACHED_BY_THE_SCENARIOS = List.of("sustainedNearLimitMinutes", "segmentEndNearLimit",
            "minPinnedShare", "minLoadTrendRho", "minLoadRise");

    private static List<BenchCommand.Labelled> corpus;

    @BeforeAll
    static void generateOneBundleOfEveryScenario() {
        corpus = BenchCommand.generatePerScenario(1, 77_000);
    }

    @Test
    void everyThresholdNamesAConstantOfTheConstantsTable() throws Exception {
        String doc = Files.readString(Path.of("docs", "diagnosis.md"));
        for (RecordComponent c : DiagnosisThresholds.class.getRecordComponents()) {
            String constant = BenchSensitivity.CONSTANTS.get(c.getName());
            assertThat(constant).as(c.getName()).isNotNull();
            assertThat(doc).as("docs/diagnosis.md names " + constant).contains(constant);
        }
    }

    @Test
    void oneThresholdMovesAndTheOthersKeepTheirDocumentedValues() {
        DiagnosisThresholds d = DiagnosisThresholds.DEFAULTS;
        assertThat(d.with("followsTrafficRho", 0.6).followsTrafficRho()).isEqualTo(0.6);
        assertThat(d.with("followsTrafficRho", 0.6).with("followsTrafficRho", d.followsTrafficRho())).isEqualTo(d);
        assertThat(d.with("minSpikes", 4).minSpikes()).isEqualTo(4);
        assertThat(d.with("minSpikes", 4).followsTrafficRho()).isEqualTo(d.followsTrafficRho());
        assertThatThrownBy(() -> d.with("noSuchThreshold", 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> d.with("minSpikes", 0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aCountMovesByAtLeastOneAndAShareByItsFactor() {
        assertThat(BenchSensitivity.moved(3, 0.8)).isEqualTo(2);
        assertThat(BenchSensitivity.moved(3, 1.2)).isEqualTo(4);
        assertThat(BenchSensitivity.moved(10, 0.8)).isEqualTo(8);
        assertThat(BenchSensitivity.moved(15, 1.2)).isEqualTo(18);
        assertThat(BenchSensitivity.moved(1, 0.8)).isEqualTo(1);
        assertThat(BenchSensitivity.moved(0.5, 1.2).doubleValue()).isEqualTo(0.6, org.assertj.core.api.Assertions.within(1e-12));
    }

    @Test
    void everyThresholdMovedFarChangesSomeDiagnosis() throws Exception {
        // A threshold the diagnosis ignored would leave every diagnosis (its steps' numbers and words
        // included) as it was however far it moved: moved to an extreme in one direction or the
        // other, each must change some diagnosis of one bundle of every scenario.
        List<String> before = json(DiagnosisThresholds.DEFAULTS);
        List<String> inert = new ArrayList<>();
        for (RecordComponent c : DiagnosisThresholds.class.getRecordComponents()) {
            Number value = (Number) c.getAccessor().invoke(DiagnosisThresholds.DEFAULTS);
            boolean changed = false;
            for (double factor : new double[]{0.05, 1.9}) {
                Number far = c.getType() == int.class ? (Number) (factor < 1 ? 1 : value.intValue() * 1000) : (Number) (value.doubleValue() * factor);
                changed |= !json(DiagnosisThresholds.DEFAULTS.with(c.getName(), far)).equals(before);
            }
            if (!changed) {
                inert.add(c.getName());
            }
        }
        // The simulator's scenarios never reach these decisions (docs/diagnosis.md, "Sensitivity"): a
        // restart-path window near the limit without restarts; a growing segment that neither ends in a
        // kill nor is open; a peak at maxReplicas where memory does not follow traffic. ScalePressure's
        // use of its three is checked in DemandSignalsTest.
        assertThat(inert).as("thresholds that changed no diagnosis even moved far")
                .isSubsetOf(NOT_REACHED_BY_THE_SCENARIOS);
    }

    private static List<String> json(DiagnosisThresholds thresholds) throws Exception {
        Diagnoser d = new Diagnoser(thresholds);
        List<String> out = new ArrayList<>();
        for (BenchCommand.Labelled l : corpus) {
            out.add(Json.mapper().writeValueAsString(d.diagnose(l.bundle())));
        }
        return out;
    }

}
