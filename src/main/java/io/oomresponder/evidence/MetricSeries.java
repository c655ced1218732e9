package io.oomresponder.evidence;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;

import java.io.IOException;
import java.time.Instant;
import java.util.AbstractList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.RandomAccess;

/**
 * One Azure Monitor time series: metric {@code name} (WorkingSetBytes, RestartCount, ...),
 * {@code aggregation} (Maximum, Average, Total), dimensions (revisionName, podName) and samples in
 * time order. A missing sample is a gap (NaN here, null in JSON), never 0.
 *
 * <p>Stored as columns: the sample times as {@link SampleTimes} (a start and a grain when the samples
 * are evenly spaced, as Azure Monitor writes them, else one {@code long} of epoch seconds each) and
 * the values as one {@code double[]}. A week of thirty replicas is 1.5 million samples; one object
 * per sample, each with its own {@code Instant} and {@code Double}, cost about 60 bytes a sample and
 * most of the heap under an alert storm. Read code walks {@link #size()}, {@link #epochSecond(int)}
 * and {@link #value(int)}; {@link #points()} is a view that makes point objects on demand, for code
 * where a few objects don't matter.
 *
 * <p>The JSON form is the bundle format's {@code {"name", "aggregation", "unit", "dimensions",
 * "points": [[instant, value|null], ...]}}, read with the streaming parser straight into the columns.
 */
@JsonSerialize(using = MetricSeries.Writer.class)
@JsonDeserialize(using = MetricSeries.Reader.class)
public final class MetricSeries {

    private final String name;
    private final String aggregation;
    private final String unit;
    private final Map<String, String> dimensions;
    private final SampleTimes times;
    private final double[] values;

    /** A series from point objects (tests, small fixtures); stored as columns all the same. */
    public MetricSeries(String name, String aggregation, String unit, Map<String, String> dimensions, List<MetricPoint> points) {
        this(name, aggregation, unit, dimensions, timesOf(points), valuesOf(points));
    }

    private MetricSeries(String name, String aggregation, String unit, Map<String, String> dimensions, SampleTimes times, double[] values) {
        this.name = Objects.requireNonNull(name, "name");
        this.aggregation = aggregation;
        this.unit = unit;
        this.dimensions = dimensions == null ? Map.of() : Map.copyOf(dimensions);
        this.times = times;
        this.values = values;
        if (times.size() != values.length) {
            throw new IllegalArgumentException("times and values differ in length: " + times.size() + " vs " + values.length);
        }
    }

    /**
     * A series from columns: epoch seconds in time order and values with NaN for a gap. The arrays are
     * taken over, not copied: the caller must not change them afterwards.
     */
    public static MetricSeries ofColumns(String name, String aggregation, String unit, Map<String, String> dimensions,
                                         long[] epochSeconds, double[] values) {
        return new MetricSeries(name, aggregation, unit, dimensions, SampleTimes.of(epochSeconds, epochSeconds.length), values);
    }

    /** A series of evenly spaced samples from {@code start}, one every {@code grainSeconds}. */
    public static MetricSeries ofGrid(String name, String aggregation, String unit, Map<String, String> dimensions,
                                      Instant start, long grainSeconds, double[] values) {
        return new MetricSeries(name, aggregation, unit, dimensions,
                SampleTimes.regular(start.getEpochSecond(), grainSeconds, values.length), values);
    }

    public String name() {
        return name;
    }

    public String aggregation() {
        return aggregation;
    }

    public String unit() {
        return unit;
    }

    public Map<String, String> dimensions() {
        return dimensions;
    }

    /** The replica this series belongs to, or null for series not split by replica. */
    public String podName() {
        return dimensions.get("podName");
    }

    public String revisionName() {
        return dimensions.get("revisionName");
    }

    /** Number of samples, gaps included. */
    public int size() {
        return values.length;
    }

    /** Time of sample {@code i}, in epoch seconds. */
    public long epochSecond(int i) {
        return times.epochSecond(i);
    }

    public Instant time(int i) {
        return Instant.ofEpochSecond(times.epochSecond(i));
    }

    /** Value of sample {@code i}; NaN for a gap. */
    public double value(int i) {
        return values[i];
    }

    /** True when sample {@code i} has a value. */
    public boolean hasValue(int i) {
        return !Double.isNaN(values[i]);
    }

    /** True when any sample has a value. */
    public boolean hasAnyValue() {
        for (double v : values) {
            if (!Double.isNaN(v)) {
                return true;
            }
        }
        return false;
    }

    /** The same samples under another time base: every time moved by {@code seconds}. */
    public MetricSeries shifted(long seconds) {
        return new MetricSeries(name, aggregation, unit, dimensions, times.shifted(seconds), values);
    }

