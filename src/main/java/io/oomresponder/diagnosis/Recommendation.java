package io.oomresponder.diagnosis;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.Objects;

/** An action for the reader: a short title, why, and the exact command where one exists. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Recommendation(String title, String detail, String command) {

    public Recommendation {
        Objects.requireNonNull(title, "title");
    }
}
