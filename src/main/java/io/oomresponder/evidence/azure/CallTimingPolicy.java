package io.oomresponder.evidence.azure;

import com.azure.core.http.HttpPipelineCallContext;
import com.azure.core.http.HttpPipelineNextPolicy;
import com.azure.core.http.HttpPipelineNextSyncPolicy;
import com.azure.core.http.HttpPipelinePosition;
import com.azure.core.http.HttpResponse;
import com.azure.core.http.policy.HttpPipelinePolicy;
import reactor.core.publisher.Mono;

/**
 * Times every HTTP attempt (after the retry policy, so each retry counts as a call) into the
 * {@link CallLedger} that the gather put into the request {@link com.azure.core.util.Context}.
 * Requests without a ledger pass through untouched.
 */
final class CallTimingPolicy implements HttpPipelinePolicy {

    /** Context key under which a gather passes its ledger. */
    static final String LEDGER_KEY = "oom-responder.call-ledger";

    @Override
    public Mono<HttpResponse> process(HttpPipelineCallContext context, HttpPipelineNextPolicy next) {
        CallLedger ledger = ledger(context);
        if (ledger == null) {
            return next.process();
        }
        return Mono.defer(() -> {
            long start = System.nanoTime();
            java.util.concurrent.atomic.AtomicBoolean recorded = new java.util.concurrent.atomic.AtomicBoolean();
            String what = CallLedger.what(context.getHttpRequest().getUrl());
            Runnable record = () -> {
                if (recorded.compareAndSet(false, true)) {
                    ledger.record(what, start, System.nanoTime());
                }
            };
            // Recorded before the response travels downstream (doFinally would run after the
            // caller already has it, and a gather could read the ledger first).
            return next.process()
                    .doOnSuccess(r -> record.run())
                    .doOnError(e -> record.run())
                    .doOnCancel(record);
        });
    }

    @Override
    public HttpResponse processSync(HttpPipelineCallContext context, HttpPipelineNextSyncPolicy next) {
        CallLedger ledger = ledger(context);
        if (ledger == null) {
            return next.processSync();
        }
        String what = CallLedger.what(context.getHttpRequest().getUrl());
        long start = System.nanoTime();
        try {
            return next.processSync();
        } finally {
            ledger.record(what, start, System.nanoTime());
        }
    }

    @Override
    public HttpPipelinePosition getPipelinePosition() {
        return HttpPipelinePosition.PER_RETRY;
    }

    private static CallLedger ledger(HttpPipelineCallContext context) {
        return context.getData(LEDGER_KEY).filter(CallLedger.class::isInstance).map(CallLedger.class::cast).orElse(null);
    }
}