    /**
     * The samples from {@code start} (inclusive) to {@code end} (exclusive), as the metrics API would
     * have answered for that window at the same grain; this series itself when all are inside.
     */
    public MetricSeries within(Instant start, Instant end) {
        long from = start.getEpochSecond();
        long to = end.getEpochSecond();
        int first = 0;
        while (first < values.length && times.epochSecond(first) < from) {
            first++;
        }
        int last = first;
        while (last < values.length && times.epochSecond(last) < to) {
            last++;
        }
        if (first == 0 && last == values.length) {
            return this;
        }
        return new MetricSeries(name, aggregation, unit, dimensions, times.range(first, last), Arrays.copyOfRange(values, first, last));
    }

    /** The same samples under other dimensions (e.g. a replay retargeted to another app's revision). */
    public MetricSeries withDimensions(Map<String, String> other) {
        return new MetricSeries(name, aggregation, unit, other, times, values);
    }

    /** A view of the samples as points (made on demand; a gap is a null value). */
    public List<MetricPoint> points() {
        return new PointView();
    }

    /** Approximate bytes this series holds in its columns (for footprint reports). */
    public long columnBytes() {
        return 8L * values.length + times.bytes();
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof MetricSeries other)) {
            return false;
        }
        if (!name.equals(other.name) || !Objects.equals(aggregation, other.aggregation) || !Objects.equals(unit, other.unit)
                || !dimensions.equals(other.dimensions) || values.length != other.values.length) {
            return false;
        }
        for (int i = 0; i < values.length; i++) {
            if (times.epochSecond(i) != other.times.epochSecond(i)
                    || Double.doubleToLongBits(values[i]) != Double.doubleToLongBits(other.values[i])) {
                return false;
            }
        }
        return true;
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, aggregation, unit, dimensions, values.length, Arrays.hashCode(values));
    }

    @Override
    public String toString() {
        return "MetricSeries[" + name + "/" + aggregation + " " + dimensions + ", " + values.length + " samples]";
    }

    private static SampleTimes timesOf(List<MetricPoint> points) {
        if (points == null) {
            return SampleTimes.of(new long[0], 0);
        }
        long[] t = new long[points.size()];
        for (int i = 0; i < t.length; i++) {
            t[i] = points.get(i).time().getEpochSecond();
        }
        return SampleTimes.of(t, t.length);
    }

    private static double[] valuesOf(List<MetricPoint> points) {
        if (points == null) {
            return new double[0];
        }
        double[] v = new double[points.size()];
        for (int i = 0; i < v.length; i++) {
            Double x = points.get(i).value();
            v[i] = x == null ? Double.NaN : x;
        }
        return v;
    }

    private final class PointView extends AbstractList<MetricPoint> implements RandomAccess {
        @Override
        public MetricPoint get(int i) {
            Objects.checkIndex(i, values.length);
            double v = values[i];
            return new MetricPoint(time(i), Double.isNaN(v) ? null : v);
        }

        @Override
        public int size() {
            return values.length;
        }
    }

    /**
     * Sample times: either evenly spaced (start + i × grain, no per-sample storage) or one epoch second
     * each where the spacing is irregular.
     */
    private record SampleTimes(long start, long grain, int size, long[] irregular) {

        static SampleTimes regular(long start, long grain, int size) {
            return new SampleTimes(start, grain, size, null);
        }

        /** The first {@code n} entries of {@code t}, stored as a grid when they are evenly spaced. */
        static SampleTimes of(long[] t, int n) {
            if (n == 0) {
                return regular(0, 0, 0);
            }
            if (n == 1) {
                return regular(t[0], 0, 1);
            }
            long grain = t[1] - t[0];
            if (grain > 0) {
                boolean even = true;
                for (int i = 2; i < n && even; i++) {
                    even = t[i] - t[i - 1] == grain;
                }
                if (even) {
                    return regular(t[0], grain, n);
                }
            }
            return new SampleTimes(0, 0, n, n == t.length ? t : Arrays.copyOf(t, n));
        }

        /** As {@link #of}, but never keeps {@code t} itself (a buffer its caller reuses). */
        static SampleTimes copyOf(long[] t, int n) {
            SampleTimes times = of(t, n);
            return times.irregular == t ? new SampleTimes(0, 0, n, t.clone()) : times;
        }

        long epochSecond(int i) {
            Objects.checkIndex(i, size);
            return irregular == null ? start + grain * i : irregular[i];
        }

        /** Samples {@code from} (inclusive) to {@code to} (exclusive). */
        SampleTimes range(int from, int to) {
            if (to <= from) {
                return regular(0, 0, 0);
            }
            if (irregular == null) {
                return regular(start + grain * from, grain, to - from);
            }
            return of(Arrays.copyOfRange(irregular, from, to), to - from);
        }

        SampleTimes shifted(long seconds) {
            if (irregular == null) {
                return regular(start + seconds, grain, size);
            }
            long[] t = irregular.clone();
            for (int i = 0; i < t.length; i++) {
                t[i] += seconds;
            }
            return new SampleTimes(0, 0, size, t);
        }

        long bytes() {
            return irregular == null ? 0 : 8L * irregular.length;
        }
    }

    /**
     * Reads a series with the streaming parser straight into the columns: no tree, no point objects.
     * Points may be {@code [instant, value|null]} (the format) or {@code {"time":…, "value":…}};
     * unknown fields are skipped, as the format asks.
     */
    static final class Reader extends JsonDeserializer<MetricSeries> {
        private static final long NO_TIME = Long.MIN_VALUE;

        @Override
        public MetricSeries deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            if (p.currentToken() != JsonToken.START_OBJECT) {
                return (MetricSeries) ctxt.handleUnexpectedToken(MetricSeries.class, p);
            }
            String name = null;
            String aggregation = null;
            String unit = null;
            Map<String, String> dimensions = Map.of();
            long[] t = new long[0];
            double[] v = new double[0];
            int n = 0;
            for (String field = p.nextFieldName(); field != null; field = p.nextFieldName()) {
                JsonToken token = p.nextToken();
                switch (field) {
                    case "name" -> name = text(p);
                    case "aggregation" -> aggregation = text(p);
                    case "unit" -> unit = text(p);
                    case "dimensions" -> dimensions = dimensions(p, ctxt);
                    case "points" -> {
                        if (token == JsonToken.VALUE_NULL) {
                            break;
                        }
                        if (token != JsonToken.START_ARRAY) {
                            return (MetricSeries) ctxt.handleUnexpectedToken(MetricSeries.class, token, p, "points must be an array");
                        }
                        // One scratch pair per read, grown to the longest series, then one exact copy per series.
                        Scratch scratch = Scratch.of(ctxt);
                        n = 0;
                        while (p.nextToken() != JsonToken.END_ARRAY) {
                            if (n == scratch.t.length) {
                                scratch.grow();
                            }
                            readPoint(p, ctxt, scratch.t, scratch.v, n);
                            n++;
                        }
                        t = scratch.t;
                        v = Arrays.copyOf(scratch.v, n);
                    }
                    default -> p.skipChildren();
                }
            }
            if (name == null) {
                return (MetricSeries) ctxt.handleUnexpectedToken(MetricSeries.class, JsonToken.END_OBJECT, p, "a metric series needs a name");
            }
            // The scratch times are reused by the next series: never kept, copied when irregular.
            return new MetricSeries(name, aggregation, unit, dimensions, SampleTimes.copyOf(t, n), v);
        }

        /** Column buffers shared by the series of one read (a context attribute, so nothing outlives the read). */
        private static final class Scratch {
            long[] t = new long[1024];
            double[] v = new double[1024];

            static Scratch of(DeserializationContext ctxt) {
                Scratch s = (Scratch) ctxt.getAttribute(Scratch.class);
                if (s == null) {
                    s = new Scratch();
                    ctxt.setAttribute(Scratch.class, s);
                }
                return s;
            }

            void grow() {
                t = Arrays.copyOf(t, t.length * 2);
                v = Arrays.copyOf(v, v.length * 2);
            }
        }

        private static String text(JsonParser p) throws IOException {
            return p.currentToken() == JsonToken.VALUE_NULL ? null : p.getValueAsString();
        }

        private static Map<String, String> dimensions(JsonParser p, DeserializationContext ctxt) throws IOException {
            if (p.currentToken() == JsonToken.VALUE_NULL) {
                return Map.of();
            }
            if (p.currentToken() != JsonToken.START_OBJECT) {
                ctxt.handleUnexpectedToken(Map.class, p);
                return Map.of();
            }
            Map<String, String> out = new LinkedHashMap<>();
            for (String key = p.nextFieldName(); key != null; key = p.nextFieldName()) {
                JsonToken token = p.nextToken();
                if (token.isStructStart()) {
                    p.skipChildren();
                } else if (token != JsonToken.VALUE_NULL) {
                    out.put(key, p.getValueAsString());
                }
            }
            return out;
        }

        private static void readPoint(JsonParser p, DeserializationContext ctxt, long[] t, double[] v, int n) throws IOException {
            long time = NO_TIME;
            double value = Double.NaN;
            if (p.currentToken() == JsonToken.START_OBJECT) {
                for (String field = p.nextFieldName(); field != null; field = p.nextFieldName()) {
                    p.nextToken();
                    switch (field) {
                        case "time" -> time = epochSecond(p, ctxt);
                        case "value" -> value = number(p, ctxt);
                        default -> p.skipChildren();
                    }
                }
            } else if (p.currentToken() == JsonToken.START_ARRAY) {
                if (p.nextToken() != JsonToken.END_ARRAY) {
                    time = epochSecond(p, ctxt);
                    if (p.nextToken() != JsonToken.END_ARRAY) {
                        value = number(p, ctxt);
                        while (p.nextToken() != JsonToken.END_ARRAY) {
                            p.skipChildren(); // tolerant reading: ignore extra elements
                        }
                    }
                }
            } else {
                ctxt.handleUnexpectedToken(MetricPoint.class, p);
            }
            if (time == NO_TIME) {
                ctxt.handleUnexpectedToken(MetricPoint.class, JsonToken.VALUE_NULL, p, "a metric point needs a time");
                return;
            }
            t[n] = time;
            v[n] = value;
        }

        /** Epoch seconds of the current token, or {@link #NO_TIME} for null (a primitive: no box per sample). */
        private static long epochSecond(JsonParser p, DeserializationContext ctxt) throws IOException {
            return switch (p.currentToken()) {
                case VALUE_NULL -> NO_TIME;
                case VALUE_STRING -> {
                    // The parser's own buffer: no String per sample.
                    long fast = IsoInstants.epochSecondOrMin(p.getTextCharacters(), p.getTextOffset(), p.getTextLength());
                    yield fast != Long.MIN_VALUE ? fast : ctxt.readValue(p, Instant.class).getEpochSecond();
                }
                default -> ctxt.readValue(p, Instant.class).getEpochSecond();
            };
        }

        private static double number(JsonParser p, DeserializationContext ctxt) throws IOException {
            return switch (p.currentToken()) {
                case VALUE_NULL -> Double.NaN;
                case VALUE_NUMBER_INT -> p.getDoubleValue();
                case VALUE_NUMBER_FLOAT -> {
                    double fast = shortDecimal(p.getTextCharacters(), p.getTextOffset(), p.getTextLength());
                    yield Double.isNaN(fast) ? p.getDoubleValue() : fast;
                }
                default -> {
                    Double d = ctxt.readValue(p, Double.class);
                    yield d == null ? Double.NaN : d;
                }
            };
        }

        private static final double[] POWERS_OF_TEN = {1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15};

        /**
         * A decimal without exponent and of at most 15 digits ({@code 66.18}, {@code -0.5}), or NaN for any
         * other text. Such a number is an integer below 2^53 over an exactly representable power of ten, so
         * one division rounds it correctly, the same double {@code Double.parseDouble} gives (Clinger's
         * fast path); it skips the general decimal reader, which was a fifth of the cost of reading the
         * percentage series.
         */
        static double shortDecimal(char[] c, int off, int len) {
            int i = off;
            int end = off + len;
            boolean negative = i < end && c[i] == '-';
            if (negative) {
                i++;
            }
            long mantissa = 0;
            int digits = 0;
            int fractionDigits = -1;
            for (; i < end; i++) {
                char ch = c[i];
                if (ch >= '0' && ch <= '9') {
                    mantissa = mantissa * 10 + (ch - '0');
                    digits++;
                    if (fractionDigits >= 0) {
                        fractionDigits++;
                    }
                } else if (ch == '.' && fractionDigits < 0) {
                    fractionDigits = 0;
                } else {
                    return Double.NaN;
                }
            }
            if (digits == 0 || digits > 15 || fractionDigits == 0) {
                return Double.NaN;
            }
            double x = fractionDigits < 0 ? mantissa : mantissa / POWERS_OF_TEN[fractionDigits];
            return negative ? -x : x;
        }
    }

    /** Writes the format's point arrays from the columns; whole numbers without a fraction (bytes, counts). */
    static final class Writer extends JsonSerializer<MetricSeries> {
        @Override
        public void serialize(MetricSeries s, JsonGenerator gen, SerializerProvider provider) throws IOException {
            gen.writeStartObject();
            gen.writeStringField("name", s.name);
            gen.writeStringField("aggregation", s.aggregation);
            gen.writeStringField("unit", s.unit);
            gen.writeObjectFieldStart("dimensions");
            for (Map.Entry<String, String> e : s.dimensions.entrySet()) {
                gen.writeStringField(e.getKey(), e.getValue());
            }
            gen.writeEndObject();
            gen.writeArrayFieldStart("points");
            for (int i = 0; i < s.values.length; i++) {
                MetricPoint.write(gen, s.times.epochSecond(i), s.values[i]);
            }
            gen.writeEndArray();
            gen.writeEndObject();
        }
    }
}
