package io.oomresponder.evidence;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

import java.time.Instant;
import java.util.List;

/** A replica seen in the window, with the restart count of each of its containers. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record Replica(String name, String revision, Instant createdAt, String runningState, List<Container> containers) {

    public Replica {
        containers = containers == null ? List.of() : List.copyOf(containers);
    }

    /** Restarts of all containers of this replica, as ARM reports them. */
    public int totalRestarts() {
        return containers.stream().mapToInt(c -> c.restartCount() == null ? 0 : c.restartCount()).sum();
    }

    /** A container of a replica. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Container(String name, Integer restartCount, Boolean ready) {
    }
}
