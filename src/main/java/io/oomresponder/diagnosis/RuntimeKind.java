package io.oomresponder.diagnosis;

import io.oomresponder.evidence.ConsoleLine;
import io.oomresponder.evidence.EvidenceBundle;

import java.util.Locale;

/** The application runtime, as far as the image name and the console lines show it. */
enum RuntimeKind {
    JVM, DOTNET, NODE, PYTHON, GO, UNKNOWN;

    static RuntimeKind of(EvidenceBundle bundle) {
        // Java metrics exist only for a JVM (Container Apps' Java metrics).
        if (JvmTimelines.anyIn(bundle)) {
            return JVM;
        }
        StringBuilder text = new StringBuilder();
        bundle.app().containers().forEach(c -> text.append(' ').append(c.image()).append(' ').append(c.name()));
        int lines = 0;
        for (ConsoleLine l : bundle.consoleLogs()) {
            if (lines++ > 500) {
                break;
            }
            text.append('\n').append(l.message());
        }
        String t = text.toString().toLowerCase(Locale.ROOT);
        if (t.contains("java.") || t.contains("jvm") || t.contains("openjdk") || t.contains("temurin")
                || t.contains("spring") || t.contains("\tat com.") || t.contains("exception in thread")
                || t.contains("jdk") || t.contains("jre") || t.contains("using java ") || t.contains(".jar")) {
            return JVM;
        }
        if (t.contains("dotnet") || t.contains("system.") || t.contains("aspnet") || t.contains(".net")) {
            return DOTNET;
        }
        if (t.contains("node") || t.contains("javascript heap") || t.contains("npm") || t.contains("    at ")) {
            return NODE;
        }
        if (t.contains("python") || t.contains("traceback") || t.contains("gunicorn") || t.contains("uvicorn")
                || t.contains("memoryerror") || t.contains("django") || t.contains("flask")) {
            return PYTHON;
        }
        if (t.contains("golang") || t.contains("goroutine") || t.contains("runtime: out of memory") || t.contains("panic:")) {
            return GO;
        }
        return UNKNOWN;
    }
}
