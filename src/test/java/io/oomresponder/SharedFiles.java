package io.oomresponder;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import io.oomresponder.json.Json;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/**
 * The sample files the tests read, all inside the project: Microsoft's sample payloads
 * ({@code src/test/resources/contracts}, each with its source link in that folder's README), the
 * labelled evidence bundles ({@code src/test/resources/evidence-bundle/examples}) and the evidence
 * bundle schema, which is the project's public format ({@code src/main/resources/evidence-bundle},
 * documented in {@code docs/evidence-bundle.md}). Located on the test classpath, so a clone
 * with nothing beside it runs the same tests.
 */
public final class SharedFiles {

    private static final String SCHEMA = "/evidence-bundle/evidence-bundle.schema.json";

    private static JsonSchema schema;

    private SharedFiles() {
    }

    /** The test resources root: holds {@code contracts/} and {@code evidence-bundle/examples/}. */
    public static Path root() {
        URL contracts = SharedFiles.class.getResource("/contracts/README.md");
        if (contracts == null) {
            throw new IllegalStateException("test resources not on the classpath: /contracts/README.md");
        }
        try {
            return Path.of(contracts.toURI()).getParent().getParent();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
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
            JsonNode schemaNode;
            try (InputStream in = SharedFiles.class.getResourceAsStream(SCHEMA)) {
                if (in == null) {
                    throw new IllegalStateException("schema not on the classpath: " + SCHEMA);
                }
                schemaNode = Json.mapper().readTree(in);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            // The validator wants an absolute $id; the schema's own is a bare name.
            ((com.fasterxml.jackson.databind.node.ObjectNode) schemaNode).put("$id", "urn:oom-responder:evidence-bundle-v1");
            schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(schemaNode);
        }
        Set<ValidationMessage> errors = schema.validate(bundle);
        return errors.stream().map(ValidationMessage::getMessage).sorted().toList();
    }
}
