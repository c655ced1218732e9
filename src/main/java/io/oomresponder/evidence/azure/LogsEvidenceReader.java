package io.oomresponder.evidence.azure;

import com.azure.monitor.query.models.LogsQueryResult;
import com.azure.monitor.query.models.LogsTableCell;
import com.azure.monitor.query.models.LogsTableRow;
import io.oomresponder.evidence.ConsoleLine;
import io.oomresponder.evidence.SystemLogEvent;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Maps Log Analytics rows of {@link EvidenceQueries} to the bundle's log records. Cells are read
 * by column name and through their text, because the service writes numbers and bools as strings
 * ({@code "1"}, {@code "true"}); rows come back oldest first and are kept in that order.
 */
final class LogsEvidenceReader {

    private LogsEvidenceReader() {
    }

    static List<SystemLogEvent> systemEvents(LogsQueryResult result) {
        List<SystemLogEvent> out = new ArrayList<>();
        for (LogsTableRow row : rows(result)) {
            Instant time = time(row);
            if (time == null) {
                continue;
            }
            // Container Apps folds repeats of an event into one row with a Count; keep that fact visible.
            Long count = wholeNumber(row, "Count");
            String message = text(row, "Log");
            if (count != null && count > 1) {
                message = (message == null ? "" : message) + " (seen " + count + " times)";
            }
            // ContainerName is a column of the resource-specific table only; the _CL rows answer "".
            String container = text(row, "ContainerName");
            String raw = text(row, "Log");
            out.add(new SystemLogEvent(time, text(row, "RevisionName"), text(row, "ReplicaName"), text(row, "Reason"),
                    text(row, "Type"), message, container == null || container.isBlank() ? SystemLogEvent.containerIn(raw) : container));
        }
        out.sort(Comparator.comparing(SystemLogEvent::time));
        return out;
    }

    static List<ConsoleLine> consoleLines(LogsQueryResult result) {
        List<ConsoleLine> out = new ArrayList<>();
        for (LogsTableRow row : rows(result)) {
            Instant time = time(row);
            if (time == null) {
                continue;
            }
            out.add(new ConsoleLine(time, text(row, "RevisionName"), text(row, "Replica"), text(row, "ContainerName"),
                    text(row, "Stream"), text(row, "Log")));
        }
        out.sort(Comparator.comparing(ConsoleLine::time));
        return out;
    }

    /** A whole number from a cell that may hold "7", "7.0" or 7; null when absent or not a number. */
    static Long wholeNumber(LogsTableRow row, String column) {
        String s = text(row, column);
        if (s == null || s.isBlank()) {
            return null;
        }
        try {
            return Long.parseLong(s.trim());
        } catch (NumberFormatException e) {
            try {
                double d = Double.parseDouble(s.trim());
                return d == Math.rint(d) ? (long) d : null;
            } catch (NumberFormatException e2) {
                return null;
            }
        }
    }

    private static List<LogsTableRow> rows(LogsQueryResult result) {
        if (result == null || result.getAllTables() == null || result.getAllTables().isEmpty()) {
            return List.of();
        }
        return result.getTable().getRows();
    }

    private static Instant time(LogsTableRow row) {
        String s = text(row, "TimeGenerated");
        if (s == null) {
            return null;
        }
        try {
            return OffsetDateTime.parse(s).toInstant();
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static String text(LogsTableRow row, String column) {
        return row.getColumnValue(column).map(LogsTableCell::getValueAsString).orElse(null);
    }
}
