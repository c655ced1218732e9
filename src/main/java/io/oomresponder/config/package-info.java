/**
 * The app's settings ({@link io.oomresponder.config.Settings}), read from the environment. A base
 * package below every stage: intake, evidence, delivery and store read their settings from here, so no
 * stage imports the pipeline that wires them.
 */
package io.oomresponder.config;
