package io.oomresponder.cli;

import java.io.UncheckedIOException;
import java.net.BindException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;

/**
 * One line that says what went wrong, for a person at a terminal: no stack trace, no exception
 * class names where a sentence will do. The JDK's file exceptions carry only the path as their
 * message, so they are put into words here.
 */
final class FailureLine {

    private FailureLine() {
    }

    /**
     * The exit code for a failure that escaped a command: 2 for a setting with a bad value (the
     * code's convention: an IllegalArgumentException whose message starts with "setting NAME"),
     * else 1.
     */
    static int exitCode(Throwable e) {
        if (e instanceof CommandFailure f) {
            return f.exitCode();
        }
        return badSetting(e) ? CommandFailure.USAGE : CommandFailure.RUNTIME;
    }

    static boolean badSetting(Throwable e) {
        return e instanceof IllegalArgumentException && e.getMessage() != null && e.getMessage().startsWith("setting ");
    }

    static String describe(Throwable e) {
        if (e instanceof CommandFailure) {
            return firstLine(e.getMessage());
        }
        if (e instanceof UncheckedIOException u && u.getCause() != null) {
            // Either a bare wrapper, or "cannot write X" whose cause says why; some messages already carry the cause's text.
            String outer = u.getMessage();
            String inner = u.getCause().getMessage();
            if (outer == null || outer.equals(u.getCause().toString())) {
                return describe(u.getCause());
            }
            String why = describe(u.getCause());
            return firstLine(outer).contains(why) || inner != null && firstLine(outer).endsWith(firstLine(inner)) && !(u.getCause() instanceof FileSystemException)
                    ? firstLine(outer) : firstLine(outer) + ": " + why;
        }
        if (e instanceof NoSuchFileException f) {
            return "no such file or folder: " + f.getFile();
        }
        if (e instanceof AccessDeniedException f) {
            return "permission denied: " + f.getFile();
        }
        if (e instanceof FileAlreadyExistsException f) {
            return f.getFile() + " exists and is not a folder";
        }
        if (e instanceof NotDirectoryException f) {
            return "not a folder: " + f.getFile();
        }
        if (e instanceof FileSystemException f && f.getFile() != null) {
            // "A_FILE/sub: Not a directory" means a file stands where a folder is needed; name it.
            for (Path p = Path.of(f.getFile()).getParent(); p != null; p = p.getParent()) {
                if (Files.isRegularFile(p)) {
                    return "cannot use " + f.getFile() + ": " + p + " is a file, not a folder";
                }
            }
        }
        if (e instanceof FileSystemException f) {
            return f.getFile() + ": " + (f.getReason() == null ? "file system error" : f.getReason());
        }
        if (e instanceof BindException b) {
            return "cannot listen: " + (b.getMessage() == null ? "address in use" : b.getMessage());
        }
        String message = e.getMessage();
        return message == null || message.isBlank() ? e.getClass().getSimpleName() : firstLine(message);
    }

    private static String firstLine(String message) {
        return message.lines().findFirst().orElse(message).strip();
    }
}
