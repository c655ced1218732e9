package io.oomresponder.diagnosis;

/**
 * For tests outside the diagnosis package (the simulator's): restarts read from a RestartCount series
 * by the code the product reads them with ({@link RestartEvents#rises}), whichever of Azure's two
 * readings the series follows (a running counter, or per-bucket counts; docs/azure-contract.md).
 */
public final class RestartCountReading {

    private RestartCountReading() {
    }

    /**
     * Restarts per sample of one replica's RestartCount series (NaN: no sample); a counter's first
     * sample is its baseline (restarts before the window).
     */
    public static double[] restartsPerSample(double[] series) {
        return RestartEvents.rises(series, false);
    }
}
