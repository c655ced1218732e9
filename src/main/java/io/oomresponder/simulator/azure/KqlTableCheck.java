package io.oomresponder.simulator.azure;

import java.util.LinkedHashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The simulator's cheap structural check of a Log Analytics query (code outside string literals
 * and comments): every Container Apps table it names must exist in the workspace (outside a
 * {@code union isfuzzy=true}, where Log Analytics drops missing legs), and every bare {@code _CL}
 * column it names (an identifier ending in {@code _s}, {@code _d}, {@code _g}, {@code _b} or
 * {@code _t}) must be one Microsoft documents for those tables ({@link LogTableSchemas}). It answers as Log Analytics does
 * (400 BadArgumentError / SemanticError / SEM0100). Full parsing and semantic analysis by
 * Microsoft's Kusto parser runs in the tests ({@code EvidenceQueriesKustoTest}), not per request.
 */
final class KqlTableCheck {

    private static final Pattern TABLE = Pattern.compile("\\b(ContainerApp(?:System|Console)Logs(?:_CL)?)\\b");
    private static final Pattern FUZZY = Pattern.compile("\\bunion\\s+isfuzzy\\s*=\\s*true\\b");
    private static final Pattern CUSTOM_COLUMN = Pattern.compile("\\b([A-Za-z][A-Za-z0-9]*_[sdgbt])\\b");

    private KqlTableCheck() {
    }

    /**
     * @param code the query's code (literals replaced, comments removed)
     * @param held the families the workspace holds: true = resource-specific, false = {@code _CL}
     * @throws FakeAzureError 400 as Log Analytics answers a semantic error
     */
    static void check(String code, Set<Boolean> held) {
        Set<String> named = new LinkedHashSet<>();
        Matcher m = TABLE.matcher(code);
        while (m.find()) {
            named.add(m.group(1));
        }
        boolean fuzzy = FUZZY.matcher(code).find();
        boolean anyExists = false;
        for (String table : named) {
            boolean exists = held.contains(!table.endsWith("_CL"));
            anyExists |= exists;
            if (!exists && !fuzzy) {
                throw FakeAzureError.semantic("SEM0100", "'where' operator: Failed to resolve table or column expression named '" + table + "'");
            }
        }
        if (fuzzy && !named.isEmpty() && !anyExists) {
            throw FakeAzureError.semantic("SEM0100", "'union' operator: Failed to resolve table expression named '" + named.iterator().next() + "'");
        }
        Matcher c = CUSTOM_COLUMN.matcher(code);
        while (c.find()) {
            String column = c.group(1);
            if (!held.contains(false) || !LogTableSchemas.documentedCustomColumn(column)) {
                throw FakeAzureError.semantic("SEM0100", "'where' operator: Failed to resolve scalar expression named '" + column + "'");
            }
        }
    }

    /** Whether the query reads the resource-specific family (it names one of those tables and the workspace holds them). */
    static boolean readsResourceSpecific(String code, Set<Boolean> held) {
        Matcher m = TABLE.matcher(code);
        while (m.find()) {
            if (!m.group(1).endsWith("_CL") && held.contains(true)) {
                return true;
            }
        }
        return false;
    }
}
