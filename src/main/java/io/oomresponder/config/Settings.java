package io.oomresponder.config;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * The app's settings, read from the environment (Function app settings, {@code local.settings.json}
 * or the shell). Every setting is listed in the README's configuration table and in
 * {@code local.settings.json.example} ({@code SettingsDocumentedTest} keeps them in step). Values of
 * secret settings are never logged. A value of the wrong form is an IllegalArgumentException whose
 * message starts with "setting NAME" (the CLI answers it as a usage error, exit 2).
 */
public final class Settings {

    private final Map<String, String> values;

    /** Settings with these values (a blank value counts as unset). */
    public Settings(Map<String, String> values) {
        this.values = Map.copyOf(values);
    }

    /** Settings from the process environment. */
    public static Settings fromEnvironment() {
        return new Settings(System.getenv());
    }

    /** The trimmed value, empty when unset or blank. */
    public Optional<String> get(String name) {
        String v = values.get(name);
        return v == null || v.isBlank() ? Optional.empty() : Optional.of(v.trim());
    }

    /** The trimmed value, or the default when unset or blank. */
    public String get(String name, String defaultValue) {
        return get(name).orElse(defaultValue);
    }

    /** An ISO-8601 duration such as {@code PT6H}, or the default when unset. */
    public Duration duration(String name, Duration defaultValue) {
        return get(name).map(v -> {
            try {
                return Duration.parse(v);
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("setting " + name + " must be an ISO-8601 duration such as PT6H, was '" + v + "'");
            }
        }).orElse(defaultValue);
    }

    /** A whole number, or the default when unset. */
    public int integer(String name, int defaultValue) {
        return get(name).map(v -> {
            try {
                return Integer.parseInt(v);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("setting " + name + " must be a whole number, was '" + v + "'");
            }
        }).orElse(defaultValue);
    }

    /** A copy with some settings replaced (tests, demo). */
    public Settings with(Map<String, String> overrides) {
        var merged = new java.util.HashMap<>(values);
        merged.putAll(overrides);
        return new Settings(merged);
    }
}
