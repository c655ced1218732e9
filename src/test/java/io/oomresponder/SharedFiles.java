package io.oomresponder;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import io.oomresponder.json.Json;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/** Locates ../shared (the read-only contracts and examples) for tests. */
public final class SharedFiles {

    private static JsonSchema schema;

    private SharedFiles() {
    }

    public static Path root() {
        String configured = System.getProperty("oom.shared.dir");
        Path p = configured != null ? Path.of(configured) : Path.of("..", "shared");
        if (!Files.isDirectory(p)) {
            throw new IllegalStateException("shared folder not found at " + p.toAbsolutePath());
        }
        return p.normalize();
    }

    public static Path example(String name) {
        return root().resolve("evidence-bundle/examples").resolve(name);
    }

    public static Path contract(String name) {
        return root().resolve("contracts").resolve(name);
    }

    public static JsonNode readJson(Path p) {
        try {
            return Json.mapper().readTree(p.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Validation messages of the evidence bundle schema for this document (empty = valid). */
    public static synchronized List<String> schemaErrors(JsonNode bundle) {
        if (schema == null) {
            JsonNode schemaNode = readJson(root().resolve("evidence-bundle/evidence-bundle.schema.json"));
            // The validator wants an absolute $id; the schema's own is a bare name.
            ((com.fasterxml.jackson.databind.node.ObjectNode) schemaNode).put("$id", "urn:oom-responder:evidence-bundle-v1");
            schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(schemaNode);
        }
        Set<ValidationMessage> errors = schema.validate(bundle);
        return errors.stream().map(ValidationMessage::getMessage).sorted().toList();
    }
}
