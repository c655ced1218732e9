/**
 * The {@code bench} subcommands and what they need: alert storms over a simulated fleet, cold starts
 * of child processes, footprint, gather and scale figures, fault runs against Azurite, and the
 * accuracy report. They print figures; the tests assert behaviour.
 */
package io.oomresponder.bench;
