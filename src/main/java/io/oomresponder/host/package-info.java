/**
 * The local Functions-like host behind {@code serve}: the HTTP routes ({@link io.oomresponder.host.LocalServer}),
 * the alert queue (in memory or Azure Queue storage) and its workers, the access and limit rules, an
 * in-process server for tests and benchmarks, and a one-shot Function invocation the way the Java
 * worker makes it. The {@code serve} command itself stays in {@code cli}.
 */
package io.oomresponder.host;
